package io.cockpitwsjava.web;

import io.cockpitwsjava.session.BrowserSocket;
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

    @Override
    public void close(int code, String reason) {
        if (!ws.isClosed()) {
            ws.close((short) code, reason);
        }
    }

    @Override
    public boolean writeQueueFull() {
        return ws.writeQueueFull();
    }

    @Override
    public void onDrain(Runnable whenDrained) {
        ws.drainHandler(v -> {
            ws.drainHandler(null);
            whenDrained.run();
        });
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
