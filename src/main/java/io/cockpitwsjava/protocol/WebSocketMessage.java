package io.cockpitwsjava.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One {@code cockpit1} WebSocket message (docs/protocol.md §6.2): {@code <channel-id> "\n" <payload>}. An empty channel
 * id marks a control message whose payload is JSON. The frame type (text/binary) is not part of the value: the
 * gateway accepts either from browsers.
 */
public record WebSocketMessage(String channel, byte[] payload) {

    public WebSocketMessage {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(payload, "payload");
    }

    /** Whether this is a control message (empty channel id). */
    public boolean isControl() {
        return channel.isEmpty();
    }

    /** Splits a received message at its first {@code \n}; the payload is copied. */
    public static WebSocketMessage parse(byte[] data) throws ProtocolException {
        return parse(data, 0, data.length);
    }

    /**
     * Splits {@code data[off, off+len)} at its first {@code \n}; the payload is copied.
     *
     * @throws ProtocolException {@link Problem#PROTOCOL_ERROR} if there is no {@code \n} or the channel id is not
     *                           ASCII or contains NUL
     */
    public static WebSocketMessage parse(byte[] data, int off, int len) throws ProtocolException {
        int end = off + len;
        int newline = channelEnd(data, off, len);
        String channel = newline == off
                ? ChannelId.CONTROL
                : new String(data, off, newline - off, StandardCharsets.ISO_8859_1);
        return new WebSocketMessage(channel, Arrays.copyOfRange(data, newline + 1, end));
    }

    /**
     * The index of the {@code \n} that ends the channel id of the message in {@code data[off, off+len)}, checking the
     * id on the way: what {@link #parse} does without copying anything.
     *
     * @throws ProtocolException {@link Problem#PROTOCOL_ERROR} if there is no {@code \n} or the channel id is not
     *                           ASCII or contains NUL
     */
    public static int channelEnd(byte[] data, int off, int len) throws ProtocolException {
        Objects.checkFromIndexSize(off, len, data.length);
        int end = off + len;
        for (int i = off; i < end; i++) {
            byte b = data[i];
            if (b == '\n') {
                return i;
            }
            if (!ChannelId.isValidChar(b)) {
                throw new ProtocolException(Problem.PROTOCOL_ERROR,
                        "channel id contains NUL or a non-ASCII byte");
            }
        }
        throw new ProtocolException(Problem.PROTOCOL_ERROR, "message has no newline after the channel id");
    }

    /** Builds the bytes of a message: {@code channel + "\n" + payload}. */
    public static byte[] format(String channel, byte[] payload) {
        return format(channel, payload, 0, payload.length);
    }

    /**
     * Builds the bytes of a message from {@code payload[off, off+len)}.
     *
     * @throws IllegalArgumentException if the channel id is not ASCII or contains {@code \n} or NUL
     */
    public static byte[] format(String channel, byte[] payload, int off, int len) {
        ChannelId.requireValid(Objects.requireNonNull(channel, "channel"));
        Objects.checkFromIndexSize(off, len, payload.length);
        int channelLength = channel.length();
        byte[] out = new byte[channelLength + 1 + len];
        for (int i = 0; i < channelLength; i++) {
            out[i] = (byte) channel.charAt(i);
        }
        out[channelLength] = '\n';
        System.arraycopy(payload, off, out, channelLength + 1, len);
        return out;
    }

    /**
     * The bytes a message on {@code channel} starts with: {@code channel + "\n"} (what {@link #format} puts before the
     * payload).
     *
     * @throws IllegalArgumentException if the channel id is not ASCII or contains {@code \n} or NUL
     */
    public static byte[] head(String channel) {
        return format(channel, EMPTY_PAYLOAD, 0, 0);
    }

    private static final byte[] EMPTY_PAYLOAD = new byte[0];

    /** The bytes of this message. */
    public byte[] toBytes() {
        return format(channel, payload);
    }

    /**
     * The text of a control message for a WebSocket text frame: {@code "\n" + json}.
     */
    public static String formatControlText(ControlMessage msg) {
        return "\n" + msg.toJson();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WebSocketMessage m && channel.equals(m.channel) && Arrays.equals(payload, m.payload);
    }

    @Override
    public int hashCode() {
        return 31 * channel.hashCode() + Arrays.hashCode(payload);
    }

    /** Never the payload itself: it may carry passwords or file contents. */
    @Override
    public String toString() {
        return "WebSocketMessage[channel=" + channel + ", payload=" + payload.length + " bytes]";
    }
}
