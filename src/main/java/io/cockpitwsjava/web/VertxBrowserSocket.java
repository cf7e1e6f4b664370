package io.cockpitwsjava.web;

import io.cockpitwsjava.session.BrowserSocket;
import io.netty.buffer.Unpooled;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;

/** {@link BrowserSocket} over a Vert.x server WebSocket; frames are written from bytes without re-encoding. */
final class VertxBrowserSocket implements BrowserSocket {
    private final ServerWebSocket ws;

    VertxBrowserSocket(ServerWebSocket ws) {
        this.ws = ws;
    }

    @Override
    public void sendText(byte[] message) {
        if (!ws.isClosed()) {
            ws.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, message, true));
        }
    }

    @Override
    public void sendBinary(byte[] message) {
        if (!ws.isClosed()) {
            ws.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.BINARY, message, true));
        }
    }

    /** The two arrays become one frame's content without being joined: Netty copies them once, into its socket buffer. */
    @Override
    public void send(boolean binary, byte[] head, byte[] payload) {
        if (!ws.isClosed()) {
            ws.writeFrame(new WebSocketFrameImpl(binary ? WebSocketFrameType.BINARY : WebSocketFrameType.TEXT,
                    Unpooled.wrappedBuffer(head, payload), true));
        }
    }

    @Override
    public void close(int code, String reason) {
        if (!ws.isClosed()) {
            ws.close((short) code, reason);
        }
    }

    /** False once closed: Vert.x throws for a closed socket, and bridge threads ask while the browser may go away. */
    @Override
    public boolean writeQueueFull() {
        try {
            return !ws.isClosed() && ws.writeQueueFull();
        } catch (IllegalStateException closed) {
            return false;
        }
    }

    @Override
    public void onDrain(Runnable whenDrained) {
        try {
            ws.drainHandler(v -> {
                try {
                    ws.drainHandler(null);
                } catch (IllegalStateException closed) {
                    // closed meanwhile: the handler goes with the socket
                }
                whenDrained.run();
            });
        } catch (IllegalStateException closed) {
            // nothing will drain any more: let the caller release what it holds
            whenDrained.run();
        }
    }

    @Override
    public void pauseInput() {
        ws.pause();
    }

    @Override
    public void resumeInput() {
        ws.resume();
    }
}
