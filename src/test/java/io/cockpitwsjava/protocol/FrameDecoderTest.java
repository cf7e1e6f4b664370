package io.cockpitwsjava.protocol;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FrameDecoderTest {

    /** Valid wire bytes and the frame they decode to. */
    static Stream<Arguments> validFrames() {
        return Stream.of(
                valid("6\na5\nabc", "a5", "abc"),
                valid("35\n\n{\"command\":\"done\",\"channel\":\"1:1\"}", "", "{\"command\":\"done\",\"channel\":\"1:1\"}"),
                valid("3\na5\n", "a5", ""),
                valid("1\n\n", "", ""),
                valid("8\n1:3!7\nx\n", "1:3!7", "x\n"),
                valid("7\nx\n\na\nb\n", "x", "\na\nb\n"),
                // length counts bytes: é is 2, € is 3 UTF-8 bytes
                valid("7\nc\n\u00e9\u20ac", "c", "\u00e9\u20ac"),
                // a 4-byte UTF-8 sequence (surrogate pair in Java)
                valid("10\n0:0\n\uD83D\uDE00ok", "0:0", "\uD83D\uDE00ok"));
    }

    private static Arguments valid(String wireUtf8, String channel, String payload) {
        return Arguments.of(wireUtf8.getBytes(UTF_8), new Frame(channel, payload.getBytes(UTF_8)));
    }

    /** Invalid streams; every one must fail with protocol-error however it is split. */
    static Stream<Arguments> invalidStreams() {
        return Stream.of(
                Arguments.of("zero length", "0\n"),
                Arguments.of("leading zero", "01\n\n"),
                Arguments.of("empty length", "\n\n"),
                Arguments.of("non-digit", "1a\n\n"),
                Arguments.of("sign", "+1\n\n"),
                Arguments.of("negative", "-1\n\n"),
                Arguments.of("leading space", " 1\n\n"),
                Arguments.of("banner before first frame", "Welcome\n6\na5\nabc"),
                Arguments.of("ten digits", "1000000000\n"),
                Arguments.of("no newline within 10 bytes", "12345678901"),
                Arguments.of("exceeds limit", "65\n"),
                Arguments.of("no channel separator", "2\nab"),
                Arguments.of("no channel separator, more follows", "2\nab3\na5\n"),
                Arguments.of("NUL in channel", "4\na\0b\n"),
                Arguments.of("DEL is fine but 0x80 is not", "4\na\u0080\nx"),
                Arguments.of("valid frame then garbage", "6\na5\nabcX"));
    }

    @ParameterizedTest
    @MethodSource("validFrames")
    void decodesFedWhole(byte[] wire, Frame expected) throws Exception {
        assertEquals(List.of(expected), decode(wire, new int[0]));
    }

    @ParameterizedTest
    @MethodSource("validFrames")
    void decodesFedByteByByte(byte[] wire, Frame expected) throws Exception {
        List<Frame> frames = new ArrayList<>();
        FrameDecoder decoder = new FrameDecoder(64);
        for (int i = 0; i < wire.length; i++) {
            assertTrue(frames.isEmpty(), "frame emitted before its last byte");
            decoder.feed(ByteBuffer.wrap(wire, i, 1), frames::add);
        }
        assertEquals(List.of(expected), frames);
        assertTrue(decoder.atFrameBoundary());
    }

    @ParameterizedTest
    @MethodSource("validFrames")
    void decodesSplitAtEveryPosition(byte[] wire, Frame expected) throws Exception {
        for (int split = 0; split <= wire.length; split++) {
            assertEquals(List.of(expected), decode(wire, new int[] {split}), "split at " + split);
        }
    }

    @Test
    void decodesAllTableFramesFromOneChunkAndFromEverySplit() throws Exception {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        List<Frame> expected = new ArrayList<>();
        validFrames().forEach(a -> {
            stream.writeBytes((byte[]) a.get()[0]);
            expected.add((Frame) a.get()[1]);
        });
        byte[] wire = stream.toByteArray();
        assertEquals(expected, decode(wire, new int[0]));
        for (int a = 0; a <= wire.length; a++) {
            for (int b = a; b <= wire.length; b += 7) {
                assertEquals(expected, decode(wire, new int[] {a, b}), "split at " + a + ", " + b);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidStreams")
    void rejectsWhole(String name, String wire) {
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> decode(wire.getBytes(ISO_8859_1), new int[0]));
        assertEquals(Problem.PROTOCOL_ERROR, e.problem());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidStreams")
    void rejectsByteByByteAndStaysPoisoned(String name, String wire) {
        byte[] bytes = wire.getBytes(ISO_8859_1);
        FrameDecoder decoder = new FrameDecoder(64);
        ProtocolException failure = null;
        for (int i = 0; i < bytes.length && failure == null; i++) {
            try {
                decoder.feed(ByteBuffer.wrap(bytes, i, 1), f -> { });
            } catch (ProtocolException e) {
                failure = e;
            }
        }
        if (failure == null) {
            // the stream is a valid prefix so far; a bad body is only known once its length is exhausted
            failure = assertThrows(ProtocolException.class, decoder::finish);
        }
        assertEquals(Problem.PROTOCOL_ERROR, failure.problem());
        assertFalse(decoder.atFrameBoundary());
        ProtocolException again = assertThrows(ProtocolException.class,
                () -> decoder.feed(ByteBuffer.wrap("6\na5\nabc".getBytes(UTF_8)), f -> { }));
        assertEquals(Problem.PROTOCOL_ERROR, again.problem());
        assertThrows(ProtocolException.class, decoder::finish);
    }

    @Test
    void deliversFramesBeforeTheError() {
        List<Frame> frames = new ArrayList<>();
        FrameDecoder decoder = new FrameDecoder(64);
        assertThrows(ProtocolException.class,
                () -> decoder.feed(ByteBuffer.wrap("6\na5\nabc0\n".getBytes(UTF_8)), frames::add));
        assertEquals(List.of(new Frame("a5", "abc".getBytes(UTF_8))), frames);
    }

    @Test
    void acceptsNineDigitLengthWithinLimit() throws Exception {
        FrameDecoder decoder = new FrameDecoder(999_999_999);
        decoder.feed(ByteBuffer.wrap("999999999\nchannel-id\nabc".getBytes(UTF_8)), f -> { });
        assertFalse(decoder.atFrameBoundary());
        // the announced length allocates nothing: only what arrived is held
        assertTrue(decoder.bufferedBytes() <= 64 + FrameDecoder.FIRST_PAYLOAD_CHUNK, "" + decoder.bufferedBytes());
        assertThrows(ProtocolException.class, decoder::finish);
    }

    @Test
    void memoryFollowsTheBytesThatArriveNotTheAnnouncedLength() throws Exception {
        int payloadLength = 16 * 1024 * 1024 - 4;
        FrameDecoder decoder = new FrameDecoder(16 * 1024 * 1024);
        List<Frame> frames = new ArrayList<>();
        decoder.feed(ByteBuffer.wrap("16777216\n1:1\n".getBytes(UTF_8)), frames::add);
        assertTrue(decoder.bufferedBytes() <= 32, "nothing allocated for the length line: " + decoder.bufferedBytes());

        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) 'x');
        long arrived = 0;
        while (arrived + chunk.length < payloadLength) {
            decoder.feed(ByteBuffer.wrap(chunk), frames::add);
            arrived += chunk.length;
            // doubling growth: at most twice what arrived, plus the channel id buffer
            assertTrue(decoder.bufferedBytes() <= 2 * arrived + 32, arrived + " arrived, " + decoder.bufferedBytes() + " held");
            assertTrue(frames.isEmpty());
        }
        decoder.feed(ByteBuffer.wrap(chunk, 0, (int) (payloadLength - arrived)), frames::add);
        assertEquals(1, frames.size());
        assertEquals("1:1", frames.get(0).channel());
        assertEquals(payloadLength, frames.get(0).payload().length, "the completed frame is exactly its length");
        assertTrue(decoder.atFrameBoundary());
        assertTrue(decoder.bufferedBytes() <= 32, "the frame's buffer left with the frame");
    }

    @Test
    void aFrameSplitIntoManyPiecesDecodesTheSameAsWhole() throws Exception {
        java.util.Random random = new java.util.Random(7);
        byte[] payload = new byte[300_000];
        random.nextBytes(payload);
        byte[] wire = FrameEncoder.encode("4:2!7", payload);
        for (int piece : new int[] {1, 7, 1000, FrameDecoder.FIRST_PAYLOAD_CHUNK - 1, FrameDecoder.FIRST_PAYLOAD_CHUNK + 1,
                65536, wire.length}) {
            FrameDecoder decoder = new FrameDecoder(wire.length);
            List<Frame> frames = new ArrayList<>();
            for (int off = 0; off < wire.length; off += piece) {
                decoder.feed(ByteBuffer.wrap(wire, off, Math.min(piece, wire.length - off)), frames::add);
            }
            assertEquals(List.of(new Frame("4:2!7", payload)), frames, "pieces of " + piece);
        }
    }

    @Test
    void aLongChannelIdDoesNotPinItsBuffer() throws Exception {
        String channel = "c".repeat(100_000);
        FrameDecoder decoder = new FrameDecoder(1 << 20);
        List<Frame> frames = new ArrayList<>();
        decoder.feed(ByteBuffer.wrap(FrameEncoder.encode(channel, new byte[] {1})), frames::add);
        assertEquals(channel, frames.get(0).channel());
        assertTrue(decoder.bufferedBytes() <= 1024, "" + decoder.bufferedBytes());
    }

    @Test
    void aSmallLimitBeforeTheFirstFrameCanBeRaisedByItsConsumer() throws Exception {
        // the bridge's init is small; only after it may frames be large (BridgeConnection does exactly this)
        byte[] init = FrameEncoder.encode("", "{\"command\":\"init\"}".getBytes(UTF_8));
        byte[] big = FrameEncoder.encode("1:1", new byte[100_000]);
        byte[] wire = new byte[init.length + big.length];
        System.arraycopy(init, 0, wire, 0, init.length);
        System.arraycopy(big, 0, wire, init.length, big.length);

        FrameDecoder refusing = new FrameDecoder(64 * 1024);
        assertThrows(ProtocolException.class, () -> refusing.feed(ByteBuffer.wrap(wire), f -> { }));

        for (int split = 0; split <= wire.length; split += 997) {
            FrameDecoder decoder = new FrameDecoder(64 * 1024);
            List<Frame> frames = new ArrayList<>();
            Consumer<Frame> raiseOnFirst = f -> {
                if (frames.isEmpty()) {
                    decoder.setMaxFrameBytes(1 << 20);
                }
                frames.add(f);
            };
            decoder.feed(ByteBuffer.wrap(wire, 0, split), raiseOnFirst);
            decoder.feed(ByteBuffer.wrap(wire, split, wire.length - split), raiseOnFirst);
            assertEquals(2, frames.size(), "split at " + split);
            assertEquals(100_000, frames.get(1).payload().length);
        }
    }

    @Test
    void anEightDigitLengthBeforeInitIsRefusedAtItsNewline() {
        FrameDecoder decoder = new FrameDecoder(Limits.MAX_FRAME_BYTES_BEFORE_INIT);
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> decoder.feed(ByteBuffer.wrap("99999999\n".getBytes(UTF_8)), f -> { }));
        assertEquals(Problem.PROTOCOL_ERROR, e.problem());
        assertTrue(e.getMessage().contains("exceeds limit 65536"), e.getMessage());
        assertTrue(decoder.bufferedBytes() <= 32);
    }

    @Test
    void rejectsUnreasonableLimitChanges() {
        FrameDecoder decoder = new FrameDecoder(10);
        assertThrows(IllegalArgumentException.class, () -> decoder.setMaxFrameBytes(0));
        assertThrows(IllegalArgumentException.class, () -> decoder.setMaxFrameBytes(1_000_000_000));
        assertEquals(10, decoder.maxFrameBytes());
    }

    @Test
    void rejectsNineDigitLengthAboveLimit() {
        FrameDecoder decoder = new FrameDecoder();
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> decoder.feed(ByteBuffer.wrap("123456789\n".getBytes(UTF_8)), f -> { }));
        assertTrue(e.getMessage().contains("exceeds"), e.getMessage());
    }

    @Test
    void acceptsFrameOfExactlyTheLimit() throws Exception {
        List<Frame> frames = new ArrayList<>();
        new FrameDecoder(6).feed(ByteBuffer.wrap("6\na5\nabc".getBytes(UTF_8)), frames::add);
        assertEquals(1, frames.size());
        assertThrows(ProtocolException.class,
                () -> new FrameDecoder(5).feed(ByteBuffer.wrap("6\na5\nabc".getBytes(UTF_8)), f -> { }));
    }

    @Test
    void finishFailsInsideAFrame() throws Exception {
        FrameDecoder decoder = new FrameDecoder();
        decoder.feed(ByteBuffer.wrap("6\na5\nab".getBytes(UTF_8)), f -> { });
        assertFalse(decoder.atFrameBoundary());
        assertEquals(Problem.PROTOCOL_ERROR, assertThrows(ProtocolException.class, decoder::finish).problem());

        FrameDecoder idle = new FrameDecoder();
        idle.feed(ByteBuffer.wrap("6\na5\nabc".getBytes(UTF_8)), f -> { });
        idle.finish();
    }

    @Test
    void throwingConsumerLeavesRestOfChunkToFeedAgain() throws Exception {
        ByteBuffer chunk = ByteBuffer.wrap("6\na5\nabc6\nb6\ndef".getBytes(UTF_8));
        FrameDecoder decoder = new FrameDecoder();
        assertThrows(IllegalStateException.class, () -> decoder.feed(chunk, f -> {
            throw new IllegalStateException("consumer failed");
        }));
        assertTrue(decoder.atFrameBoundary());
        List<Frame> frames = new ArrayList<>();
        decoder.feed(chunk, frames::add);
        assertEquals(List.of(new Frame("b6", "def".getBytes(UTF_8))), frames);
    }

    @Test
    void consumesDirectBuffers() throws Exception {
        byte[] wire = "6\na5\nabc".getBytes(UTF_8);
        ByteBuffer direct = ByteBuffer.allocateDirect(wire.length).put(wire).flip();
        List<Frame> frames = new ArrayList<>();
        new FrameDecoder().feed(direct, frames::add);
        assertEquals(List.of(new Frame("a5", "abc".getBytes(UTF_8))), frames);
        assertFalse(direct.hasRemaining());
    }

    @Test
    void rejectsUnreasonableLimit() {
        assertThrows(IllegalArgumentException.class, () -> new FrameDecoder(0));
        assertThrows(IllegalArgumentException.class, () -> new FrameDecoder(1_000_000_000));
    }

    @Test
    void randomRoundTripWithRandomSplits() throws Exception {
        long seed = System.nanoTime();
        java.util.Random random = new java.util.Random(seed);
        for (int round = 0; round < 200; round++) {
            List<Frame> sent = new ArrayList<>();
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            int count = 1 + random.nextInt(20);
            for (int i = 0; i < count; i++) {
                Frame frame = new Frame(randomChannel(random), randomPayload(random));
                sent.add(frame);
                stream.writeBytes(FrameEncoder.encode(frame.channel(), frame.payload()));
            }
            byte[] wire = stream.toByteArray();
            int[] splits = random.ints(random.nextInt(10), 0, wire.length + 1).sorted().toArray();
            List<Frame> received = decode(wire, splits);
            assertEquals(sent, received, "seed " + seed + ", round " + round);
        }
    }

    static String randomChannel(java.util.Random random) {
        int length = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(12);
        StringBuilder channel = new StringBuilder();
        for (int i = 0; i < length; i++) {
            char c;
            do {
                c = (char) (1 + random.nextInt(0x7f));
            } while (c == '\n');
            channel.append(c);
        }
        return channel.toString();
    }

    static byte[] randomPayload(java.util.Random random) {
        int length = switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> random.nextInt(16);
            case 2 -> random.nextInt(2000);
            default -> random.nextInt(70_000);
        };
        byte[] payload = new byte[length];
        random.nextBytes(payload);
        return payload;
    }

    /** Decodes {@code wire} fed in chunks cut at the given ascending positions, then checks the stream ended cleanly. */
    static List<Frame> decode(byte[] wire, int[] splits) throws ProtocolException {
        List<Frame> frames = new ArrayList<>();
        FrameDecoder decoder = new FrameDecoder(Math.max(64, wire.length));
        int from = 0;
        for (int split : splits) {
            decoder.feed(ByteBuffer.wrap(wire, from, split - from), frames::add);
            from = split;
        }
        decoder.feed(ByteBuffer.wrap(wire, from, wire.length - from), frames::add);
        decoder.finish();
        return frames;
    }

    @Test
    void payloadIsCopiedOutOfTheChunk() throws Exception {
        byte[] wire = "6\na5\nabc".getBytes(UTF_8);
        List<Frame> frames = new ArrayList<>();
        new FrameDecoder().feed(ByteBuffer.wrap(wire), frames::add);
        wire[wire.length - 1] = 'X';
        assertArrayEquals("abc".getBytes(UTF_8), frames.get(0).payload());
    }
}
