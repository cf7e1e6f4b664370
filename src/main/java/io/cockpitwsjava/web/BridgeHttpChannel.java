package io.cockpitwsjava.web;

import java.io.ByteArrayOutputStream;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.cockpitwsjava.protocol.ControlMessage;
import io.cockpitwsjava.protocol.Problem;
import io.cockpitwsjava.session.ChannelOwner;
import io.cockpitwsjava.session.WebSession;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * An HTTP response fed by a gateway-owned bridge channel (ws-contract §4.2 packages, §8.2 external channels):
 * head from the first data message (http-stream1) or from the first data at all, body streamed, flow-control
 * pings answered once the HTTP write queue has room, close problems mapped to statuses.
 */
final class BridgeHttpChannel implements ChannelOwner {
    private static final Logger LOG = Logger.getLogger(BridgeHttpChannel.class);
    private static final Set<String> DROPPED = Set.of("connection", "keep-alive", "public", "proxy-authenticate",
            "transfer-encoding", "upgrade", "x-cockpit-pkg-checksum", "content-length");

    private final Exchange ex;
    private final WebSession session;
    private final String channel;
    private final boolean headInData;
    private final CacheType cache;
    /** HTML filter (shell document, UrlRoot): the whole body is collected and rewritten before sending. */
    private final UnaryOperator<byte[]> filter;
    private ByteArrayOutputStream filtered;
    private boolean headSent;
    private boolean headParsed;
    private long sizeHint = -1;
    private boolean finished;

    BridgeHttpChannel(Exchange ex, WebSession session, String channel, boolean headInData, CacheType cache,
            UnaryOperator<byte[]> filter) {
        this.ex = ex;
        this.session = session;
        this.channel = channel;
        this.headInData = headInData;
        this.cache = cache;
        this.filter = filter;
        this.filtered = filter == null ? null : new ByteArrayOutputStream();
    }

    /** Registers the channel and sends {@code open} + {@code done} to the bridge. */
    void start(ControlMessage open) {
        session.register(channel, this);
        ex.response().closeHandler(v -> {
            if (!finished) {
                finished = true;
                session.unregister(channel, this);
                session.sendControl(ControlMessage.close(channel, Problem.DISCONNECTED));
            }
        });
        session.open(open.with("channel", channel).with("command", "open"));
        session.sendControl(ControlMessage.of("done").with("channel", channel));
    }

    @Override
    public synchronized void control(String ch, ControlMessage msg) {
        if (finished) {
            return;
        }
        switch (msg.command()) {
            case "ready" -> sizeHint = msg.node().path("size-hint").asLong(-1);
            case "response" -> sendHead(msg.node());
            case "ping" -> pong(msg);
            case "done" -> complete();
            case "close" -> closed(msg.string("problem").orElse(null));
            default -> {
            }
        }
    }

    @Override
    public synchronized void data(String ch, byte[] payload) {
        if (finished) {
            return;
        }
        if (headInData && !headParsed) {
            headParsed = true;
            try {
                sendHead(ControlMessage.MAPPER.readTree(payload));
            } catch (java.io.IOException e) {
                failBeforeHead(500, "Internal Server Error");
            }
            return;
        }
        if (!headSent) {
            sendHead(null);
        }
        if (filtered != null) {
            filtered.writeBytes(payload);
        } else {
            ex.response().write(Buffer.buffer(payload));
        }
    }

    @Override
    public synchronized void bridgeClosed(String ch, Problem problem) {
        closed(problem == null ? Problem.DISCONNECTED.wireName() : problem.wireName());
    }

    private void sendHead(JsonNode head) {
        HttpServerResponse r = ex.response();
        int status = 200;
        String reason = null;
        if (head != null) {
            if (!head.isObject()) {
                failBeforeHead(500, null);
                return;
            }
            status = head.path("status").asInt(200);
            reason = head.path("reason").asText(null);
            JsonNode headers = head.path("headers");
            for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext();) {
                var e = it.next();
                String name = e.getKey();
                String lower = name.toLowerCase(java.util.Locale.ROOT);
                if (lower.equals("content-length")) {
                    long n = e.getValue().asLong(-1);
                    if (n > 0) {
                        sizeHint = n;
                    }
                    continue;
                }
                if (!DROPPED.contains(lower) && e.getValue().isTextual()) {
                    r.headers().set(name, e.getValue().asText());
                }
            }
        }
        headSent = true;
        String type = r.headers().get("Content-Type");
        if (filtered != null && (status != 200 || type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("text/html"))) {
            filtered = null; // only successful HTML documents are rewritten; everything else streams
        }
        r.setStatusCode(status);
        r.setStatusMessage(reason == null || reason.isEmpty() ? ReasonPhrase.standard(status) : ReasonPhrase.encode(reason));
        ex.finishHeaders(status, cache);
        if (filtered == null) {
            if (sizeHint > 0 && !r.headers().contains("Content-Encoding")) {
                r.putHeader("Content-Length", Long.toString(sizeHint));
            } else {
                r.setChunked(true);
            }
        }
    }

    private void pong(ControlMessage ping) {
        ControlMessage pong = ping.copy().with("command", "pong");
        HttpServerResponse r = ex.response();
        if (r.writeQueueFull()) {
            r.drainHandler(v -> {
                r.drainHandler(null);
                session.sendControl(pong);
            });
        } else {
            session.sendControl(pong);
        }
    }

    private void complete() {
        if (!headSent) {
            sendHead(null);
        }
        finished = true;
        session.unregister(channel, this);
        HttpServerResponse r = ex.response();
        if (filtered != null) {
            byte[] body = filter.apply(filtered.toByteArray());
            r.putHeader("Content-Length", Integer.toString(body.length));
            r.end(Buffer.buffer(body));
        } else if (!r.ended()) {
            r.end();
        }
    }

    private void closed(String problem) {
        if (finished) {
            return;
        }
        if (headSent) {
            finished = true;
            session.unregister(channel, this);
            // a body cut short must not look complete
            LOG.debugf("channel %s closed mid-response (%s)", channel, problem);
            ex.request().connection().close();
            return;
        }
        if (problem == null) {
            finished = true;
            session.unregister(channel, this);
            ex.send(204, null, CacheType.NONE, null);
            return;
        }
        // the target's own refusals keep their meaning; everything else names the problem in the reason phrase
        int status = Problem.fromWire(problem).map(Problem::httpStatus).orElse(500);
        failBeforeHead(status, status == 404 || status == 403 ? null : problem);
    }

    private void failBeforeHead(int status, String reason) {
        finished = true;
        session.unregister(channel, this);
        if (!ex.response().headWritten()) {
            ex.fail(status, reason);
        } else {
            ex.request().connection().close();
        }
    }
}
