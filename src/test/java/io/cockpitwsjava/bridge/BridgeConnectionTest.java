package io.cockpitwsjava.bridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.cockpitwsjava.beiboot.BeipackPayload;
import io.cockpitwsjava.beiboot.BootSequence;
import io.cockpitwsjava.beiboot.OsSupportPolicy;
import io.cockpitwsjava.beiboot.RemoteBridgeMode;
import io.cockpitwsjava.protocol.ControlMessage;
import io.cockpitwsjava.protocol.Frame;
import io.cockpitwsjava.protocol.FrameDecoder;
import io.cockpitwsjava.protocol.FrameEncoder;
import io.cockpitwsjava.protocol.Limits;
import io.cockpitwsjava.protocol.Problem;
import io.cockpitwsjava.protocol.ProblemException;

/** The relay of one bridge over an in-memory transport: boot handshake, routing, back-pressure, authorize, ends. */
class BridgeConnectionTest {

    static final String INIT = "{\"command\":\"init\",\"version\":1,\"capabilities\":{\"explicit-superuser\":true}}";

    static BootSequence boot() {
        return InMemoryBridge.boot();
    }

    static byte[] control(String json) {
        return FrameEncoder.encode("", json.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] data(String channel, String payload) {
        return FrameEncoder.encode(channel, payload.getBytes(StandardCharsets.UTF_8));
    }

    /** Records what the connection delivers. */
    static final class Recorder implements BridgeConnection.Listener {
        final List<String> events = new ArrayList<>();
        int writable;

        @Override
        public synchronized void onData(String channel, byte[] payload) {
            events.add("data " + channel + " " + new String(payload, StandardCharsets.UTF_8));
        }

        @Override
        public synchronized void onControl(ControlMessage message) {
            events.add("control " + message.command() + (message.channel() == null ? "" : " " + message.channel()));
        }

        @Override
        public synchronized void onClosed(Problem problem, String message) {
            events.add("closed " + problem.wireName());
        }

        @Override
        public synchronized void onWritable() {
            writable++;
        }

        synchronized List<String> events() {
            return List.copyOf(events);
        }
    }

    record Running(InMemoryTransport transport, BridgeConnection.Started started, Recorder recorder) {
        BridgeConnection bridge() {
            return started.bridge();
        }
    }

    static Running started() throws Exception {
        InMemoryTransport t = new InMemoryTransport();
        CompletableFuture<BridgeConnection.Started> f = BridgeConnection.start(t, boot(), Duration.ofSeconds(10), "test");
        t.bridgeWrites(control(INIT));
        BridgeConnection.Started s = f.get(5, TimeUnit.SECONDS);
        Recorder r = new Recorder();
        s.bridge().attach(r);
        return new Running(t, s, r);
    }

    /** Every frame the gateway wrote to the bridge's stdin after stage 1. */
    static List<Frame> framesWritten(InMemoryTransport t) throws Exception {
        List<Frame> frames = new ArrayList<>();
        new FrameDecoder().feed(t.stdin(), 0, t.stdin().length, frames::add);
        return frames;
    }

    @Test
    void stage1GoesFirstThenInitCompletesTheStart() throws Exception {
        InMemoryTransport t = new InMemoryTransport();
        CompletableFuture<BridgeConnection.Started> f = BridgeConnection.start(t, boot(), Duration.ofSeconds(10), "test");
        assertArrayEquals(boot().stage1(), t.stdin(), "stage 1 is written as soon as the transport opens");
        assertFalse(f.isDone());
        t.bridgeWrites(control(INIT));
        BridgeConnection.Started s = f.get(5, TimeUnit.SECONDS);
        assertEquals("init", s.init().command());
        assertTrue(s.explicitSuperuser());
        assertFalse(s.beibootMode(), "no file report: an installed bridge answered");
    }

    @Test
    void framesBeforeAttachAreDeliveredInOrder() throws Exception {
        InMemoryTransport t = new InMemoryTransport();
        CompletableFuture<BridgeConnection.Started> f = BridgeConnection.start(t, boot(), Duration.ofSeconds(10), "test");
        byte[] burst = concat(control(INIT), data("1:1", "a"), control("{\"command\":\"ready\",\"channel\":\"1:1\"}"),
                data("1:1", "b"));
        t.bridgeWrites(burst);
        BridgeConnection.Started s = f.get(5, TimeUnit.SECONDS);
        Recorder r = new Recorder();
        s.bridge().attach(r);
        t.bridgeWrites(data("1:1", "c"));
        assertEquals(List.of("data 1:1 a", "control ready 1:1", "data 1:1 b", "data 1:1 c"), r.events());
    }

    @Test
    void nothingIsTakenBetweenInitAndAttach() throws Exception {
        InMemoryTransport t = new InMemoryTransport();
        CompletableFuture<BridgeConnection.Started> f = BridgeConnection.start(t, boot(), Duration.ofSeconds(10), "test");
        t.bridgeWrites(control(INIT));
        BridgeConnection.Started s = f.get(5, TimeUnit.SECONDS);
        assertEquals(0, t.unconsumed(), "the init was taken");
        byte[] waiting = data("1:1", "waits, counted against the window");
        t.bridgeWrites(waiting);
        assertEquals(waiting.length, t.unconsumed(), "nobody takes frames yet: the chunk is held, not given back");
        Recorder r = new Recorder();
        s.bridge().attach(r);
        assertEquals(List.of("data 1:1 waits, counted against the window"), r.events());
        assertEquals(0, t.unconsumed(), "given back once handed on");
    }

    @Test
    void aLengthAboveTheInitLimitFailsTheStartAtItsNewline() {
        InMemoryTransport t = new InMemoryTransport();
        CompletableFuture<BridgeConnection.Started> f = BridgeConnection.start(t, boot(), Duration.ofSeconds(10), "test");
        t.bridgeWrites("60000000\n\n".getBytes(StandardCharsets.US_ASCII));
        ProblemException e = failure(f);
        assertEquals(Problem.PROTOCOL_ERROR, e.problem());
        assertTrue(e.getMessage().contains("exceeds limit " + Limits.MAX_FRAME_BYTES_BEFORE_INIT), e.getMessage());
        assertTrue(t.isClosed());
    }

    @Test
    void afterTheInitFramesUpToTheConfiguredLimitPassAndALargerOneEndsTheBridge() throws Exception {
        InMemoryTransport t = new InMemoryTransport();
        int limit = 256 * 1024;
        CompletableFuture<BridgeConnection.Started> f = BridgeConnection.start(t, boot(), Duration.ofSeconds(10), "test",
                limit);
        t.bridgeWrites(control(INIT));
        Recorder r = new Recorder();
        f.get(5, TimeUnit.SECONDS).bridge().attach(r);
        byte[] big = new byte[limit - 4]; // "1:1\n" + payload = the limit
        t.bridgeWrites(FrameEncoder.encode("1:1", big));
        assertEquals(List.of("data 1:1 " + new String(big, StandardCharsets.UTF_8)), r.events());
        t.bridgeWrites((limit + 1 + "\n1:1\n").getBytes(StandardCharsets.US_ASCII));
        assertEquals("closed protocol-error", r.events().get(1));
        assertTrue(t.isClosed());
    }

    @Test
    void dataBeforeInitIsAProtocolError() {
        InMemoryTransport t = new InMemoryTransport();
        CompletableFuture<BridgeConnection.Started> f = BridgeConnection.start(t, boot(), Duration.ofSeconds(10), "test");
        t.bridgeWrites(data("1:1", "early"));
        assertEquals(Problem.PROTOCOL_ERROR, failure(f).problem());
        assertTrue(t.isClosed());
    }

    @Test
    void initWithAProblemFailsTheStartWithIt() {
        InMemoryTransport t = new InMemoryTransport();
        CompletableFuture<BridgeConnection.Started> f = BridgeConnection.start(t, boot(), Duration.ofSeconds(10), "test");
        t.bridgeWrites(control("{\"command\":\"init\",\"problem\":\"access-denied\",\"message\":\"locked\"}"));
        ProblemException e = failure(f);
        assertEquals(Problem.ACCESS_DENIED, e.problem());
        assertEquals("locked", e.getMessage());
    }

    @Test
    void exitBeforeInitIsMappedByTheBootSequence() {
        InMemoryTransport t = new InMemoryTransport();
        CompletableFuture<BridgeConnection.Started> f = BridgeConnection.start(t, boot(), Duration.ofSeconds(10), "test");
        t.bridgeWritesStderr("sh: 1: python3: not found\n".getBytes(StandardCharsets.UTF_8));
        t.bridgeExits(127, null, true);
        assertEquals(Problem.NO_COCKPIT, failure(f).problem());
    }

    @Test
    void noInitInTimeIsATimeout() {
        InMemoryTransport t = new InMemoryTransport();
        CompletableFuture<BridgeConnection.Started> f = BridgeConnection.start(t, boot(), Duration.ofMillis(200), "test");
        assertEquals(Problem.TIMEOUT, failure(f).problem());
    }

    @Test
    void controlMessagesAreParsedOnceAndInvalidOnesEndTheBridge() throws Exception {
        Running r = started();
        r.transport().bridgeWrites(control("{\"command\":\"close\",\"channel\":\"1:7\",\"problem\":\"not-found\"}"));
        r.transport().bridgeWrites(control("{not json"));
        assertEquals(List.of("control close 1:7", "closed protocol-error"), r.recorder().events());
        assertTrue(r.transport().isClosed());
        assertFalse(r.bridge().isOpen());
    }

    @Test
    void whilePausedChunksAreHeldUnconsumedAndHandedOnInOrderWhenResumed() throws Exception {
        Running r = started();
        InMemoryTransport t = r.transport();
        t.bridgeWrites(data("1:1", "w"));
        assertEquals(List.of("data 1:1 w"), r.recorder().events());
        assertEquals(0, t.unconsumed(), "taken and given back at once");
        r.bridge().setReadPaused(true);
        byte[] x = data("1:1", "x");
        byte[] y = data("1:1", "y");
        t.bridgeWrites(x);
        t.bridgeWrites(y);
        assertEquals(List.of("data 1:1 w"), r.recorder().events(), "nothing handed on while paused");
        assertEquals(x.length + y.length, t.unconsumed(), "held chunks count against the window");
        r.bridge().setReadPaused(false);
        assertEquals(List.of("data 1:1 w", "data 1:1 x", "data 1:1 y"), r.recorder().events());
        assertEquals(0, t.unconsumed());
        r.bridge().setReadPaused(false); // idempotent
        assertEquals(3, r.recorder().events().size());
    }

    @Test
    void aPausedBridgeIsHeldWithinOneWindow() throws Exception {
        int window = 64 * 1024;
        InMemoryTransport t = new InMemoryTransport(window);
        CompletableFuture<BridgeConnection.Started> f = BridgeConnection.start(t, boot(), Duration.ofSeconds(10), "test");
        t.bridgeWrites(control(INIT));
        Recorder rec = new Recorder();
        BridgeConnection b = f.get(5, TimeUnit.SECONDS).bridge();
        b.attach(rec);
        b.setReadPaused(true);
        byte[] frame = data("1:1", "z".repeat(1000));
        for (int i = 0; i < 1024; i++) { // ~1 MiB
            t.bridgeWrites(frame);
        }
        assertEquals(window, t.unconsumed(), "the target got one window and no more");
        assertEquals(1024L * frame.length - window, t.waitingBytes(), "the rest waits at the target");
        assertTrue(rec.events().isEmpty());
        b.setReadPaused(false);
        assertEquals(1024, rec.events().size(), "everything arrives once resumed, split chunks reassembled");
        assertEquals(0, t.unconsumed());
        assertEquals(0, t.waitingBytes());
    }

    @Test
    void theEndOfStdoutIsReportedAfterTheHeldChunks() throws Exception {
        Running r = started();
        InMemoryTransport t = r.transport();
        r.bridge().setReadPaused(true);
        t.bridgeWrites(data("1:1", "last words"));
        t.bridgeEndsStdout();
        assertTrue(r.recorder().events().isEmpty());
        assertTrue(r.bridge().isOpen(), "the end waits behind the held chunk");
        r.bridge().setReadPaused(false);
        assertEquals(List.of("data 1:1 last words", "closed terminated"), r.recorder().events());
    }

    @Test
    void afterCloseHeldAndLaterOutputIsGivenBackUnread() throws Exception {
        Running r = started();
        InMemoryTransport t = r.transport();
        r.bridge().setReadPaused(true);
        t.bridgeWrites(data("1:1", "held"));
        r.bridge().close();
        assertEquals(0, t.unconsumed(), "held chunks given back so the bridge can finish writing");
        t.bridgeWrites(data("1:1", "after close"));
        assertEquals(0, t.unconsumed());
        assertTrue(r.recorder().events().isEmpty(), "nothing handed on after close");
    }

    /**
     * Pauses and resumes from another thread while a bridge thread streams: every frame arrives once and in order,
     * and the target never has more than one window unconsumed.
     */
    @Test
    void pausesFromAnotherThreadWhileStreamingLoseAndReorderNothing() throws Exception {
        int window = 256 * 1024;
        InMemoryTransport t = new InMemoryTransport(window);
        CompletableFuture<BridgeConnection.Started> f = BridgeConnection.start(t, boot(), Duration.ofSeconds(10), "test");
        t.bridgeWrites(control(INIT));
        BridgeConnection b = f.get(5, TimeUnit.SECONDS).bridge();
        int frames = 20_000;
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<String> error = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
        b.attach(new BridgeConnection.Listener() {
            @Override
            public void onData(String channel, byte[] payload) {
                int n = Integer.parseInt(new String(payload, 0, 8, StandardCharsets.US_ASCII).strip());
                if (n != next.getAndIncrement()) {
                    error.compareAndSet(null, "frame " + n + " arrived as number " + (next.get() - 1));
                }
            }

            @Override
            public void onControl(ControlMessage message) {
            }

            @Override
            public void onClosed(Problem problem, String message) {
                closed.countDown();
            }
        });
        java.util.concurrent.atomic.AtomicInteger produced = new java.util.concurrent.atomic.AtomicInteger();
        // frames of varying size, several per chunk and split across chunks
        t.streamStdout(() -> {
            int i = produced.getAndIncrement();
            if (i >= frames / 4) {
                return null;
            }
            java.io.ByteArrayOutputStream chunk = new java.io.ByteArrayOutputStream();
            for (int k = 0; k < 4; k++) {
                int n = i * 4 + k;
                String payload = String.format("%-8d", n) + "p".repeat(n % 3000);
                chunk.writeBytes(data("1:1", payload));
            }
            return chunk.toByteArray();
        });
        java.util.Random random = new java.util.Random(8);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (closed.getCount() > 0 && System.nanoTime() < deadline) {
            b.setReadPaused(true);
            Thread.sleep(0, random.nextInt(200_000));
            b.setReadPaused(false);
            Thread.sleep(0, random.nextInt(200_000));
        }
        assertTrue(closed.await(30, TimeUnit.SECONDS), "the stream ended");
        assertNull(error.get());
        assertEquals(frames, next.get(), "every frame arrived");
        assertTrue(t.maxUnconsumed() <= window, "unconsumed peaked at " + t.maxUnconsumed());
    }

    @Test
    void writeQueueAboveTheMarkIsNotWritableAndReportsWhenItDrains() throws Exception {
        Running r = started();
        InMemoryTransport t = r.transport();
        long before = r.bridge().bytesToBridge();
        t.holdWrites();
        byte[] chunk = new byte[64 * 1024];
        int frames = 0;
        while (r.bridge().writable()) {
            r.bridge().send("1:1", chunk);
            frames++;
        }
        assertTrue(frames >= BridgeConnection.WRITE_HIGH_WATER / chunk.length, "writable until the mark: " + frames);
        assertEquals(0, r.recorder().writable);
        t.completeWrites(Integer.MAX_VALUE);
        assertTrue(r.bridge().writable());
        assertEquals(1, r.recorder().writable, "one onWritable when the queue fell below the mark");
        assertEquals(frames * (long) FrameEncoder.encodedSize("1:1", chunk.length), r.bridge().bytesToBridge() - before);
    }

    @Test
    void authorizeGetsThePasswordOnceForTheRightSubject() throws Exception {
        Running r = started();
        InMemoryTransport t = r.transport();
        r.bridge().keepCredential("alice", "s3cret".toCharArray());
        t.clearStdin();
        String hex = HexFormat.of().formatHex("bob".getBytes(StandardCharsets.UTF_8));
        t.bridgeWrites(control("{\"command\":\"authorize\",\"challenge\":\"plain1:" + hex + "\",\"cookie\":\"c1\"}"));
        hex = HexFormat.of().formatHex("alice".getBytes(StandardCharsets.UTF_8));
        t.bridgeWrites(control("{\"command\":\"authorize\",\"challenge\":\"plain1:" + hex + "\",\"cookie\":\"c2\"}"));
        t.bridgeWrites(control("{\"command\":\"authorize\",\"challenge\":\"plain1:" + hex + "\",\"cookie\":\"c3\"}"));
        List<ControlMessage> replies = new ArrayList<>();
        for (Frame f : framesWritten(t)) {
            replies.add(ControlMessage.parse(f.payload()));
        }
        assertEquals(3, replies.size());
        assertEquals("", replies.get(0).string("response").orElseThrow(), "another user's challenge gets nothing");
        assertEquals("s3cret", replies.get(1).string("response").orElseThrow());
        assertEquals("c2", replies.get(1).string("cookie").orElseThrow());
        assertEquals("", replies.get(2).string("response").orElseThrow(), "the password is given once");
        assertTrue(r.recorder().events().isEmpty(), "the authorize exchange stays inside the connection");
    }

    @Test
    void superuserInitDoneWipesTheKeptPassword() throws Exception {
        Running r = started();
        InMemoryTransport t = r.transport();
        r.bridge().keepCredential("alice", "s3cret".toCharArray());
        t.bridgeWrites(control("{\"command\":\"superuser-init-done\"}"));
        t.clearStdin();
        t.bridgeWrites(control("{\"command\":\"authorize\",\"challenge\":\"plain1:\",\"cookie\":\"c\"}"));
        assertEquals("", ControlMessage.parse(framesWritten(t).get(0).payload()).string("response").orElseThrow());
    }

    @Test
    void endOfStdoutWithTheConnectionUpIsTerminatedElseDisconnected() throws Exception {
        Running up = started();
        up.transport().bridgeEndsStdout();
        assertEquals(List.of("closed terminated"), up.recorder().events());

        Running down = started();
        down.transport().bridgeExits(null, null, false);
        assertEquals(List.of("closed disconnected"), down.recorder().events());
        down.transport().bridgeEndsStdout();
        assertEquals(List.of("closed disconnected"), down.recorder().events(), "closed is reported once");
    }

    @Test
    void closeSendsEofAndRunsCloseHooksOnce() throws Exception {
        Running r = started();
        int[] hooks = new int[1];
        r.bridge().onClose(() -> hooks[0]++);
        r.bridge().close();
        assertTrue(r.transport().inputShut(), "EOF on the bridge's stdin");
        r.transport().bridgeEndsStdout();
        assertEquals(1, hooks[0]);
        r.bridge().onClose(() -> hooks[0]++);
        assertEquals(2, hooks[0], "a hook added after the end runs at once");
        assertNull(r.transport().exitSignal());
    }

    static ProblemException failure(CompletableFuture<?> f) {
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> f.get(5, TimeUnit.SECONDS));
        return assertInstanceOf(ProblemException.class, ProblemException.of(e));
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }
}
