package io.cockpitwsjava.web;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.jboss.logging.Logger;

import io.cockpitwsjava.protocol.ControlMessage;
import io.cockpitwsjava.protocol.Limits;
import io.cockpitwsjava.protocol.Problem;
import io.cockpitwsjava.session.ChannelOwner;
import io.cockpitwsjava.session.WebSession;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;

/**
 * A browser WebSocket bound to one bridge channel (docs/protocol.md §8.3). Its handlers are in place before the channel
 * is opened, so a browser that closes at once still releases the channel; a closed socket is never touched in a way
 * that throws. Back-pressure both ways, like the main socket: while the WebSocket's write queue is full the session
 * stops reading the bridge and the channel's flow-control pongs wait; while the bridge's write queue is above its mark
 * the browser is not read.
 */
final class ExternalSocket implements ChannelOwner {
    private static final Logger LOG = Logger.getLogger(ExternalSocket.class);
    static final int WRITE_QUEUE_BYTES = 1024 * 1024;
    /** RFC 6455: a close reason has at most 123 bytes. */
    private static final int MAX_CLOSE_REASON = 123;

    private final ServerWebSocket ws;
    private final WebSession session;
    private final String channel;
    private final boolean binary;
    private final AtomicBoolean done = new AtomicBoolean();
    /** Whether this socket holds the session's bridge paused (its write queue is full). */
    private final AtomicBoolean full = new AtomicBoolean();
    /** A flow-control ping that waits for the write queue to drain before it is answered. */
    private final AtomicReference<ControlMessage> pendingPong = new AtomicReference<>();

    ExternalSocket(ServerWebSocket ws, WebSession session, String channel, boolean binary) {
        this.ws = ws;
        this.session = session;
        this.channel = channel;
        this.binary = binary;
    }

    /**
     * Installs the handlers, then registers and opens the channel; on the event loop, right after the upgrade. A
     * socket the browser closed before this ran gets no channel at all.
     */
    void start(ControlMessage open) {
        if (ws.isClosed()) {
            LOG.debugf("session %s: external WebSocket closed before its channel opened", session.id());
            return;
        }
        ws.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
        ws.exceptionHandler(err -> LOG.debugf("session %s: external WebSocket error: %s", session.id(), err.getMessage()));
        ws.closeHandler(v -> browserClosed(ws.closeStatusCode(), ws.closeReason()));
        ws.frameHandler(BrowserMessages.of(ws, Limits.MAX_BROWSER_MESSAGE_BYTES, this::fromBrowser));
        WebSession.Registration registration = session.register(channel, this);
        if (registration != WebSession.Registration.REGISTERED) {
            done.set(true);
            // a session at its channel limit refuses like a bridge refusing a too large request
            close(1011, (registration == WebSession.Registration.TOO_MANY ? Problem.TOO_LARGE : Problem.PROTOCOL_ERROR)
                    .wireName());
            return;
        }
        session.open(open.with("channel", channel));
    }

    // ------------------------------------------------------------------ browser -> bridge

    private void fromBrowser(byte[] data, int offset, int length) {
        if (done.get()) {
            return;
        }
        session.send(channel, data, offset, length);
        if (!session.writable()) {
            ws.pause();
            session.whenWritable(ws::resume);
        }
    }

    void browserClosed(Short code, String reason) {
        if (!done.compareAndSet(false, true)) {
            return;
        }
        session.unregister(channel, this);
        release();
        if (session.isEnded()) {
            return;
        }
        if (code != null && code == 1000) {
            session.sendControl(ControlMessage.of("done").with("channel", channel));
            session.sendControl(ControlMessage.close(channel, null));
        } else {
            session.sendControl(ControlMessage.of("close").with("channel", channel)
                    .with("problem", reason == null || reason.isEmpty() ? Problem.DISCONNECTED.wireName() : reason));
        }
    }

    // ------------------------------------------------------------------ bridge -> browser

    @Override
    public void control(String ch, ControlMessage msg) {
        switch (msg.command()) {
            case "ping" -> pong(msg);
            case "close" -> {
                if (done.compareAndSet(false, true)) {
                    release();
                    var problem = msg.string("problem");
                    if (problem.isPresent()) {
                        close(1001, problem.get());
                    } else {
                        close(1000, null);
                    }
                }
            }
            default -> {
            }
        }
    }

    @Override
    public void data(String ch, byte[] payload) {
        if (done.get() || ws.isClosed()) {
            return;
        }
        // a write to a socket closed meanwhile fails its future; it does not throw
        ws.writeFrame(new WebSocketFrameImpl(binary ? WebSocketFrameType.BINARY : WebSocketFrameType.TEXT, payload, true));
        watchOutput();
    }

    @Override
    public void bridgeClosed(String ch, Problem problem) {
        if (done.compareAndSet(false, true)) {
            release();
            close(1001, problem.wireName());
        }
    }

    /** Flow control (docs/protocol.md §8.3(6)): the bridge sends more only after the pong, so it waits for the queue. */
    private void pong(ControlMessage ping) {
        pendingPong.set(ping);
        if (!full.get()) {
            flushPong();
        }
    }

    private void flushPong() {
        ControlMessage ping = pendingPong.getAndSet(null);
        if (ping != null && !done.get()) {
            session.sendControl(ping.copy().with("command", "pong"));
        }
    }

    private void watchOutput() {
        if (queueFull() && full.compareAndSet(false, true)) {
            session.socketFull(true);
            try {
                ws.drainHandler(v -> drained());
            } catch (IllegalStateException closed) {
                // closed meanwhile: the close handler releases the pause
                return;
            }
            // the event loop may have drained the queue before the handler was set; Vert.x would not call it then
            if (!queueFull()) {
                drained();
            }
        }
    }

    private void drained() {
        if (full.compareAndSet(true, false)) {
            session.socketFull(false);
        }
        flushPong();
    }

    /** Gives back the bridge pause this socket holds; called once, when the socket is done. */
    private void release() {
        pendingPong.set(null);
        if (full.compareAndSet(true, false)) {
            session.socketFull(false);
        }
    }

    private boolean queueFull() {
        try {
            return !ws.isClosed() && ws.writeQueueFull();
        } catch (IllegalStateException closed) {
            return false;
        }
    }

    private void close(int code, String reason) {
        if (ws.isClosed()) {
            return;
        }
        String r = reason;
        if (r != null && r.getBytes(StandardCharsets.UTF_8).length > MAX_CLOSE_REASON) {
            r = Problem.PROTOCOL_ERROR.wireName();
        }
        ws.close((short) code, r);
    }
}
