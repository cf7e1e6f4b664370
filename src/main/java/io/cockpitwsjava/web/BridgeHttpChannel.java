package io.cockpitwsjava.web;

import java.io.ByteArrayOutputStream;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.cockpitwsjava.protocol.ControlMessage;
import io.cockpitwsjava.protocol.Problem;
import io.cockpitwsjava.session.ChannelOwner;
import io.cockpitwsjava.session.WebSession;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * An HTTP response fed by a gateway-owned bridge channel (docs/protocol.md §4.2 packages, §8.2 external channels):
 * head from the first data message (http-stream1) or from the first data at all, body streamed, flow-control
 * pings answered once the HTTP write queue has room, close problems mapped to statuses.
 *
 * <p>Bounded whatever the bridge sends, per session rather than per request (a session may have thousands of
 * channels): HTML documents that are rewritten are collected only up to {@link HtmlRewrite#maxBytes()} for all of the
 * session's documents together ({@link WebSession#reserveDocumentBytes}); streamed bodies that a bridge pushes past its
 * flow-control window while clients do not read hold the session's bridge output above
 * {@link WebSession#RESPONSE_HIGH_WATER} unsent bytes ({@link WebSession#responseBytesQueued}).
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
    /** HTML rewrite (shell document, UrlRoot): the whole body is collected and rewritten before sending. */
    private final HtmlRewrite rewrite;
    private ByteArrayOutputStream filtered;
    private boolean headSent;
    private boolean headParsed;
    private long sizeHint = -1;
    private boolean finished;

    /** @param rewrite how a successful HTML response is rewritten, or null to stream every response unchanged */
    BridgeHttpChannel(Exchange ex, WebSession session, String channel, boolean headInData, CacheType cache,
            HtmlRewrite rewrite) {
        this.ex = ex;
        this.session = session;
        this.channel = channel;
        this.headInData = headInData;
        this.cache = cache;
        this.rewrite = rewrite;
        this.filtered = rewrite == null ? null : new ByteArrayOutputStream();
    }

    /**
     * Registers the channel and sends {@code open} + {@code done} to the bridge; a session at its channel limit
     * answers 503 {@code too-large} instead.
     */
    void start(ControlMessage open) {
        if (session.register(channel, this) != WebSession.Registration.REGISTERED) {
            finished = true;
            ex.fail(503, Problem.TOO_LARGE.wireName());
            return;
        }
        // off the event loop: clientGone takes this channel's lock, which data() holds while it writes to the
        // response (and so takes the connection's)
        ex.response().closeHandler(v -> java.util.concurrent.ForkJoinPool.commonPool().execute(this::clientGone));
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
            if (!session.reserveDocumentBytes(payload.length, rewrite.maxBytes())) {
                documentTooLarge();
                return;
            }
            filtered.writeBytes(payload);
        } else {
            stream(payload);
        }
    }

    /** Writes body bytes, counted as unsent in the session until the client's connection took them (or closed). */
    private void stream(byte[] payload) {
        int n = payload.length;
        session.responseBytesQueued(n);
        // completes on the event loop, written or failed; no lock of ours there (the write path may hold the
        // connection's while we hold this)
        ex.response().write(Buffer.buffer(payload)).onComplete(ar -> session.responseBytesSent(n));
    }

    /** The client's connection closed: the bridge stops sending, a document being collected is dropped. */
    private synchronized void clientGone() {
        if (!finished) {
            finished = true;
            session.unregister(channel, this);
            session.sendControl(ControlMessage.close(channel, Problem.DISCONNECTED));
        }
        dropDocument();
    }

    /** Forgets a document being collected and gives its bytes back to the session (under this channel's lock). */
    private void dropDocument() {
        ByteArrayOutputStream d = filtered;
        if (d != null) {
            filtered = null;
            session.releaseDocumentBytes(d.size());
        }
    }

    /** The rewritten document would exceed its limit: this request fails, the channel closes, the session goes on. */
    private void documentTooLarge() {
        LOG.infof("session %s: HTML documents on channel %s and others exceed %d bytes (cockpit.limits.document-bytes)",
                session.id(), channel, rewrite.maxBytes());
        dropDocument();
        session.sendControl(ControlMessage.close(channel, Problem.TOO_LARGE));
        // the bridge's head was only noted, not written: the error replaces it entirely
        ex.response().headers().clear();
        failBeforeHead(502, Problem.TOO_LARGE.wireName());
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
            dropDocument(); // only successful HTML documents are rewritten; everything else streams
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
            byte[] collected = filtered.toByteArray();
            dropDocument();
            byte[] body = rewrite.rewrite().apply(collected);
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
        dropDocument();
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
        dropDocument();
        if (!ex.response().headWritten()) {
            ex.fail(status, reason);
        } else {
            ex.request().connection().close();
        }
    }
}
