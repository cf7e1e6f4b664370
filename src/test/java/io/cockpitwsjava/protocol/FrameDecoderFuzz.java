package io.cockpitwsjava.protocol;

import static io.cockpitwsjava.fuzz.FuzzFinding.check;
import static io.cockpitwsjava.fuzz.FuzzFinding.checkEqual;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import io.cockpitwsjava.fuzz.FuzzInput;

/**
 * Fuzz harness for {@link FrameDecoder}. Input: limit (2 bytes, 1..65536), split seed (4 bytes), stream bytes.
 * Documented error: {@link ProtocolException} with {@link Problem#PROTOCOL_ERROR}, after which the decoder stays
 * failed. Properties: no frame over the limit, valid channel ids, the frames re-encode to exactly the bytes they
 * came from, the same frames however the stream is split, a throwing consumer loses nothing, and the decoder
 * allocates no more than its limit beyond what it hands out.
 */
public final class FrameDecoderFuzz {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    /** Fixed allocation slack: the decoder, its first channel buffer, the ByteBuffer, a lambda. */
    private static final long ALLOCATION_SLACK = 4096;

    private FrameDecoderFuzz() {
    }

    /** What a decoder made of a stream. */
    private record Outcome(List<Frame> frames, boolean failed, boolean atBoundary) {
    }

    public static void fuzzerTestOneInput(byte[] data) {
        FuzzInput in = new FuzzInput(data);
        int limit = in.intIn(1, 65_536);
        long splitSeed = in.u32();
        byte[] stream = in.rest();

        Outcome whole = decode(limit, stream, new int[] {stream.length});
        for (Frame f : whole.frames()) {
            check(ChannelId.isValid(f.channel()) && !f.channel().contains("\n"), "invalid channel id in " + f);
            check(f.channel().length() + 1 + f.payload().length <= limit, f + " exceeds the limit " + limit);
        }

        // The length line is canonical, so the frames re-encode to exactly the bytes they were decoded from.
        byte[] reencoded = encode(whole.frames());
        check(reencoded.length <= stream.length
                        && Arrays.equals(reencoded, 0, reencoded.length, stream, 0, reencoded.length),
                "re-encoded frames are not a prefix of the input");
        if (whole.failed()) {
            check(reencoded.length < stream.length, "failed although every byte became a frame");
        } else {
            checkEqual(whole.atBoundary(), reencoded.length == stream.length, "at frame boundary");
        }
        Outcome again = decode(limit, reencoded, new int[] {reencoded.length});
        check(!again.failed() && again.atBoundary(), "re-encoded frames do not decode cleanly");
        checkEqual(whole.frames(), again.frames(), "frames after re-encoding");

        Outcome split = decode(limit, stream, cuts(new Random(splitSeed), stream.length));
        checkEqual(whole, split, "outcome when split");
        if (stream.length <= 256) {
            checkEqual(whole, decode(limit, stream, everyByte(stream.length)), "outcome fed byte by byte");
        }

        checkThrowingConsumer(limit, stream, (int) (splitSeed & 7), whole);
        checkAllocation(limit, stream);
    }

