package io.cockpitwsjava.web;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.cockpitwsjava.config.GatewaySettings;
import io.cockpitwsjava.packages.FailPage;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * One HTTP request as cockpit-ws sees it: effective protocol, self origin, Cockpit-style cookie parsing, and
 * the single response path that applies the default header set of docs/protocol.md §1.5.
 */
public final class Exchange {
    private static final Map<String, String> CONTENT_TYPES = Map.ofEntries(
            Map.entry("css", "text/css"), Map.entry("gif", "image/gif"),
            Map.entry("eot", "application/vnd.ms-fontobject"), Map.entry("html", "text/html"),
            Map.entry("jpg", "image/jpg"), Map.entry("js", "application/javascript"),
            Map.entry("json", "application/json"), Map.entry("otf", "font/opentype"),
            Map.entry("png", "image/png"), Map.entry("svg", "image/svg+xml"),
            Map.entry("ttf", "application/octet-stream"), Map.entry("txt", "text/plain"),
            Map.entry("wasm", "application/wasm"), Map.entry("woff", "application/font-woff"),
            Map.entry("xml", "text/xml"));

    private final HttpServerRequest request;
    private final GatewaySettings settings;
    private final String path;
    private Map<String, String> cookies;

    public Exchange(HttpServerRequest request, GatewaySettings settings, String path) {
        this.request = request;
        this.settings = settings;
        this.path = path;
    }

    public HttpServerRequest request() {
        return request;
    }

    public HttpServerResponse response() {
        return request.response();
    }

    /** Path after UrlRoot stripping, without the query. */
    public String path() {
        return path;
    }

    /** The raw query string (not form-decoded), or null. */
    public String query() {
        return request.query();
    }

    public String header(String name) {
        return request.getHeader(name);
    }

    /** http or https, per docs/protocol.md §1.2. */
    public String protocol() {
        if (settings.forTlsProxy() || request.isSSL()) {
            return "https";
        }
        if (settings.protocolHeader().isPresent()) {
            String v = request.getHeader(settings.protocolHeader().get());
            if (v != null && !v.isEmpty()) {
                return v.strip();
            }
        }
        return "http";
    }

    public boolean isHttps() {
        return "https".equalsIgnoreCase(protocol());
    }

    public String host() {
        String h = request.getHeader("Host");
        return h == null ? "" : h;
    }

    public String selfOrigin() {
        return protocol() + "://" + host();
    }

    /** Client address for login limits and logs ({@link ClientAddress}: ForwardedForHeader only as configured). */
    public String remoteAddress() {
        return ClientAddress.of(request, settings.forwardedForHeader());
    }

    /** Cookies parsed like cockpit-ws: names may contain {@code + = @ :}, values are percent-decoded. */
    public Map<String, String> cookies() {
        if (cookies == null) {
            cookies = parseCookies(request.headers().getAll("Cookie"));
        }
        return cookies;
    }

    /**
     * Cookie name → percent-decoded value, first occurrence winning. Names may contain {@code =}
     * ({@code machine-cockpit+HOST} with such a HOST), so a pair is entered under every split at an {@code =}, which
     * is what upstream's scan for {@code <name>=} amounts to; a lookup by the exact name then finds its value.
     */
    static Map<String, String> parseCookies(Iterable<String> headers) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String header : headers) {
            for (String part : header.split(";")) {
                String p = part.strip();
                for (int eq = p.indexOf('='); eq >= 0; eq = p.indexOf('=', eq + 1)) {
                    if (eq == 0) {
                        continue;
                    }
                    String value = decodeCookieValue(p.substring(eq + 1));
                    if (value != null) {
                        out.putIfAbsent(p.substring(0, eq), value);
                    }
                }
            }
        }
        return out;
    }

    /** Percent-decoding only: {@code +} stays {@code +} (cookie values are not form-encoded); null if malformed. */
    private static String decodeCookieValue(String raw) {
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------ responses

    /**
     * Adds the docs/protocol.md §1.5 defaults that the handler did not set, and {@code Strict-Transport-Security} on https
     * responses ({@code cockpit.web.hsts-max-age}).
     */
    public void finishHeaders(int status, CacheType cache) {
        MultiMap h = response().headers();
        setDefault(h, "X-DNS-Prefetch-Control", "off");
        setDefault(h, "Referrer-Policy", "no-referrer");
        setDefault(h, "X-Content-Type-Options", "nosniff");
        setDefault(h, "Cross-Origin-Resource-Policy", "same-origin");
        setDefault(h, "X-Frame-Options", "sameorigin");
        // HSTS only where the browser reached us over https: over plain http it would be ignored at best, and a proxy
        // that forwards http must not make the gateway pin https for its host
        long hsts = settings.hstsMaxAge().toSeconds();
        if (hsts > 0 && isHttps()) {
            setDefault(h, "Strict-Transport-Security", "max-age=" + hsts);
        }
        if (status >= 200 && status < 300) {
            if (!h.contains("Content-Type")) {
                String type = contentTypeFor(path);
                if (type != null) {
                    h.set("Content-Type", type);
                }
            }
            if (cache == CacheType.NO_CACHE) {
                setDefault(h, "Cache-Control", "no-cache, no-store");
            } else if (cache == CacheType.CACHE) {
                setDefault(h, "Cache-Control", "max-age=86400, private");
                setDefault(h, "Vary", "Cookie");
            }
        }
    }

    private static void setDefault(MultiMap h, String name, String value) {
        if (!h.contains(name)) {
            h.set(name, value);
        }
    }

    static String contentTypeFor(String path) {
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        if (dot <= slash) {
            return null;
        }
        return CONTENT_TYPES.get(path.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** Sends a complete response. */
    public void send(int status, String reason, CacheType cache, byte[] body) {
        HttpServerResponse r = response();
        if (r.ended() || r.closed()) {
            return;
        }
        r.setStatusCode(status);
        r.setStatusMessage(reason == null ? ReasonPhrase.standard(status) : ReasonPhrase.encode(reason));
        finishHeaders(status, cache);
        if (request.method().name().equals("HEAD")) {
            r.putHeader("Content-Length", String.valueOf(body == null ? 0 : body.length));
            r.end();
        } else {
            r.end(body == null ? Buffer.buffer() : Buffer.buffer(body));
        }
    }

    /** An error page (fail page with the message in the title), reason phrase = message if given. */
    public void fail(int status, String message) {
        String text = message == null ? ReasonPhrase.standard(status) : message;
        response().headers().set("Content-Type", "text/html; charset=utf8");
        send(status, message, CacheType.NONE, FailPage.render(text));
    }

    /** A JSON response. */
    public void json(int status, String reason, CacheType cache, byte[] json) {
        response().headers().set("Content-Type", "application/json");
        send(status, reason, cache, json);
    }
}
