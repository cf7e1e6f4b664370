package io.cockpitwsjava.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.cockpitwsjava.session.SessionRegistry;
import io.cockpitwsjava.session.WebSession;
import io.cockpitwsjava.testing.GatewayClient;
import io.cockpitwsjava.testing.GatewayClient.Response;
import io.cockpitwsjava.testing.GatewayClient.Socket;
import io.cockpitwsjava.testing.SshdTarget;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Issue 7 row 11 (and issue 8's back-pressure regression test for this path): external-channel WebSockets
 * (docs/protocol.md §8.3) against a real sshd and the real Cockpit bridge. A browser that closes at once leaves no channel
 * behind, in the gateway or on the target, and no exception; a large stream to a slow reader keeps the gateway's
 * memory (heap and direct buffers) bounded.
 */
@QuarkusTest
class ExternalChannelSocketTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(30);
    /** A sleep nobody else runs: its processes on the target are the channels' processes. */
    static final String SLEEP_MARK = "297.125";
    static final long STREAM_BYTES = 256L * 1024 * 1024;

    @RegisterExtension
    static SshdTarget sshd = new SshdTarget(SshdTarget.RemotePath.INSTALLED);

    @TestHTTPResource("/")
    URL base;
    @Inject
    SessionRegistry registry;

    GatewayClient client;
    String cookie;
    String csrf;
    WebSession session;
    Socket mainSocket;
    final List<LogRecord> problems = Collections.synchronizedList(new ArrayList<>());
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            String msg = String.valueOf(r.getMessage());
            if (r.getThrown() != null || msg.contains("WebSocket is closed") || r.getLevel().intValue() >= Level.SEVERE.intValue()) {
                problems.add(r);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    String app() {
        return "/cockpit+=localhost:" + sshd.port();
    }

    @BeforeEach
    void login() throws Exception {
        Logger.getLogger("").addHandler(capture);
        client = new GatewayClient(base.getHost(), base.getPort());
        Response r = client.get(app() + "/login", GatewayClient.headers("Authorization",
                GatewayClient.basic(sshd.user(), sshd.password(), sshd.knownHostsLine())));
        assertEquals(200, r.status(), r.reason());
        cookie = GatewayClient.cookieOf(r.header("Set-Cookie"));
        csrf = JSON.readTree(r.body()).get("csrf-token").asText();
        session = registry.byCookieValue(cookie.substring(cookie.indexOf('=') + 1)).orElseThrow();
        // the session's main socket keeps it from going idle, as the shell's does
        mainSocket = client.socket(app() + "/socket", client.origin(), cookie);
        mainSocket.await("\"init\"", WAIT);
    }

    @AfterEach
    void logout() {
        Logger.getLogger("").removeHandler(capture);
        mainSocket.close();
        client.close();
    }

    String channelPath(String openJson) {
        return app() + "/channel/" + csrf + "?" + Base64.getEncoder().encodeToString(openJson.getBytes(StandardCharsets.UTF_8));
    }

    RawWebSocket raw(int receiveBuffer) throws IOException {
        return new RawWebSocket(base.getHost(), base.getPort(), receiveBuffer);
    }

    @Test
    void aSocketClosedAtOnceLeavesNoChannel() throws Exception {
        String path = channelPath("{\"payload\":\"stream\",\"spawn\":[\"sleep\",\"" + SLEEP_MARK + "\"],\"binary\":\"raw\"}");
        for (int i = 0; i < 20; i++) {
            try (RawWebSocket ws = raw(64 * 1024)) {
                byte[] upgrade = RawWebSocket.upgrade(base.getHost(), base.getPort(), path, cookie);
                if (i % 2 == 0) {
                    // upgrade and close frame in one write: the close can be read before the upgrade completes
                    ws.write(upgrade, RawWebSocket.closeFrame());
                    assertTrue(ws.drainUntilClosed(20_000), "gateway did not close socket " + i);
                } else {
                    // the browser tab goes away right after the handshake, without a close frame
                    ws.write(upgrade);
                    assertEquals("HTTP/1.1 101 Switching Protocols", ws.readHandshake());
                }
            }
        }
        awaitTrue(() -> session.channelCount() == 0, "channels left in the session: " + session.channelCount());
        awaitTrue(() -> targetProcesses() == 0, "channel processes left on the target: " + targetProcesses());
        assertTrue(!session.isEnded(), "the session survived");
        assertEquals(List.of(), problems.stream().map(r -> r.getLoggerName() + ": " + r.getMessage() + " "
                + r.getThrown()).toList());

        // and the session still serves external channels
        try (RawWebSocket ws = raw(64 * 1024)) {
            ws.write(RawWebSocket.upgrade(base.getHost(), base.getPort(),
                    channelPath("{\"payload\":\"stream\",\"spawn\":[\"echo\",\"fine\"],\"binary\":\"raw\"}"), cookie));
            assertEquals("HTTP/1.1 101 Switching Protocols", ws.readHandshake());
            RawWebSocket.Frame f = ws.nextFrame();
            assertEquals(2, f.opcode());
            assertEquals("fine\n", new String(ws.readPayload(f.length()), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aLargeStreamToASlowReaderKeepsTheHeapBounded() throws Exception {
        long baseline = gatewayMemory();
        long peak = baseline;
        long received = 0;
        int closeCode = -1;
        String path = channelPath("{\"payload\":\"stream\",\"spawn\":[\"head\",\"-c\",\"" + STREAM_BYTES
                + "\",\"/dev/zero\"],\"binary\":\"raw\"}");
        long start = System.nanoTime();
        try (RawWebSocket ws = raw(64 * 1024)) {
            ws.write(RawWebSocket.upgrade(base.getHost(), base.getPort(), path, cookie));
            assertEquals("HTTP/1.1 101 Switching Protocols", ws.readHandshake());
            byte[] buffer = new byte[16 * 1024];
            long[] got = {0};
            long[] nextSample = {System.nanoTime()};
            long[] peakHolder = {peak};
            // a reader at 10 MiB/s, slower than the target produces
            java.util.function.IntConsumer pace = n -> {
                got[0] += n;
                long due = start + (long) (got[0] / (10.0 * 1024 * 1024) * 1e9);
                long now = System.nanoTime();
                if (due > now) {
                    try {
                        Thread.sleep((due - now) / 1_000_000, (int) ((due - now) % 1_000_000));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                if (now >= nextSample[0]) {
                    peakHolder[0] = Math.max(peakHolder[0], gatewayMemory());
                    nextSample[0] = now + 2_000_000_000L;
                }
            };
            while (true) {
                RawWebSocket.Frame f = ws.nextFrame();
                if (f.opcode() == 8) {
                    byte[] p = ws.readPayload(f.length());
                    closeCode = p.length >= 2 ? ((p[0] & 0xff) << 8) | (p[1] & 0xff) : 1005;
                    break;
                }
                assertTrue(f.opcode() == 2 || f.opcode() == 0, "frame opcode " + f.opcode());
                ws.skip(f.length(), buffer, pace);
            }
            received = got[0];
            peak = peakHolder[0];
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("external channel: %d MiB in %.1f s to a 10 MiB/s reader; gateway memory (heap after GC + direct"
                + " buffers) peaked %+.1f MiB over a %.1f MiB baseline%n",
                received >> 20, seconds, (peak - baseline) / 1048576.0, baseline / 1048576.0);
        assertEquals(STREAM_BYTES, received);
        assertEquals(1000, closeCode);
        assertTrue(peak - baseline < 64L * 1024 * 1024, "memory grew by " + ((peak - baseline) >> 20) + " MiB");
        awaitTrue(() -> session.channelCount() == 0, "channels left: " + session.channelCount());
    }

    /**
     * Live heap (after a full collection) plus direct buffers: the WebSocket's write queue is held in Netty's pooled
     * direct memory, which the heap alone does not show. Test and gateway share this JVM; the test holds nothing.
     */
    static long gatewayMemory() {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long direct = ManagementFactory.getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).mapToLong(b -> b.getMemoryUsed()).sum();
        return heap + direct;
    }

    /** Processes of the sleep channels on the target (all users: the target runs as the test user). */
    static long targetProcesses() {
        try {
            Process p = new ProcessBuilder("pgrep", "-f", "sleep " + SLEEP_MARK).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return out.lines().filter(l -> !l.isBlank()).count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static void awaitTrue(BooleanSupplier condition, String message) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError(message);
            }
            Thread.sleep(100);
        }
    }
}
