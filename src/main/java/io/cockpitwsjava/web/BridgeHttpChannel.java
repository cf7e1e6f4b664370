package io.cockpitwsjava.web;

import java.io.ByteArrayOutputStream;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.cockpitwsjava.packages.EntityTag;
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
 *
 * <p>With a {@link Revalidation} (package files, docs/protocol.md §4.4) a successful non-HTML answer that the bridge
 * marks {@code no-store} is collected too (within the same per-session budget), tagged from its bytes, and sent as
 * {@code private, no-cache} with that {@code ETag} — or as 304 without body when the request's {@code If-None-Match}
 * names it. A file that does not fit the budget is streamed as the bridge sent it, untagged.
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
    /** Tagging of package files, or null. */
    private final Revalidation revalidation;
    /** Whether the body being collected is a package file to tag (else an HTML document to rewrite). */
    private boolean tagging;
    private ByteArrayOutputStream filtered;
    private boolean headSent;
    private boolean headParsed;
    private long sizeHint = -1;
    private boolean finished;

    /**
     * A package file request's conditional header and the budget for collecting it: {@code maxBytes} as for HTML
     * documents ({@code cockpit.limits.document-bytes}, per session).
     */
    record Revalidation(String ifNoneMatch, int maxBytes) {
    }

    /** @param rewrite how a successful HTML response is rewritten, or null to stream every response unchanged */
    BridgeHttpChannel(Exchange ex, WebSession session, String channel, boolean headInData, CacheType cache,
            HtmlRewrite rewrite) {
        this(ex, session, channel, headInData, cache, rewrite, null);
    }

    /** @param revalidation how package files are tagged, or null to pass the bridge's cache headers on unchanged */
    BridgeHttpChannel(Exchange ex, WebSession session, String channel, boolean headInData, CacheType cache,
            HtmlRewrite rewrite, Revalidation revalidation) {
        this.ex = ex;
        this.session = session;
        this.channel = channel;
        this.headInData = headInData;
        this.cache = cache;
        this.rewrite = rewrite;
        this.revalidation = revalidation;
        this.filtered = rewrite == null && revalidation == null ? null : new ByteArrayOutputStream();
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
            if (!session.reserveDocumentBytes(payload.length, tagging ? revalidation.maxBytes() : rewrite.maxBytes())) {
                if (tagging) {
                    streamUntagged();
                    stream(payload);
                } else {
                    documentTooLarge();
                }
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
        boolean html = type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("text/html");
        String cacheControl = r.headers().get("Cache-Control");
        // only successful HTML documents are rewritten, only files the bridge would have refetched every time are
        // tagged; everything else streams
        tagging = revalidation != null && status == 200 && !html && cacheControl != null
                && cacheControl.contains("no-store");
        if (filtered != null && !tagging && (status != 200 || !html || rewrite == null)) {
            dropDocument();
        }
        r.setStatusCode(status);
        r.setStatusMessage(reason == null || reason.isEmpty() ? ReasonPhrase.standard(status) : ReasonPhrase.encode(reason));
        ex.finishHeaders(status, cache);
        if (filtered == null) {
            streamedLength();
        }
    }

    private void streamedLength() {
        HttpServerResponse r = ex.response();
        if (sizeHint > 0 && !r.headers().contains("Content-Encoding")) {
            r.putHeader("Content-Length", Long.toString(sizeHint));
        } else {
            r.setChunked(true);
        }
    }

    /** A file to tag outgrew the session's budget: what was collected goes out, the rest streams, untagged. */
    private void streamUntagged() {
        byte[] collected = filtered.toByteArray();
        dropDocument();
        tagging = false;
        streamedLength();
        if (collected.length > 0) {
            stream(collected);
        }
    }

    /** The whole file is here: tagged from its bytes, sent, or 304 when the browser already has exactly these. */
    private void sendTagged(byte[] body) {
        HttpServerResponse r = ex.response();
        String etag = EntityTag.of(body);
        r.headers().set("ETag", etag).set("Cache-Control", EntityTag.REVALIDATE).set("Vary", "Accept-Encoding");
        if (EntityTag.matches(revalidation.ifNoneMatch(), etag)) {
            r.setStatusCode(304);
            r.setStatusMessage(ReasonPhrase.standard(304));
            r.headers().remove("Content-Length");
            r.end();
            return;
        }
        r.putHeader("Content-Length", Integer.toString(body.length));
        r.end(Buffer.buffer(body));
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
            if (tagging) {
                sendTagged(collected);
                return;
            }
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
