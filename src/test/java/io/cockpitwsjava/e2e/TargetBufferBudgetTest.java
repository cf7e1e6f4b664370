package io.cockpitwsjava.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cockpitwsjava.protocol.Problem;
import io.cockpitwsjava.session.SessionRegistry;
import io.cockpitwsjava.session.WebSession;
import io.cockpitwsjava.testing.GatewayClient;
import io.cockpitwsjava.testing.GatewayClient.Response;
import io.cockpitwsjava.testing.GatewayClient.Socket;
import io.cockpitwsjava.testing.LiveHeap;
import io.cockpitwsjava.testing.SshdTarget;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The gateway-wide budget for targets' partial frames ({@code cockpit.limits.target-buffer-bytes}, docs/SECURITY.md):
 * ten hostile targets (the fake bridge of {@link HostileTargetTest}, mode {@code mid-frame}: 15 MiB of a 16 MiB frame,
 * then silence) against a budget of 40 MiB. Without the budget they hold ≈ 160 MiB (HostileTargetTest); with it, all
 * but two are ended with {@code too-large}, the live heap stays near the budget, and a normal session keeps working.
 */
@QuarkusTest
@TestProfile(TargetBufferBudgetTest.SmallBudget.class)
class TargetBufferBudgetTest {
    static final int TEN = 10;
    static final long MIB = 1024 * 1024;
    static final long BUDGET = 40 * MIB;
    static final Duration WAIT = Duration.ofSeconds(60);

    /** A budget of 40 MiB. */
    public static class SmallBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cockpit.limits.target-buffer-bytes", Long.toString(BUDGET));
        }
    }

    @RegisterExtension
    static SshdTarget normal = new SshdTarget(SshdTarget.RemotePath.INSTALLED);

    @TestHTTPResource("/")
    URL base;
    @Inject
    SessionRegistry registry;

    final List<GatewayClient> clients = new ArrayList<>();
    SshdTarget hostile;

    @AfterEach
    void cleanUp() {
        if (hostile != null) {
            hostileSessions().forEach(s -> s.end(Problem.TERMINATED));
            hostile.close();
        }
        clients.forEach(GatewayClient::close);
    }

    @Test
    void hostileTargetsTogetherHoldNoMoreThanTheBudget() throws Exception {
        try (GatewayClient normalClient = new GatewayClient(base.getHost(), base.getPort());
                Socket normalSocket = normalSession(normalClient)) {
            hostile = HostileTargetTest.hostileTarget("mid-frame");
            long baseline = LiveHeap.bytes();

            List<WebSession> sessions = new ArrayList<>();
            for (int i = 0; i < TEN; i++) {
                GatewayClient c = new GatewayClient(base.getHost(), base.getPort(), "127.0.0." + (20 + i));
                clients.add(c);
                Response r = c.get("/cockpit+=localhost:" + hostile.port() + "/login", GatewayClient.headers(
                        "Authorization", GatewayClient.basic(hostile.user(), hostile.password(),
                                hostile.knownHostsLine())));
                assertEquals(200, r.status(), r.reason());
                String cookie = GatewayClient.cookieOf(r.header("Set-Cookie"));
                registry.byCookieValue(cookie.substring(cookie.lastIndexOf('=') + 1)).ifPresent(sessions::add);
            }
            // every hostile bridge either sent its 15 MiB and holds them, or was ended on the way
            HostileTargetTest.awaitTrue(() -> sessions.stream().allMatch(s -> s.isEnded() || s.bridge().bytesFromBridge() >= 15 * MIB),
                    "every hostile session holds its frame or ended");
            long ended = sessions.stream().filter(WebSession::isEnded).count();
            long during = LiveHeap.bytes();
            normalEcho(normalSocket, "during");
            System.out.printf("BUDGET %d hostile sessions, budget %s: %d ended, live heap +%s%n", sessions.size(),
                    LiveHeap.mib(BUDGET), ended, LiveHeap.mib(during - baseline));
            assertTrue(ended >= TEN - 3, ended + " of " + TEN + " hostile sessions ended; at 16 MiB each, at most "
                    + "two (three while one is being ended) fit into " + LiveHeap.mib(BUDGET));
            // the budget, one growth step above it, the alive sessions' SSH buffers (≤ 4 MiB each), slack as in
            // HostileTargetTest; without the budget this is ≈ 160 MiB
            long bound = BUDGET + 8 * MIB + 3 * 4 * MIB + 24 * MIB;
            assertTrue(during - baseline <= bound, "live heap grew by " + LiveHeap.mib(during - baseline) + ", bound "
                    + LiveHeap.mib(bound));

            sessions.forEach(s -> s.end(Problem.TERMINATED));
            sessions.clear();
            HostileTargetTest.awaitTrue(() -> hostileSessions().isEmpty(), "the hostile sessions left the registry");
            HostileTargetTest.awaitTrue(() -> hostile.descendantCount() == 0, "the hostile SSH connections closed");
            normalEcho(normalSocket, "after");
            long after = LiveHeap.bytes();
            assertTrue(after - baseline <= 8 * MIB, "live heap after: " + LiveHeap.mib(after) + ", baseline "
                    + LiveHeap.mib(baseline));
        }
    }

    Socket normalSession(GatewayClient client) throws InterruptedException {
        Response r = client.get("/cockpit+=localhost:" + normal.port() + "/login", GatewayClient.headers(
                "Authorization", GatewayClient.basic(normal.user(), normal.password(), normal.knownHostsLine())));
        assertEquals(200, r.status(), r.reason());
        Socket s = client.socket("/cockpit+=localhost:" + normal.port() + "/socket", client.origin(),
                GatewayClient.cookieOf(r.header("Set-Cookie")));
        s.await("\"init\"", WAIT);
        s.send("\n{\"command\":\"init\",\"version\":1}");
        s.send("\n{\"command\":\"open\",\"channel\":\"1:1\",\"payload\":\"echo\"}");
        s.await("\"ready\"", WAIT);
        normalEcho(s, "before");
        return s;
    }

    static void normalEcho(Socket s, String text) throws InterruptedException {
        s.send("1:1\n" + text);
        s.await("1:1\n" + text, WAIT);
    }

    List<WebSession> hostileSessions() {
        String spec = "localhost:" + hostile.port();
        return registry.all().stream().filter(s -> s.hostSpec().equals(spec)).toList();
    }
}
