package io.cockpitwsjava.protocol;

import java.util.Objects;

/**
 * Encodes frames for the bridge's stdin: {@code <decimal length>\n<channel>\n<payload>} (docs/protocol.md §7.1).
 * The length never exceeds {@link Limits#MAX_LENGTH_DIGITS_WRITE} digits, because cockpit-ws (C) peers reject more.
 */
public final class FrameEncoder {

    private FrameEncoder() {
    }

    /** Encodes a whole payload on {@code channel} ({@code ""} = control). */
    public static byte[] encode(String channel, byte[] payload) {
        return encode(channel, payload, 0, payload.length);
    }

    /**
     * Encodes {@code payload[off, off+len)} on {@code channel}.
     *
     * @throws IllegalArgumentException if the channel id is not ASCII or contains {@code \n} or NUL, or the frame
     *                                  length would exceed {@link Limits#MAX_FRAME_BYTES_WRITE}
     */
    public static byte[] encode(String channel, byte[] payload, int off, int len) {
        ChannelId.requireValid(Objects.requireNonNull(channel, "channel"));
        Objects.checkFromIndexSize(off, len, payload.length);
        int channelLength = channel.length();
        long frameLength = (long) channelLength + 1 + len;
        if (frameLength > Limits.MAX_FRAME_BYTES_WRITE) {
            throw new IllegalArgumentException("frame of " + frameLength + " bytes exceeds "
                    + Limits.MAX_FRAME_BYTES_WRITE);
        }
        int length = (int) frameLength;
        int digits = decimalDigits(length);
        byte[] out = new byte[digits + 1 + length];
        int pos = digits;
        for (int v = length; pos > 0; v /= 10) {
            out[--pos] = (byte) ('0' + v % 10);
        }
        pos = digits;
        out[pos++] = '\n';
        for (int i = 0; i < channelLength; i++) {
            out[pos++] = (byte) channel.charAt(i);
        }
        out[pos++] = '\n';
        System.arraycopy(payload, off, out, pos, len);
        return out;
    }

    /** Encodes a control message (empty channel, compact JSON payload). */
    public static byte[] encodeControl(ControlMessage msg) {
        return encode(ChannelId.CONTROL, msg.toBytes());
    }

    /** Size of the frame {@link #encode(String, byte[], int, int)} would produce, for buffer planning. */
    public static int encodedSize(String channel, int payloadLength) {
        int length = channel.length() + 1 + payloadLength;
        return decimalDigits(length) + 1 + length;
    }

    private static int decimalDigits(int v) {
        int digits = 1;
        while (v >= 10) {
            v /= 10;
            digits++;
        }
        return digits;
    }
}
