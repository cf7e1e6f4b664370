package io.cockpitwsjava.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The HTTP requests of one page load, from Chromium's DevTools network events (its "performance" log): per request
 * the path, status, whether the browser's cache answered it, the bytes on the wire (headers and body as received,
 * compressed when the response was), the decoded body size, {@code Content-Encoding}, {@code Cache-Control} and when
 * it started and finished relative to the first request. WebSocket handshakes are listed too (status 101), and each
 * WebSocket message with its direction and its start, so a slow page load can be followed message by message.
 */
final class PageRequests {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request; times in ms from the first event's timestamp, -1 when unknown. */
    record Request(String path, int status, boolean fromCache, long wireBytes, long bodyBytes, String encoding,
            String cacheControl, String etag, double start, double end) {
    }

    /** One WebSocket message: when (ms, as requests), sent by the browser or received, and its start. */
    record Frame(double at, boolean sent, int length, String start) {
    }

    private final List<Request> requests;
    private final List<Frame> frames;
    /** Browser wall-clock ms (epoch) minus the event clock in ms, for marks taken in the page; NaN if unknown. */
    private final double wallOffset;
    private final double t0;

    private PageRequests(List<Request> requests, List<Frame> frames, double wallOffset, double t0) {
        this.requests = requests;
        this.frames = frames;
        this.wallOffset = wallOffset;
        this.t0 = t0;
    }

    List<Frame> frames() {
        return frames;
    }

    /**
     * A moment the page noted as {@code performance.timeOrigin + performance.now()} on the scale of this page load's
     * request times; NaN when the events carried no wall clock.
     */
    double atWallClock(double epochMillis) {
        return epochMillis - wallOffset - t0 * 1000;
    }

    List<Request> requests() {
        return requests;
    }

    /** Parses the events of {@code Browser.networkEvents()}; unknown or malformed events are skipped. */
    static PageRequests parse(List<String> events) {
        Map<String, Building> open = new LinkedHashMap<>();
        List<Building> done = new ArrayList<>();
        List<Frame> frames = new ArrayList<>();
        double t0 = Double.NaN;
        double wallOffset = Double.NaN;
        for (String raw : events) {
            JsonNode m;
            try {
                m = JSON.readTree(raw).path("message");
            } catch (java.io.IOException e) {
                continue;
            }
            String method = m.path("method").asText("");
            JsonNode p = m.path("params");
            String id = p.path("requestId").asText("");
            double ts = p.path("timestamp").asDouble(Double.NaN);
            if (Double.isNaN(t0) && !Double.isNaN(ts)) {
                t0 = ts;
            }
            double at = Double.isNaN(ts) || Double.isNaN(t0) ? -1 : (ts - t0) * 1000;
            if (Double.isNaN(wallOffset) && p.has("wallTime") && !Double.isNaN(ts)) {
                wallOffset = p.path("wallTime").asDouble() * 1000 - ts * 1000;
            }
            switch (method) {
                case "Network.webSocketFrameSent", "Network.webSocketFrameReceived" -> {
                    String data = p.path("response").path("payloadData").asText("");
                    String start = data.length() > 100 ? data.substring(0, 100) + "…" : data;
                    frames.add(new Frame(at, method.endsWith("Sent"), data.length(),
                            start.replace("\n", "\\n").replace("\t", " ")));
                }
                case "Network.requestWillBeSent" -> {
                    Building prior = open.remove(id);
                    if (prior != null && p.has("redirectResponse")) {
                        prior.response(p.path("redirectResponse"));
                        prior.end = at;
                        done.add(prior);
                    }
                    Building b = new Building(p.path("request").path("url").asText(""));
                    b.start = at;
                    open.put(id, b);
                }
                case "Network.webSocketCreated" -> {
                    Building b = new Building(p.path("url").asText(""));
                    b.start = at;
                    open.put(id, b);
                }
                case "Network.webSocketWillSendHandshakeRequest" -> {
                    Building b = open.get(id);
                    if (b != null) {
                        b.start = at;
                    }
                }
                case "Network.webSocketHandshakeResponseReceived" -> {
                    Building b = open.remove(id);
                    if (b != null) {
                        b.response(p.path("response"));
                        b.end = at;
                        done.add(b);
                    }
                }
                case "Network.requestServedFromCache" -> {
                    Building b = open.get(id);
                    if (b != null) {
                        b.fromCache = true;
                    }
                }
                case "Network.responseReceived" -> {
                    Building b = open.get(id);
                    if (b != null) {
                        b.response(p.path("response"));
                    }
                }
                case "Network.dataReceived" -> {
                    Building b = open.get(id);
                    if (b != null) {
                        b.body += p.path("dataLength").asLong(0);
                    }
                }
                case "Network.loadingFinished", "Network.loadingFailed" -> {
                    Building b = open.remove(id);
                    if (b != null) {
                        b.wire = p.path("encodedDataLength").asLong(b.wire);
                        b.end = at;
                        if (method.endsWith("Failed")) {
                            b.status = -1;
                            b.encoding = p.path("errorText").asText("failed");
                        }
                        done.add(b);
                    }
                }
                default -> {
                }
            }
        }
        done.addAll(open.values()); // still loading when the page counted as loaded
        done.sort((a, b) -> Double.compare(a.start, b.start));
        return new PageRequests(done.stream().map(Building::build).toList(), frames, wallOffset, t0);
    }

