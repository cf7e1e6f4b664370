package io.cockpitwsjava.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Decodes the bridge's stdio stream {@code <decimal length>\n<channel>\n<payload>} (ws-contract §7.1) into
 * {@link Frame}s. A state machine fed with chunks split at arbitrary bytes; not thread-safe.
 *
 * <p>The length counts bytes of channel + newline + payload. It must be canonical (1–9 digits, no leading zero,
 * not zero) and at most {@code maxFrameBytes}; channel ids must be ASCII without NUL. Any violation throws
 * {@link ProtocolException} with {@link Problem#PROTOCOL_ERROR} and poisons the decoder: the stream cannot be
 * resynchronised, so every later call throws too.
 */
public final class FrameDecoder {

    private enum State { LENGTH, CHANNEL, PAYLOAD }

    private static final byte[] EMPTY = new byte[0];

    private final int maxFrameBytes;

    private State state = State.LENGTH;
    private int lengthDigits;
    private int frameLength;
    /** Bytes of the frame body (after the length line) not yet consumed. */
    private int bodyRemaining;
    private byte[] channelBytes = new byte[32];
    private int channelLength;
    private String channel;
    private byte[] payload;
    private int payloadFilled;
    private ProtocolException failure;

    /**
     * @param maxFrameBytes largest accepted frame length (channel + 1 + payload), between 1 and 999 999 999;
     *                      see {@link Limits#DEFAULT_MAX_FRAME_BYTES_READ}
     */
    public FrameDecoder(int maxFrameBytes) {
        if (maxFrameBytes < 1 || maxFrameBytes > 999_999_999) {
            throw new IllegalArgumentException("maxFrameBytes out of range: " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    /** A decoder accepting frames up to {@link Limits#DEFAULT_MAX_FRAME_BYTES_READ}. */
    public FrameDecoder() {
        this(Limits.DEFAULT_MAX_FRAME_BYTES_READ);
    }

    /**
     * Consumes all of {@code chunk} (from its position to its limit) and hands every completed frame to {@code out},
     * in order. If {@code out} throws, the exception propagates and the chunk's position stays just after the
     * delivered frame, so the rest may be fed again.
     *
     * @throws ProtocolException on malformed input, or if an earlier call failed
     */
    public void feed(ByteBuffer chunk, Consumer<Frame> out) throws ProtocolException {
        if (failure != null) {
            throw new ProtocolException(failure.problem(), "frame decoder failed earlier: " + failure.getMessage());
        }
        try {
            while (chunk.hasRemaining()) {
                switch (state) {
                    case LENGTH -> readLength(chunk);
                    case CHANNEL -> readChannel(chunk, out);
                    case PAYLOAD -> readPayload(chunk, out);
                }
            }
        } catch (ProtocolException e) {
            failure = e;
            throw e;
        }
    }

    /** Convenience for {@link #feed(ByteBuffer, Consumer)} on part of an array. */
    public void feed(byte[] data, int off, int len, Consumer<Frame> out) throws ProtocolException {
        feed(ByteBuffer.wrap(data, off, len), out);
    }

    /** Whether no partial frame is buffered: the stream may end here without losing data. */
    public boolean atFrameBoundary() {
        return failure == null && state == State.LENGTH && lengthDigits == 0;
    }

    /**
     * Declares the end of the stream.
     *
     * @throws ProtocolException if the stream ended inside a frame, or the decoder had failed
     */
    public void finish() throws ProtocolException {
        if (failure != null) {
            throw new ProtocolException(failure.problem(), "frame decoder failed earlier: " + failure.getMessage());
        }
        if (!atFrameBoundary()) {
            failure = new ProtocolException(Problem.PROTOCOL_ERROR, "stream ended inside a frame");
            throw failure;
        }
    }

    private void readLength(ByteBuffer chunk) throws ProtocolException {
        while (chunk.hasRemaining()) {
            byte b = chunk.get();
            if (b == '\n') {
                if (lengthDigits == 0) {
                    throw error("frame length is empty");
                }
                if (frameLength > maxFrameBytes) {
                    throw error("frame length " + frameLength + " exceeds limit " + maxFrameBytes);
                }
                bodyRemaining = frameLength;
                channelLength = 0;
                state = State.CHANNEL;
                return;
            }
            if (b < '0' || b > '9') {
                throw error("frame length contains a non-digit byte 0x" + Integer.toHexString(b & 0xff));
            }
            if (lengthDigits == 0 && b == '0') {
                throw error("frame length is zero or has a leading zero");
            }
            if (lengthDigits == Limits.MAX_LENGTH_DIGITS_READ) {
                throw error("frame length has more than " + Limits.MAX_LENGTH_DIGITS_READ + " digits");
            }
            frameLength = frameLength * 10 + (b - '0');
            lengthDigits++;
        }
    }

    private void readChannel(ByteBuffer chunk, Consumer<Frame> out) throws ProtocolException {
        while (chunk.hasRemaining()) {
            if (bodyRemaining == 0) {
                throw error("frame has no newline after the channel id");
            }
            byte b = chunk.get();
            bodyRemaining--;
            if (b == '\n') {
                channel = channelLength == 0
                        ? ChannelId.CONTROL
                        : new String(channelBytes, 0, channelLength, StandardCharsets.ISO_8859_1);
                if (bodyRemaining == 0) {
                    emit(EMPTY, out);
                } else {
                    payload = new byte[bodyRemaining];
                    payloadFilled = 0;
                    state = State.PAYLOAD;
                }
                return;
            }
            if (!ChannelId.isValidChar(b)) {
                throw error("channel id contains NUL or a non-ASCII byte");
            }
            if (channelLength == channelBytes.length) {
                channelBytes = Arrays.copyOf(channelBytes, channelLength * 2);
            }
            channelBytes[channelLength++] = b;
        }
        // A body that ends exactly at the chunk end without a separator is detected on the next byte.
        if (bodyRemaining == 0) {
            throw error("frame has no newline after the channel id");
        }
    }

    private void readPayload(ByteBuffer chunk, Consumer<Frame> out) {
        int n = Math.min(chunk.remaining(), payload.length - payloadFilled);
        chunk.get(payload, payloadFilled, n);
        payloadFilled += n;
        if (payloadFilled == payload.length) {
            byte[] done = payload;
            payload = null;
            emit(done, out);
        }
    }

    private void emit(byte[] framePayload, Consumer<Frame> out) {
        Frame frame = new Frame(channel, framePayload);
        // Reset before delivering so a throwing consumer leaves the decoder at a frame boundary.
        channel = null;
        state = State.LENGTH;
        lengthDigits = 0;
        frameLength = 0;
        out.accept(frame);
    }

    private ProtocolException error(String message) {
        return new ProtocolException(Problem.PROTOCOL_ERROR, message);
    }
}
