package io.cockpitwsjava.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cockpitwsjava.testing.DeadEndPort;
import io.cockpitwsjava.testing.GatewayClient;
import io.cockpitwsjava.testing.GatewayClient.Response;
import io.cockpitwsjava.testing.SshdTarget;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * "Connect to" is no port scanner (issue 7 row 1): before authentication, every host that cannot be reached gets
 * the same status line and the same body, no earlier than the connect timeout — a closed, a filtered, a silent and a
 * non-SSH port, a real sshd the allow-list does not name, a real sshd on a denied address, a name that does not
 * resolve. Only a real sshd on an allowed host:port answers differently: with its host key.
 */
@QuarkusTest
@TestProfile(UnreachableHostsTest.Policy.class)
class UnreachableHostsTest {

    /** Long enough for a real sshd's key exchange on a loaded test machine. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(6);

    record Timed(Response response, long millis) {
    }

    /** Loopback names on any port; 127.0.0.1 only on ports below 1024; 127.0.0.2 allowed but also denied. */
    public static class Policy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cockpit.ssh.allowed-hosts", "localhost:*,127.0.0.1:1-1023,127.0.0.2:*",
                    "cockpit.ssh.denied-addresses", "169.254.0.0/16,127.0.0.2/32",
                    "cockpit.ssh.connect-timeout", CONNECT_TIMEOUT.toSeconds() + "s",
                    // all cases at once from one address; unreachable hosts count as that client's failures
                    "cockpit.limits.logins-per-client", "20");
        }
    }

    @RegisterExtension
    static SshdTarget sshd = new SshdTarget(SshdTarget.RemotePath.PYTHON_ONLY).alsoListenOn("127.0.0.2");

    @TestHTTPResource("/")
    URL base;

    Response login(GatewayClient client, String hostSpec) {
        return client.get("/cockpit+=" + hostSpec + "/login", GatewayClient.headers(
                "Authorization", GatewayClient.basic(sshd.user(), sshd.password(), ""),
                "X-SSH-Connect-Unknown-Hosts", "yes"));
    }

    @Test
    void everyUnreachableHostGetsTheSameAnswer() {
        try (GatewayClient client = new GatewayClient(base.getHost(), base.getPort());
                DeadEndPort closed = DeadEndPort.closed(); DeadEndPort filtered = DeadEndPort.filtered();
                DeadEndPort silent = DeadEndPort.silent(); DeadEndPort notSsh = DeadEndPort.notSsh()) {
            Map<String, String> cases = new LinkedHashMap<>();
            cases.put("closed port", "localhost:" + closed.port());
            cases.put("filtered port", "localhost:" + filtered.port());
            cases.put("silent port", "localhost:" + silent.port());
            cases.put("non-SSH port", "localhost:" + notSsh.port());
            cases.put("sshd the allow-list does not name", "127.0.0.1:" + sshd.port());
            cases.put("sshd on a denied address", "127.0.0.2:" + sshd.port());
            cases.put("unresolvable name", "no-such-host.invalid");

            // all at once, each from its own client: the answers must not depend on order or load
            Map<String, CompletableFuture<Timed>> answers = new LinkedHashMap<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (var c : cases.entrySet()) {
                    answers.put(c.getKey(), CompletableFuture.supplyAsync(() -> {
                        try (GatewayClient own = new GatewayClient(base.getHost(), base.getPort())) {
                            long t0 = System.nanoTime();
                            Response r = login(own, c.getValue());
                            return new Timed(r, Duration.ofNanos(System.nanoTime() - t0).toMillis());
                        }
                    }, pool));
                }
                Response first = null;
                String firstCase = null;
                for (var a : answers.entrySet()) {
                    Timed t = a.getValue().join();
                    Response r = t.response();
                    String what = a.getKey() + " (" + cases.get(a.getKey()) + "): " + r.status() + " " + r.reason()
                            + " " + r.text();
                    System.out.println("unreachable: " + a.getKey() + " -> " + r.status() + " " + r.reason()
                            + " after " + t.millis() + " ms");
                    assertEquals(401, r.status(), what);
                    assertEquals("Authentication failed: unknown-host", r.reason(), what);
                    assertEquals("{\"command\":\"init\",\"problem\":\"unknown-host\"}", r.text(), what);
                    // the answer waits for the connect timeout, whatever the reason
                    assertTrue(t.millis() >= CONNECT_TIMEOUT.toMillis(), what + " after " + t.millis() + " ms");
                    if (first == null) {
                        first = r;
                        firstCase = a.getKey();
                    } else {
                        assertEquals(first.reason(), r.reason(), firstCase + " vs " + what);
                        assertArrayEquals(first.body(), r.body(), firstCase + " vs " + what);
                        assertEquals(first.header("Content-Type"), r.header("Content-Type"), firstCase + " vs " + what);
                        assertEquals(first.header("Content-Length"), r.header("Content-Length"),
                                firstCase + " vs " + what);
                    }
                }
            }

            // the contrast, by design: an sshd on an allowed host:port shows its host key
            Response asked = login(client, "localhost:" + sshd.port());
            assertEquals(401, asked.status(), asked.reason());
            assertTrue(String.valueOf(asked.header("WWW-Authenticate")).startsWith("X-Conversation "),
                    asked.reason() + " " + asked.text());
            assertTrue(asked.text().contains(sshd.hostKeyFingerprint("ed25519")), asked.text());
        }
    }
}
