package io.cockpitwsjava.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.cockpitwsjava.bridge.BridgeConnection;
import io.cockpitwsjava.bridge.InMemoryBridge;
import io.cockpitwsjava.bridge.InMemoryTransport;
import io.cockpitwsjava.protocol.ControlMessage;
import io.cockpitwsjava.protocol.Frame;
import io.cockpitwsjava.protocol.FrameDecoder;
import io.cockpitwsjava.protocol.FrameEncoder;

/**
 * Session routing and back-pressure between browser sockets and one bridge, with an in-memory bridge and browser:
 * no SSH, no root, no Quarkus.
 */
class WebSessionRelayTest {

    /** A browser WebSocket: records what it is sent; its queue fills up when the test says so. */
    static class FakeBrowser implements BrowserSocket {
        final List<String> texts = new ArrayList<>();
        volatile boolean full;
        volatile Runnable drain;
        volatile boolean paused;
        volatile int closedWith;
        final AtomicLong bytes = new AtomicLong();

        @Override
        public synchronized void sendText(byte[] message) {
            texts.add(new String(message, StandardCharsets.UTF_8));
            bytes.addAndGet(message.length);
        }

        @Override
        public void sendBinary(byte[] message) {
            bytes.addAndGet(message.length);
        }

        @Override
        public void close(int code, String reason) {
            closedWith = code;
        }

        @Override
        public boolean writeQueueFull() {
            return full;
        }

        @Override
        public void onDrain(Runnable whenDrained) {
            drain = whenDrained;
        }

        @Override
        public void pauseInput() {
            paused = true;
        }

        @Override
        public void resumeInput() {
            paused = false;
        }

        synchronized List<String> texts() {
            return List.copyOf(texts);
        }

        void drained() {
            full = false;
            Runnable r = drain;
            drain = null;
            if (r != null) {
                r.run();
            }
        }
    }

    /**
     * A browser whose queue fills above {@link #QUEUE_MARK} and that, in {@link #readUntil}, drains it in the
     * background slower than a bridge produces (256 KiB a turn), signalling a drain below half the mark.
     */
    static final class SlowBrowser extends FakeBrowser {
        static final long QUEUE_MARK = 1 << 20;
        final AtomicLong queued = new AtomicLong();
        final AtomicLong maxQueued = new AtomicLong();
        final AtomicLong delivered = new AtomicLong();

        @Override
        public void sendBinary(byte[] message) {
            long q = queued.addAndGet(message.length);
            maxQueued.accumulateAndGet(q, Math::max);
            delivered.addAndGet(message.length);
            if (q > QUEUE_MARK) {
                full = true;
            }
        }

