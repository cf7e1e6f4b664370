package io.cockpitwsjava.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Decodes the bridge's stdio stream {@code <decimal length>\n<channel>\n<payload>} (docs/protocol.md §7.1) into
 * {@link Frame}s. A state machine fed with chunks split at arbitrary bytes; not thread-safe.
 *
 * <p>The length counts bytes of channel + newline + payload. It must be canonical (1–9 digits, no leading zero,
 * not zero) and at most {@code maxFrameBytes}; channel ids must be ASCII without NUL. Any violation throws
 * {@link ProtocolException} with {@link Problem#PROTOCOL_ERROR} and poisons the decoder: the stream cannot be
 * resynchronised, so every later call throws too.
 *
 * <p>Memory follows the bytes that arrived, not the length a peer announces: the length is checked against the limit
 * as soon as its line ends, and the payload buffer starts small and at most doubles as bytes come in (capped at the
 * frame's length, so a completed frame needs no final copy). A peer that announces 16 MiB and sends nothing costs
 * nothing; one that sends half of it costs at most that half twice over.
 */
public final class FrameDecoder {

    private enum State { LENGTH, CHANNEL, PAYLOAD }

    /**
     * Where a decoder's large partial-frame buffers are counted, so that what targets make the gateway hold can be
     * bounded across all bridges (docs/SECURITY.md, "Resource limits"). Only buffers of {@link #COUNTED_FROM} bytes or
     * more are counted: ordinary frames never touch it.
     */
    public interface Budget {
        /** Counts nothing and refuses nothing. */
        Budget NONE = new Budget() {
            @Override
            public boolean take(long bytes) {
                return true;
            }

            @Override
            public void give(long bytes) {
            }
        };

        /** Asks for {@code bytes} more; false refuses them (the frame is not taken: see {@link #feed}). */
        boolean take(long bytes);

        /** Gives back {@code bytes} taken before. */
        void give(long bytes);
    }

    /** Payload buffers from this size on are counted in the {@link Budget}. */
    public static final int COUNTED_FROM = 256 * 1024;

    private static final byte[] EMPTY = new byte[0];
    /**
     * First payload allocation of a frame (or the frame's size if smaller); later growth doubles. 64 KiB: a bridge's
     * stream data arrives in frames of up to 64 KiB (what it reads from a pipe at once) split over several SSH packets,
     * and at 16 KiB such a frame was allocated and copied two or three times on its way in (docs/PERFORMANCE.md,
     * "Relay CPU per GB").
     */
    static final int FIRST_PAYLOAD_CHUNK = 64 * 1024;
    private static final int MAX_KEPT_CHANNEL_BUFFER = 1024;

    private int maxFrameBytes;

    private State state = State.LENGTH;
    private int lengthDigits;
    private int frameLength;
    /** Bytes of the frame body (after the length line) not yet consumed. */
    private int bodyRemaining;
    private byte[] channelBytes = new byte[32];
    private int channelLength;
    private String channel;
    /** The payload received so far; its length grows with the bytes that arrived, up to {@link #payloadLength}. */
    private byte[] payload = EMPTY;
    private int payloadFilled;
    private int payloadLength;
    private ProtocolException failure;
    private Budget budget = Budget.NONE;
    /** Bytes of {@link #payload} taken from the budget (0 or its length); guarded by {@code this}. */
    private long counted;
    /** The owner dropped this decoder: nothing is counted any more. Guarded by {@code this}. */
    private boolean released;

    /**
     * @param maxFrameBytes largest accepted frame length (channel + 1 + payload), between 1 and 999 999 999;
     *                      see {@link Limits#DEFAULT_MAX_FRAME_BYTES_READ}
     */
    public FrameDecoder(int maxFrameBytes) {
        setMaxFrameBytes(maxFrameBytes);
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
            payload = EMPTY; // a poisoned decoder keeps no partial frame
            synchronized (this) {
                giveBack();
            }
            throw e;
        }
    }

    /**
     * Changes the largest accepted frame length for every frame whose length line ends after this call, also later
     * in a chunk being fed (so a consumer may raise it when it sees the peer's first message).
     *
     * @param maxFrameBytes between 1 and 999 999 999
     */
    public void setMaxFrameBytes(int maxFrameBytes) {
        if (maxFrameBytes < 1 || maxFrameBytes > Limits.MAX_FRAME_BYTES_READ) {
            throw new IllegalArgumentException("maxFrameBytes out of range: " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    /** Counts this decoder's large buffers in {@code budget} from the next one on. */
    public void budget(Budget budget) {
        this.budget = java.util.Objects.requireNonNull(budget, "budget");
    }

    /**
     * The owner drops this decoder (from any thread, also while another feeds it): what it counted is given back,
     * and nothing is counted any more.
     */
    public synchronized void release() {
        released = true;
        giveBack();
    }

    /** Bytes counted in the budget now. */
    public synchronized long countedBytes() {
        return counted;
    }

    /** The largest frame length accepted now. */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /** Bytes this decoder holds for a partial frame (channel id and payload buffers), for limits and tests. */
    public int bufferedBytes() {
        return channelBytes.length + payload.length;
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
                    // nothing is allocated for the announced length: readPayload grows the buffer as bytes arrive
                    payload = EMPTY;
                    payloadFilled = 0;
                    payloadLength = bodyRemaining;
                    state = State.PAYLOAD;
                }
                return;
            }
            if (!ChannelId.isValidChar(b)) {
                throw error("channel id contains NUL or a non-ASCII byte");
            }
            if (channelLength == channelBytes.length) {
                channelBytes = Arrays.copyOf(channelBytes, (int) Math.min(frameLength, channelLength * 2L));
            }
            channelBytes[channelLength++] = b;
        }
        // A body that ends exactly at the chunk end without a separator is detected on the next byte.
        if (bodyRemaining == 0) {
            throw error("frame has no newline after the channel id");
        }
    }

    private void readPayload(ByteBuffer chunk, Consumer<Frame> out) throws ProtocolException {
        int n = Math.min(chunk.remaining(), payloadLength - payloadFilled);
        int needed = payloadFilled + n;
        if (needed > payload.length) {
            // at most twice what arrived (or one first chunk), never more than the frame: memory follows the bytes
            long grown = Math.max(2L * payload.length, FIRST_PAYLOAD_CHUNK);
            int size = (int) Math.min(payloadLength, Math.max(needed, grown));
            if (size >= COUNTED_FROM && !count(size)) {
                throw new ProtocolException(Problem.TOO_LARGE, "a frame of " + payloadLength
                        + " bytes does not fit the gateway's buffer budget for targets");
            }
            payload = Arrays.copyOf(payload, size);
        }
        chunk.get(payload, payloadFilled, n);
        payloadFilled += n;
        if (payloadFilled == payloadLength) {
            byte[] done = payload;
            payload = EMPTY;
            if (counted > 0) {
                synchronized (this) {
                    giveBack(); // handed on: from here the consumer's bounds apply
                }
            }
            emit(done, out);
        }
    }

    /** Takes what a payload buffer of {@code size} bytes adds to the budget; false if refused. */
    private synchronized boolean count(int size) {
        if (released) {
            return true; // dropped: this frame is read only to be discarded, and not for long
        }
        long more = size - counted;
        if (!budget.take(more)) {
            return false;
        }
        counted = size;
        return true;
    }

    private void giveBack() {
        if (counted > 0) {
            budget.give(counted);
            counted = 0;
        }
    }

    private void emit(byte[] framePayload, Consumer<Frame> out) {
        Frame frame = new Frame(channel, framePayload);
        // Reset before delivering so a throwing consumer leaves the decoder at a frame boundary.
        channel = null;
        if (channelBytes.length > MAX_KEPT_CHANNEL_BUFFER) {
            channelBytes = new byte[32]; // one absurd channel id must not pin its buffer for the stream's life
        }
        state = State.LENGTH;
        lengthDigits = 0;
        frameLength = 0;
        out.accept(frame);
    }

    private ProtocolException error(String message) {
        return new ProtocolException(Problem.PROTOCOL_ERROR, message);
    }
}