    private static Outcome decode(int limit, byte[] stream, int[] cuts) {
        FrameDecoder decoder = new FrameDecoder(limit);
        List<Frame> frames = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            try {
                decoder.feed(stream, from, cut - from, frames::add);
            } catch (ProtocolException e) {
                checkEqual(Problem.PROTOCOL_ERROR, e.problem(), "problem");
                checkPoisoned(decoder);
                return new Outcome(frames, true, false);
            }
            from = cut;
        }
        boolean boundary = decoder.atFrameBoundary();
        try {
            decoder.finish();
            check(boundary, "finish() accepted a stream that ended inside a frame");
        } catch (ProtocolException e) {
            check(!boundary, "finish() failed at a frame boundary");
        }
        return new Outcome(frames, false, boundary);
    }

    private static void checkPoisoned(FrameDecoder decoder) {
        try {
            decoder.feed(ByteBuffer.wrap("1\n\n".getBytes(StandardCharsets.US_ASCII)), f -> {
                throw new AssertionError("a failed decoder delivered a frame");
            });
            throw new io.cockpitwsjava.fuzz.FuzzFinding("a failed decoder accepted more input");
        } catch (ProtocolException expected) {
            check(!decoder.atFrameBoundary(), "a failed decoder claims a frame boundary");
        }
    }

    /** A consumer that throws on the k-th frame: the rest of the chunk, fed again, yields the remaining frames. */
    private static void checkThrowingConsumer(int limit, byte[] stream, int k, Outcome whole) {
        if (whole.failed() || whole.frames().size() <= k) {
            return;
        }
        FrameDecoder decoder = new FrameDecoder(limit);
        List<Frame> frames = new ArrayList<>();
        ByteBuffer chunk = ByteBuffer.wrap(stream);
        int[] delivered = {0};
        try {
            decoder.feed(chunk, f -> {
                frames.add(f);
                if (delivered[0]++ == k) {
                    throw new IllegalStateException("consumer refuses");
                }
            });
            throw new io.cockpitwsjava.fuzz.FuzzFinding("the consumer's exception did not propagate");
        } catch (IllegalStateException expected) {
            check(decoder.atFrameBoundary(), "a throwing consumer left the decoder inside a frame");
        } catch (ProtocolException e) {
            throw new io.cockpitwsjava.fuzz.FuzzFinding("protocol error only when the consumer throws: " + e);
        }
        try {
            decoder.feed(chunk, frames::add);
            decoder.finish();
        } catch (ProtocolException e) {
            check(!whole.atBoundary(), "refeeding after a throwing consumer failed: " + e.getMessage());
        }
        checkEqual(whole.frames(), frames, "frames with a throwing consumer");
    }

    /**
     * Bytes allocated by making a decoder and feeding it the whole stream, with a consumer that keeps nothing: at
     * most the limit (one payload buffer declared but not yet filled) plus what the frames handed out take, which is
     * under 24 bytes per input byte ("3\na\nx" makes a Frame, a String, its array and a payload: 96 bytes for 5).
     */
    private static void checkAllocation(int limit, byte[] stream) {
        if (!THREADS.isThreadAllocatedMemorySupported() || !THREADS.isThreadAllocatedMemoryEnabled()) {
            return;
        }
        // the first run of a path also allocates for class initialisation and call-site linkage: take the lesser
        long allocated = Math.min(allocationOfOneDecode(limit, stream), allocationOfOneDecode(limit, stream));
        long bound = limit + 32L * stream.length + ALLOCATION_SLACK;
        check(allocated <= bound, "decoder allocated " + allocated + " bytes for " + stream.length
                + " input bytes with limit " + limit + " (bound " + bound + ")");
    }

    private static long allocationOfOneDecode(int limit, byte[] stream) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        try {
            new FrameDecoder(limit).feed(ByteBuffer.wrap(stream), f -> {
            });
        } catch (ProtocolException e) {
            // the outcome was checked above
        }
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }

    private static int[] cuts(Random r, int length) {
        int n = length == 0 ? 1 : 1 + r.nextInt(Math.min(length, 16));
        int[] cuts = new int[n];
        for (int i = 0; i < n - 1; i++) {
            cuts[i] = r.nextInt(length + 1);
        }
        cuts[n - 1] = length;
        Arrays.sort(cuts);
        return cuts;
    }

    private static int[] everyByte(int length) {
        int[] cuts = new int[Math.max(1, length)];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = Math.min(i + 1, length);
        }
        return cuts;
    }

    private static byte[] encode(List<Frame> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Frame f : frames) {
            out.writeBytes(FrameEncoder.encode(f.channel(), f.payload()));
        }
        return out.toByteArray();
    }

    /** A stream of mostly valid frames (control messages, data, odd channel ids), sometimes broken at the end. */
    public static byte[] generate(Random r) {
        int limit = r.nextInt(4) == 0 ? 1 + r.nextInt(64) : 1 + r.nextInt(65_536);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        int frames = r.nextInt(6);
        for (int i = 0; i < frames; i++) {
            String channel = switch (r.nextInt(4)) {
                case 0 -> "";
                case 1 -> (r.nextInt(9) + 1) + ":" + r.nextInt(100);
                case 2 -> "x" + "!".repeat(r.nextInt(40));
                default -> "\u007f~" + r.nextInt(1000);
            };
            byte[] payload = new byte[r.nextInt(r.nextBoolean() ? 16 : 2048)];
            if (channel.isEmpty()) {
                payload = "{\"command\":\"ping\"}".getBytes(StandardCharsets.UTF_8);
            } else {
                r.nextBytes(payload);
            }
            stream.writeBytes(FrameEncoder.encode(channel, payload));
        }
        switch (r.nextInt(5)) {
            case 0 -> stream.writeBytes("12".getBytes(StandardCharsets.US_ASCII));   // ends inside a length
            case 1 -> stream.writeBytes("99999\nch".getBytes(StandardCharsets.US_ASCII)); // ends inside a frame
            case 2 -> stream.write(r.nextInt(256));                                    // a stray byte
            default -> {
            }
        }
        return new FuzzInput.Builder().intIn(limit, 1).u32(r.nextInt()).bytes(stream.toByteArray()).build();
    }

    public static final List<String> DICTIONARY = List.of("\n", "\n\n", "0", "1\n\n", "65536\n", "999999999\n",
            "1000000000\n", "\0", "\u007f", "{\"command\":\"open\",\"channel\":\"1\"}");
}