        /** Reads until {@code expected} bytes were delivered or {@code limit} has passed. */
        void readUntil(long expected, Duration limit) throws InterruptedException {
            Thread reader = Thread.ofPlatform().daemon().start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    long q = queued.get();
                    if (q > 0) {
                        queued.addAndGet(-Math.min(q, 256 * 1024));
                    }
                    if (queued.get() <= QUEUE_MARK / 2 && full) {
                        drained();
                    }
                    Thread.onSpinWait();
                }
            });
            long deadline = System.nanoTime() + limit.toNanos();
            while (delivered.get() < expected && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            reader.interrupt();
        }
    }

    record Setup(InMemoryTransport transport, BridgeConnection bridge, WebSession session) {
        SessionSocket socket(FakeBrowser browser) {
            SessionSocket s = new SessionSocket(session, browser, "test");
            session.addSocket(s);
            s.start();
            s.onMessage("\n{\"command\":\"init\",\"version\":1}".getBytes(StandardCharsets.UTF_8));
            return s;
        }

        List<Frame> toBridge() throws Exception {
            List<Frame> frames = new ArrayList<>();
            byte[] in = transport.stdin();
            new FrameDecoder().feed(in, 0, in.length, frames::add);
            return frames;
        }
    }

    static Setup setup() throws Exception {
        return setup(null);
    }

    static Setup setup(PeerConnector peers) throws Exception {
        InMemoryTransport t = new InMemoryTransport();
        BridgeConnection.Started started = InMemoryBridge.start(t);
        List<WebSession> ended = new ArrayList<>();
        WebSession session = new WebSession("s1", "cockpit", "cockpit", "cookie", "csrf", "user", "host", "127.0.0.1",
                JsonNodeFactory.instance.objectNode(), started.init(), started.bridge(), Optional.empty(), ended::add,
                peers, files -> null, 2048);
        started.bridge().attach(session);
        return new Setup(t, started.bridge(), session);
    }

    static byte[] msg(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void initThenOpenIsForwardedAndDataComesBackToTheOpener() throws Exception {
        Setup s = setup();
        FakeBrowser b = new FakeBrowser();
        SessionSocket socket = s.socket(b);
        assertTrue(b.texts().get(0).contains("\"channel-seed\":\"1:\""), b.texts().get(0));
        socket.onMessage(msg("\n{\"command\":\"open\",\"channel\":\"1:1\",\"payload\":\"echo\"}"));
        socket.onMessage(msg("1:1\nhello"));
        List<Frame> sent = s.toBridge();
        assertEquals(2, sent.size());
        assertEquals("open", ControlMessage.parse(sent.get(0).payload()).command());
        assertEquals("1:1", sent.get(1).channel());
        assertEquals("hello", new String(sent.get(1).payload(), StandardCharsets.UTF_8));

        s.transport().bridgeWrites(FrameEncoder.encode("1:1", msg("hello")));
        s.transport().bridgeWrites(FrameEncoder.encode("9:9", msg("nobody's")));
        assertEquals("1:1\nhello", b.texts().get(b.texts().size() - 1), "data for an unopened channel is dropped");
    }

    @Test
    void aSocketCannotWriteToAnotherSocketsChannel() throws Exception {
        Setup s = setup();
        FakeBrowser a = new FakeBrowser();
        FakeBrowser other = new FakeBrowser();
        SessionSocket sa = s.socket(a);
        SessionSocket so = s.socket(other);
        sa.onMessage(msg("\n{\"command\":\"open\",\"channel\":\"1:1\",\"payload\":\"echo\"}"));
        s.transport().clearStdin();
        so.onMessage(msg("1:1\nforged"));
        so.onMessage(msg("\n{\"command\":\"close\",\"channel\":\"1:1\"}"));
        assertTrue(s.toBridge().isEmpty(), "nothing from the other socket reached the bridge");
        so.onMessage(msg("\n{\"command\":\"open\",\"channel\":\"1:1\",\"payload\":\"echo\"}"));
        assertTrue(other.texts().get(other.texts().size() - 1).contains("protocol-error"), "a taken id is refused");
    }

    @Test
    void aBrowserCannotTakeTheGatewaysChannelIds() throws Exception {
        Setup s = setup();
        FakeBrowser b = new FakeBrowser();
        SessionSocket socket = s.socket(b);
        s.transport().clearStdin();
        String reserved = s.session().newInternalChannel();
        String next = "0:" + (Integer.parseInt(reserved.substring(2)) + 1);
        socket.onMessage(msg("\n{\"command\":\"open\",\"channel\":\"" + next + "\",\"payload\":\"echo\"}"));
        String answer = b.texts().get(b.texts().size() - 1);
        assertTrue(answer.contains("\"close\"") && answer.contains("protocol-error") && answer.contains(next), answer);
        assertTrue(s.toBridge().isEmpty(), "the open never reached the bridge");
        assertEquals(WebSession.Registration.REGISTERED, s.session().register(s.session().newInternalChannel(), socket),
                "the gateway's next channel is still free");
        socket.onMessage(msg("\n{\"command\":\"open\",\"channel\":\"1:1\",\"payload\":\"echo\"}"));
        assertEquals(1, s.toBridge().size(), "the socket goes on");
    }

    @Test
    void aFullBrowserQueuePausesTheBridgeUntilItDrains() throws Exception {
        Setup s = setup();
        FakeBrowser b = new FakeBrowser();
        SessionSocket socket = s.socket(b);
        socket.onMessage(msg("\n{\"command\":\"open\",\"channel\":\"1:1\",\"payload\":\"stream\"}"));
        b.full = true;
        s.transport().bridgeWrites(FrameEncoder.encode("1:1", msg("first")));
        int reads = s.transport().readRequests();
        s.transport().bridgeWrites(FrameEncoder.encode("1:1", msg("second")));
        assertEquals(reads, s.transport().readRequests(), "no read while the browser's queue is full");
        assertFalse(b.texts().contains("1:1\nsecond"));
        b.drained();
        assertTrue(b.texts().contains("1:1\nsecond"), "reading resumed when the queue drained");
    }

    @Test
    void aFullBridgeQueuePausesTheBrowserUntilItDrains() throws Exception {
        Setup s = setup();
        FakeBrowser b = new FakeBrowser();
        SessionSocket socket = s.socket(b);
        socket.onMessage(msg("\n{\"command\":\"open\",\"channel\":\"1:1\",\"payload\":\"echo\"}"));
        s.transport().holdWrites();
        byte[] big = new byte[256 * 1024];
        big[0] = '1';
        big[1] = ':';
        big[2] = '1';
        big[3] = '\n';
        for (int i = 0; i < 8 && !b.paused; i++) {
            socket.onMessage(big);
        }
        assertTrue(b.paused, "browser input paused above the bridge's high-water mark");
        s.transport().completeWrites(Integer.MAX_VALUE);
        assertFalse(b.paused, "resumed once the bridge took the queue");
    }

    @Test
    void logoutEndsTheSessionAndClosesItsSockets() throws Exception {
        Setup s = setup();
        FakeBrowser b = new FakeBrowser();
        SessionSocket socket = s.socket(b);
        socket.onMessage(msg("\n{\"command\":\"logout\"}"));
        assertTrue(s.session().isEnded());
        assertEquals(SessionSocket.GOING_AWAY, b.closedWith);
        assertTrue(s.transport().inputShut(), "the bridge got EOF");
    }

    /**
     * 256 MiB from the bridge to a browser that reads slower than the bridge writes: the browser's queue never holds
     * more than its mark plus one read's worth, whatever the volume (issue: back-pressure on the main socket).
     */
    @Test
    void streamingToASlowBrowserStaysBounded() throws Exception {
        Setup s = setup();
        SlowBrowser b = new SlowBrowser();
        SessionSocket socket = s.socket(b);
        socket.onMessage(msg("\n{\"command\":\"open\",\"channel\":\"1:1\",\"payload\":\"stream\",\"binary\":\"raw\"}"));
        long total = 256L << 20;
        byte[] chunk = FrameEncoder.encode("1:1", new byte[64 * 1024 - 8]);
        int payload = 64 * 1024 - 8;
        long frames = total / payload;
        AtomicInteger produced = new AtomicInteger();
        s.transport().streamStdout(() -> produced.getAndIncrement() < frames ? chunk : null);
        long expected = frames * (payload + "1:1\n".length());
        b.readUntil(expected, Duration.ofSeconds(120));
        assertEquals(expected, b.delivered.get(), "everything arrived");
        long bound = SlowBrowser.QUEUE_MARK + 2L * chunk.length;
        assertTrue(b.maxQueued.get() <= bound, "browser queue peaked at " + b.maxQueued.get() + " > " + bound);
    }

    /** Multi-host peers started in memory: the test reaches each peer's transport by host name. */
    static final class InMemoryPeers implements PeerConnector {
        final java.util.Map<String, InMemoryTransport> transports = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public java.util.concurrent.CompletableFuture<io.cockpitwsjava.bridge.BridgeLauncher.Launched> connect(
                String clientAddress, io.cockpitwsjava.bridge.BridgeLauncher.Launch launch) {
            try {
                InMemoryTransport t = new InMemoryTransport();
                BridgeConnection.Started started = InMemoryBridge.start(t);
                transports.put(launch.target().host(), t);
                return java.util.concurrent.CompletableFuture.completedFuture(
                        new io.cockpitwsjava.bridge.BridgeLauncher.Launched(started, ""));
            } catch (Exception e) {
                return java.util.concurrent.CompletableFuture.failedFuture(e);
            }
        }

        @Override
        public int peersPerSession() {
            return 0;
        }
    }

    /** 256 MiB from a multi-host peer to a slow browser: the peer is paused like the primary bridge. */
    @Test
    void streamingFromAPeerToASlowBrowserStaysBounded() throws Exception {
        InMemoryPeers peers = new InMemoryPeers();
        Setup s = setup(peers);
        SlowBrowser b = new SlowBrowser();
        SessionSocket socket = s.socket(b);
        socket.onMessage(msg("\n{\"command\":\"open\",\"channel\":\"1:1\",\"payload\":\"stream\",\"binary\":\"raw\","
                + "\"host\":\"peer.test\"}"));
        InMemoryTransport peer = peers.transports.get("peer.test");
        org.junit.jupiter.api.Assertions.assertNotNull(peer, "the open went to a peer");
        int payload = 64 * 1024 - 8;
        byte[] chunk = FrameEncoder.encode("1:1", new byte[payload]);
        long frames = (256L << 20) / payload;
        AtomicInteger produced = new AtomicInteger();
        peer.streamStdout(() -> produced.getAndIncrement() < frames ? chunk : null);
        long expected = frames * (payload + "1:1\n".length());
        b.readUntil(expected, Duration.ofSeconds(120));
        assertEquals(expected, b.delivered.get(), "everything arrived");
        long bound = SlowBrowser.QUEUE_MARK + 2L * chunk.length;
        assertTrue(b.maxQueued.get() <= bound, "browser queue peaked at " + b.maxQueued.get() + " > " + bound);
    }

    /** A peer that does not take its input pauses the browser; its drain resumes it. */
    @Test
    void aFullPeerQueuePausesTheBrowserUntilItDrains() throws Exception {
        InMemoryPeers peers = new InMemoryPeers();
        Setup s = setup(peers);
        FakeBrowser b = new FakeBrowser();
        SessionSocket socket = s.socket(b);
        socket.onMessage(msg("\n{\"command\":\"open\",\"channel\":\"1:1\",\"payload\":\"echo\",\"host\":\"peer.test\"}"));
        InMemoryTransport peer = peers.transports.get("peer.test");
        peer.holdWrites();
        byte[] big = new byte[256 * 1024];
        System.arraycopy(msg("1:1\n"), 0, big, 0, 4);
        for (int i = 0; i < 8 && !b.paused; i++) {
            socket.onMessage(big);
        }
        assertTrue(b.paused, "browser input paused above the peer's high-water mark");
        assertEquals(0, s.transport().stdin().length, "nothing went to the primary bridge");
        peer.completeWrites(Integer.MAX_VALUE);
        assertFalse(b.paused, "resumed once the peer took the queue");
    }
}
