package io.cockpitwsjava.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cockpitwsjava.testing.GatewayClient;
import io.cockpitwsjava.testing.GatewayClient.Response;
import io.cockpitwsjava.testing.GatewayClient.Socket;
import io.cockpitwsjava.testing.SshdTarget;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Login admission (docs/SECURITY.md "Login admission") through the public HTTP surface with a real sshd: one client
 * address that parks prompts or guesses passwords is refused, a real user from another address still logs in.
 * Client addresses are different loopback addresses: each {@link GatewayClient} binds its connections to one, and
 * connects to the gateway on 127.0.0.1, so the gateway sees that address as the TCP peer.
 */
@QuarkusTest
@TestProfile(AdmissionTest.Admission.class)
class AdmissionTest {
    static final Duration WAIT = Duration.ofSeconds(30);

    /**
     * The documented defaults for prompts and failures (the test profile raises the failure limits for the rest of
     * the suite, which logs in from 127.0.0.1 all the time), and small session limits to reach them.
     */
    public static class Admission implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cockpit.limits.failures-per-client", "10",
                    "cockpit.limits.failures-per-user", "20",
                    "cockpit.limits.failure-window", "5m",
                    "cockpit.limits.pending-prompts-per-client", "10",
                    "cockpit.limits.logins-per-client", "4",
                    "cockpit.limits.sessions-per-client", "2",
                    "cockpit.limits.sessions", "3");
        }
    }

    @RegisterExtension
    static SshdTarget sshd = new SshdTarget(SshdTarget.RemotePath.INSTALLED);

    @TestHTTPResource("/")
    URL base;

    GatewayClient from(String address) {
        return new GatewayClient("127.0.0.1", base.getPort(), address);
    }

    String app() {
        return "/cockpit+=localhost:" + sshd.port();
    }

    Response login(GatewayClient client, String password, boolean trusted) {
        var headers = GatewayClient.headers("Authorization",
                GatewayClient.basic(sshd.user(), password, trusted ? sshd.knownHostsLine() : ""));
        if (!trusted) {
            headers.put("X-SSH-Connect-Unknown-Hosts", "yes");
        }
        return client.get(app() + "/login", headers);
    }

    /** A real user's login from this client: must succeed; the session is ended again with {@link #logout}. */
    String loginOk(GatewayClient client) {
        Response r = login(client, sshd.password(), true);
        assertEquals(200, r.status(), r.reason());
        return GatewayClient.cookieOf(r.header("Set-Cookie"));
    }

    void logout(GatewayClient client, String cookie) throws Exception {
        try (Socket s = client.socket(app() + "/socket", client.origin(), cookie)) {
            s.await("\"init\"", WAIT);
            s.send("\n{\"command\":\"init\",\"version\":1}");
            s.send("\n{\"command\":\"logout\"}");
            s.awaitClose(WAIT);
        }
    }

    static boolean isChallenge(Response r) {
        return r.status() == 401 && r.header("WWW-Authenticate") != null
                && r.header("WWW-Authenticate").startsWith("X-Conversation ");
    }

    @Test
    void promptsParkedByOneAddressDoNotLockOutAnother() throws Exception {
        try (GatewayClient attacker = from("127.0.0.2"); GatewayClient user = from("127.0.0.1")) {
            // 30 logins at once, each stopping at the host-key question, never answered
            List<Response> parked;
            ExecutorService threads = Executors.newFixedThreadPool(30);
            try {
                List<CompletableFuture<Response>> burst = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    burst.add(CompletableFuture.supplyAsync(() -> login(attacker, "whatever", false), threads));
                }
                parked = burst.stream().map(CompletableFuture::join).toList();
            } finally {
                threads.shutdown();
            }

            // meanwhile a real user from another address: several logins in a row, all succeed
            for (int i = 0; i < 3; i++) {
                logout(user, loginOk(user));
            }

            // every attacker request was answered at once: a challenge or a refusal for this address
            long challenges = parked.stream().filter(AdmissionTest::isChallenge).count();
            for (Response r : parked) {
                assertTrue(isChallenge(r) || r.status() == 429, r.status() + " " + r.reason());
            }
            assertTrue(challenges <= 10, "at most pending-prompts-per-client prompts wait: " + challenges);
            // one at a time, the address parks prompts up to its limit, then is refused
            for (long i = challenges; i < 10; i++) {
                Response r = login(attacker, "whatever", false);
                assertTrue(isChallenge(r), r.status() + " " + r.reason());
            }
            for (int i = 0; i < 5; i++) {
                Response r = login(attacker, "whatever", false);
                assertEquals(429, r.status(), r.reason());
                assertEquals("Too many logins waiting for an answer from this address", r.reason());
            }
            // and the user still logs in
            logout(user, loginOk(user));
        }
    }

    @Test
    void wrongPasswordsFromOneAddressAreThrottledButNotTheUser() throws Exception {
        try (GatewayClient attacker = from("127.0.0.3"); GatewayClient user = from("127.0.0.1")) {
            for (int i = 0; i < 10; i++) {
                Response r = login(attacker, "wrong-" + i, true);
                assertEquals(401, r.status(), r.reason());
                assertEquals("Authentication failed", r.reason());
            }
            for (int i = 0; i < 10; i++) {
                Response r = login(attacker, "wrong-again-" + i, true);
                assertEquals(429, r.status(), r.reason());
                assertEquals("Too many failed logins. Try again later.", r.reason());
            }
            // even the right password: this address is refused until the window has passed
            assertEquals(429, login(attacker, sshd.password(), true).status());

            // the user from another address logs in: one address alone cannot reach failures-per-user
            logout(user, loginOk(user));
        }
    }

    @Test
    void failuresForOneUserAreThrottledWhateverTheAddress() throws Exception {
        String other = "/cockpit+=nosuchuser@localhost:" + sshd.port();
        var wrong = GatewayClient.headers("Authorization", GatewayClient.basic("nosuchuser", "guess", sshd.knownHostsLine()));
        // 20 failures for nosuchuser@localhost:port from four addresses, five each (below failures-per-client)
        for (int a = 4; a < 8; a++) {
            try (GatewayClient c = from("127.0.0." + a)) {
                for (int i = 0; i < 5; i++) {
                    Response r = c.get(other + "/login", wrong);
                    assertEquals(401, r.status(), r.reason());
                }
            }
        }
        try (GatewayClient fresh = from("127.0.0.8")) {
            Response r = fresh.get(other + "/login", wrong);
            assertEquals(429, r.status(), r.reason());
            assertEquals("Too many failed logins. Try again later.", r.reason());
            // another user from the same fresh address is not affected
            logout(fresh, loginOk(fresh));
        }
    }

    @Test
    void sessionLimitsRefuseOnlyTheClientOverTheLimit() throws Exception {
        try (GatewayClient a = from("127.0.0.9"); GatewayClient b = from("127.0.0.10")) {
            String a1 = loginOk(a);
            String a2 = loginOk(a);
            Response a3 = login(a, sshd.password(), true);
            assertEquals(429, a3.status(), a3.reason());
            assertEquals("Too many sessions from this address", a3.reason());

            String b1 = loginOk(b);
            Response b2 = login(b, sshd.password(), true);
            assertEquals(503, b2.status(), b2.reason());
            assertEquals("Too many sessions on this server", b2.reason());

            // a session that ends gives its place back
            logout(a, a1);
            String b2ok = awaitLogin(b);
            logout(a, a2);
            logout(b, b1);
            logout(b, b2ok);
        }
    }

    /** Messages logged below {@code io.cockpitwsjava} while installed (formatted, one entry per log record). */
    static final class CapturedLog extends Handler {
        final List<String> messages = new CopyOnWriteArrayList<>();

        @Override
        public void publish(LogRecord record) {
            messages.add(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void userNameWithNewlineIsOneLogLineWithTheClientAddress() {
        Logger category = Logger.getLogger("io.cockpitwsjava");
        CapturedLog log = new CapturedLog();
        category.addHandler(log);
        try (GatewayClient c = from("127.0.0.11")) {
            Response r = c.get(app() + "/login", GatewayClient.headers("Authorization",
                    GatewayClient.basic("a\nINFO fake", "pw", sshd.knownHostsLine())));
            assertEquals(401, r.status(), r.reason());
        } finally {
            category.removeHandler(log);
        }
        // the failure is logged before the response is sent
        List<String> event = log.messages.stream().filter(m -> m.contains("INFO fake")).toList();
        assertEquals(1, event.size(), "one record for the failed login: " + event);
        String line = event.get(0);
        assertFalse(line.contains("\n") || line.contains("\r"), "no line break in: " + line);
        assertTrue(line.contains("127.0.0.11"), "client address in: " + line);
    }

    /** Logs in once the session ended by a logout has been released (the logout is asynchronous). */
    String awaitLogin(GatewayClient client) throws Exception {
        long end = System.nanoTime() + WAIT.toNanos();
        Response r = login(client, sshd.password(), true);
        while (r.status() != 200 && System.nanoTime() < end) {
            Thread.sleep(200);
            r = login(client, sshd.password(), true);
        }
        assertEquals(200, r.status(), r.reason());
        return GatewayClient.cookieOf(r.header("Set-Cookie"));
    }
}
