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
    void nothingIsReadBetweenInitAndAttach() throws Exception {
        InMemoryTransport t = new InMemoryTransport();
        CompletableFuture<BridgeConnection.Started> f = BridgeConnection.start(t, boot(), Duration.ofSeconds(10), "test");
        t.bridgeWrites(control(INIT));
        BridgeConnection.Started s = f.get(5, TimeUnit.SECONDS);
        assertFalse(t.readWanted(), "nobody takes frames yet: no read outstanding");
        t.bridgeWrites(data("1:1", "waits in the transport"));
        assertEquals(1, t.queuedStdoutChunks());
        Recorder r = new Recorder();
        s.bridge().attach(r);
        assertEquals(List.of("data 1:1 waits in the transport"), r.events());
        assertTrue(t.readWanted());
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
    void pausedReadingIssuesNoFurtherReadUntilResumed() throws Exception {
        Running r = started();
        InMemoryTransport t = r.transport();
        assertTrue(t.readWanted(), "after init the next read is outstanding");
        r.bridge().setReadPaused(true);
        t.bridgeWrites(data("1:1", "x")); // answers the outstanding read
        int reads = t.readRequests();
        t.bridgeWrites(data("1:1", "y")); // must stay queued: no read while paused
        assertEquals(reads, t.readRequests());
        assertEquals(1, t.queuedStdoutChunks());
        assertEquals(List.of("data 1:1 x"), r.recorder().events());
        r.bridge().setReadPaused(false);
        assertEquals(List.of("data 1:1 x", "data 1:1 y"), r.recorder().events());
        r.bridge().setReadPaused(false); // idempotent: no second outstanding read
        assertEquals(reads + 2, t.readRequests());
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