    /** Requests the network answered (not the browser's cache, not {@code data:} URLs). */
    long networkCount() {
        return requests.stream().filter(PageRequests::network).count();
    }

    private static boolean network(Request r) {
        return !r.fromCache() && !r.path().startsWith("data:");
    }

    long cachedCount() {
        return requests.stream().filter(Request::fromCache).count();
    }

    long wireBytes() {
        return requests.stream().filter(PageRequests::network).mapToLong(Request::wireBytes).sum();
    }

    long bodyBytes() {
        return requests.stream().mapToLong(Request::bodyBytes).sum();
    }

    /** A tab-separated table, one line per request, for the logs. */
    String table() {
        StringBuilder out = new StringBuilder(
                "start_ms\tend_ms\tstatus\tcache\twire_bytes\tbody_bytes\tencoding_or_error\tcache_control\tetag\tpath\n");
        for (Request r : requests) {
            out.append(String.format(Locale.ROOT, "%.1f\t%.1f\t%d\t%s\t%d\t%d\t%s\t%s\t%s\t%s%n", r.start(), r.end(),
                    r.status(), r.fromCache() ? "hit" : "-", r.wireBytes(), r.bodyBytes(), r.encoding(),
                    r.cacheControl(), r.etag(), r.path()));
        }
        out.append(String.format(Locale.ROOT, "# %d from the network (%d bytes on the wire), %d from the cache, "
                + "%d body bytes decoded%n", networkCount(), wireBytes(), cachedCount(), bodyBytes()));
        return out.toString();
    }

    /** The WebSocket messages as a tab-separated table, for the logs. */
    String frameTable() {
        StringBuilder out = new StringBuilder("at_ms\tdir\tlength\tstart\n");
        for (Frame f : frames) {
            out.append(String.format(Locale.ROOT, "%.1f\t%s\t%d\t%s%n", f.at(), f.sent() ? ">" : "<", f.length(), f.start()));
        }
        return out.toString();
    }

    private static final class Building {
        final String url;
        int status;
        boolean fromCache;
        long wire;
        long body;
        String encoding = "";
        String cacheControl = "";
        String etag = "";
        double start = -1;
        double end = -1;

        Building(String url) {
            this.url = url;
        }

        void response(JsonNode r) {
            status = r.path("status").asInt(0);
            if (r.path("fromDiskCache").asBoolean(false) || r.path("fromMemoryCache").asBoolean(false)) {
                fromCache = true;
            }
            wire = r.path("encodedDataLength").asLong(0);
            for (var it = r.path("headers").fields(); it.hasNext();) {
                var h = it.next();
                switch (h.getKey().toLowerCase(Locale.ROOT)) {
                    case "content-encoding" -> encoding = h.getValue().asText("");
                    case "cache-control" -> cacheControl = h.getValue().asText("");
                    case "etag" -> etag = h.getValue().asText("");
                    default -> {
                    }
                }
            }
        }

        Request build() {
            String path = url;
            try {
                URI u = URI.create(url);
                path = u.isOpaque() ? u.getScheme() + ":…"
                        : u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
            } catch (IllegalArgumentException e) {
                // data: URLs and the like stay as they are
            }
            if (path.length() > 120) {
                path = path.substring(0, 117) + "...";
            }
            return new Request(path, status, fromCache, wire, body, encoding, cacheControl, etag, start, end);
        }
    }
}
