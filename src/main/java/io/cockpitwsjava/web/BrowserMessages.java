package io.cockpitwsjava.web;

import java.util.Arrays;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Handler;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;

/**
 * Reassembles a browser's WebSocket messages from their frames as bytes. Text is not decoded: a control message is
 * parsed as UTF-8 JSON where it is read, channel data goes to the bridge as it came, so a {@code String} round trip
 * would only cost time. A message in one frame (what browsers send) is copied once, into an array the receiver
 * owns. A message above {@code maxBytes} closes the socket with 1009 (message too big); ping, pong and close frames are Vert.x's.
 */
final class BrowserMessages implements Handler<WebSocketFrame> {
    /** RFC 6455 close code: a message too big to process. */
    static final short MESSAGE_TOO_BIG = 1009;

    /** Receives whole messages; the array is the receiver's (nobody else writes to it). */
    interface Sink {
        void message(byte[] data, int offset, int length);
    }

    private final int maxBytes;
    private final Sink sink;
    /** Runs once per message above the limit (the rest of that message is dropped). */
    private final Runnable tooBig;
    /** A fragmented message being collected, or null. */
    private byte[] partial;
    private int partialLength;
    private boolean discarding;

    BrowserMessages(int maxBytes, Sink sink, Runnable tooBig) {
        this.maxBytes = maxBytes;
        this.sink = sink;
        this.tooBig = tooBig;
    }

    /** Messages of {@code ws} up to {@code maxBytes}; a longer one closes it with 1009. */
    static BrowserMessages of(ServerWebSocket ws, int maxBytes, Sink sink) {
        return new BrowserMessages(maxBytes, sink, () -> {
            if (!ws.isClosed()) {
                ws.close(MESSAGE_TOO_BIG, "message too big");
            }
        });
    }

    @Override
    public void handle(WebSocketFrame frame) {
        if (frame.isText() || frame.isBinary()) {
            partial = null;
            partialLength = 0;
            discarding = false;
            if (frame.isFinal()) {
                whole(frame.binaryData().getByteBuf());
            } else {
                append(frame.binaryData().getByteBuf());
            }
        } else if (frame.isContinuation() && (partial != null || discarding)) {
            if (!discarding) {
                append(frame.binaryData().getByteBuf());
            }
            if (frame.isFinal()) {
                byte[] done = partial;
                int n = partialLength;
                partial = null;
                partialLength = 0;
                discarding = false;
                if (done != null) {
                    sink.message(done, 0, n);
                }
            }
        }
    }

    private void whole(ByteBuf buf) {
        // One copy into an array of our own: whether Vert.x's frame buffer shares its backing array with other frames
        // (a slice of the connection's read buffer) is Vert.x's business, and the receiver may keep the array.
        int n = buf.readableBytes();
        byte[] copy = new byte[n];
        buf.getBytes(buf.readerIndex(), copy);
        sink.message(copy, 0, n);
    }

    private void append(ByteBuf buf) {
        int n = buf.readableBytes();
        if ((long) partialLength + n > maxBytes) {
            partial = null;
            partialLength = 0;
            discarding = true;
            tooBig.run();
            return;
        }
        if (partial == null) {
            partial = new byte[Math.max(n, 1024)];
        } else if (partialLength + n > partial.length) {
            partial = Arrays.copyOf(partial, (int) Math.min(maxBytes, Math.max(partialLength + n, 2L * partial.length)));
        }
        buf.getBytes(buf.readerIndex(), partial, partialLength, n);
        partialLength += n;
    }
}
