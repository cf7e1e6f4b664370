package io.cockpitwsjava.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cockpitwsjava.testing.GatewayClient;
import io.cockpitwsjava.testing.GatewayClient.Response;
import io.cockpitwsjava.testing.GatewayClient.Socket;
import io.cockpitwsjava.testing.SshdTarget;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Issue 7 row 7 (slow-loris): a connection must deliver a complete request head within the request-head timeout
 * (3 s in this profile) of being accepted or of its previous response ending, however it trickles; open
 * WebSockets and ordinary clients are not affected. Raw sockets against the running gateway.
 */
@QuarkusTest
@TestProfile(EdgeProfile.class)
class RequestHeadTimeoutTest {
    static final Duration TIMEOUT = Duration.ofSeconds(EdgeProfile.HEAD_TIMEOUT_SECONDS);
    /** Liveness bound: the timeout plus scheduling slack on a loaded machine. */
    static final Duration BOUND = TIMEOUT.plusSeconds(5);

    @RegisterExtension
    static SshdTarget sshd = new SshdTarget(SshdTarget.RemotePath.INSTALLED);

    @TestHTTPResource("/")
    URL base;
    @TestHTTPResource(value = "/health", management = true)
    URL management;
    GatewayClient client;

    @BeforeEach
    void client() {
        client = new GatewayClient(base.getHost(), base.getPort());
    }

    @AfterEach
    void close() {
        client.close();
    }

    RawConnection raw() throws IOException {
        return new RawConnection(base.getHost(), base.getPort());
    }

    @Test
    void aHeadTrickledByteByByteIsCutOff() throws Exception {
        String head = "GET / HTTP/1.1\r\nHost: x\r\nX-Padding: " + "a".repeat(200) + "\r\n\r\n";
        try (RawConnection c = raw()) {
            long start = System.nanoTime();
            boolean closed = false;
            int sent = 0;
            // one byte every 500 ms: never idle for long, never done within the timeout
            while (!closed && sent < head.length() && System.nanoTime() - start < BOUND.toNanos()) {
                try {
                    c.send(head.substring(sent, sent + 1));
                    sent++;
                } catch (IOException e) {
                    closed = true;
                    break;
                }
                closed = c.closedWithin(Duration.ofMillis(500));
            }
            long elapsed = System.nanoTime() - start;
            assertTrue(closed, "still open after " + elapsed / 1_000_000 + " ms and " + sent + " bytes");
            // it was the deadline, not an early refusal: several bytes got through first
            assertTrue(sent >= 3, "closed after " + sent + " bytes");
            assertFalse(c.received().startsWith("HTTP/1.1 200"), c.received());
        }
    }

    @Test
    void aConnectionThatSendsNothingIsClosed() throws Exception {
        try (RawConnection c = raw()) {
            assertTrue(c.closedWithin(BOUND));
        }
    }

    @Test
    void theManagementPortHasTheSameDeadline() throws Exception {
        try (RawConnection c = new RawConnection(management.getHost(), management.getPort())) {
            c.send("GET /q/health HTTP/1.1\r\n");
            assertTrue(c.closedWithin(BOUND), "half-sent head on the management port still open");
        }
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAfterItsResponse() throws Exception {
        try (RawConnection c = raw()) {
            c.send("GET /ping HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(c.readUntil("\"cockpit\" }", BOUND).contains("HTTP/1.1 200"), c.received());
            // a second request in time is served on the same connection
            c.send("GET /ping HTTP/1.1\r\nHost: x\r\n\r\n");
            String both = c.readUntil("\"cockpit\" }", 2, BOUND);
            assertEquals(2, RawConnection.count(both, "HTTP/1.1 200"), both);
            // then nothing: the connection goes
            assertTrue(c.closedWithin(BOUND), "idle keep-alive connection still open");
        }
    }

    @Test
    void aSlowButTimelyHeadIsServed() throws Exception {
        try (RawConnection c = raw()) {
            c.send("GET /ping HTTP/1.1\r\n");
            Thread.sleep(TIMEOUT.toMillis() / 3);
            c.send("Host: x\r\n");
            Thread.sleep(TIMEOUT.toMillis() / 3);
            c.send("\r\n");
            assertTrue(c.readUntil("\"cockpit\" }", BOUND).contains("HTTP/1.1 200"), c.received());
        }
        Response r = client.get("/ping", GatewayClient.headers());
        assertEquals(200, r.status());
    }

    @Test
    void anOpenWebSocketOutlivesTheTimeout() throws Exception {
        Response login = client.get("/cockpit+=localhost:" + sshd.port() + "/login", GatewayClient.headers(
                "Authorization", GatewayClient.basic(sshd.user(), sshd.password(), sshd.knownHostsLine())));
        assertEquals(200, login.status(), login.reason());
        String cookie = GatewayClient.cookieOf(login.header("Set-Cookie"));
        try (Socket s = client.socket("/cockpit+=localhost:" + sshd.port() + "/socket", client.origin(), cookie)) {
            assertNotNull(s.await("\"init\"", Duration.ofSeconds(20)));
            s.send("\n{\"command\":\"init\",\"version\":1}");
            // three timeouts long without any request head on this connection
            Thread.sleep(TIMEOUT.toMillis() * 3);
            assertNull(s.awaitClose(Duration.ZERO), "WebSocket closed: " + s.closeReason());
            s.send("\n{\"command\":\"open\",\"channel\":\"1:1\",\"payload\":\"echo\"}");
            s.send("1:1\nstill here");
            assertNotNull(s.await("still here", Duration.ofSeconds(20)));
        }
    }
}
