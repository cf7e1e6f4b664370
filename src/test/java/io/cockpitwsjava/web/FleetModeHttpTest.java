package io.cockpitwsjava.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.cockpitwsjava.testing.GatewayClient;
import io.cockpitwsjava.testing.GatewayClient.Response;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpMethod;
import jakarta.inject.Inject;

/**
 * Fleet mode in the running gateway: the fleet API over real HTTP with the gateway's own default (nobody is signed in
 * until a sign-in is configured, so every fleet API path answers 401 and shows no host), and the prober started with
 * the gateway, reporting through the metrics. (The answers for a signed-in caller are tested below the HTTP layer in
 * {@link FleetJsonTest} and {@link FleetEventStreamTest}, and over a real fleet in {@code FleetProberIT}.)
 */
@QuarkusTest
@TestProfile(FleetModeHttpTest.FleetMode.class)
class FleetModeHttpTest {

    /** Fleet mode with an inventory of one host whose SSH port has no listener, a user CA, and a probe section. */
    public static class FleetMode implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path dir = Files.createTempDirectory("fleet-mode-");
                Path ca = dir.resolve("user_ca");
                Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", ca.toString())
                        .redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("ssh-keygen failed");
                }
                int closed;
                try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                    closed = s.getLocalPort();
                }
                Path file = dir.resolve("inventory.yaml");
                Files.writeString(file, """
                        hosts:
                          - {name: web-1, address: "127.0.0.1:%d", labels: {env: prod}}
                        access:
                          - {groups: [ops], hosts: "*", ssh-user: cloud-user}
                        probe: {interval: 5s}
                        """.formatted(closed));
                return Map.of("cockpit.fleet.inventory", file.toString(), "cockpit.fleet.user-ca-key", ca.toString(),
                        "cockpit.fleet.prober.connect-timeout", "2s");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @TestHTTPResource("/")
    URL base;
    @Inject
    MeterRegistry registry;

    /** The prober starts with the gateway and reports through the meters: the host without a listener is down. */
    @Test
    void theProberRunsAndTheMetersShowIt() {
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertEquals(1.0,
                registry.get("cockpit.fleet.hosts").tag("state", "down").gauge().value()));
        assertEquals(0.0, registry.get("cockpit.fleet.hosts").tag("state", "up").gauge().value());
        assertEquals(1.0, registry.get("cockpit.fleet.inventory.valid").gauge().value());
        // nothing listens: the prober knows why (a person's login would only learn "unknown host")
        assertTrue(registry.get("cockpit.fleet.probe.failures").tag("reason", "refused").counter().count() >= 1);
        assertEquals(0.0, registry.get("cockpit.fleet.probe.failures").tag("reason", "auth-failed").counter().count());
    }

    @Test
    void withoutASignInEveryPathIs401AndNamesNoHost() {
        try (GatewayClient client = new GatewayClient(base.getHost(), base.getPort())) {
            for (String path : List.of("/fleet/api/hosts", "/fleet/api/events", "/fleet/api/me")) {
                Response r = client.get(path, Map.of("Accept", "application/json"));
                assertEquals(401, r.status(), path);
                assertEquals("application/json", r.header("Content-Type"), path);
                assertTrue(r.text().contains("\"authentication-required\""), r.text());
                assertTrue(!r.text().contains("web-1"), r.text());
            }
        }
    }

    @Test
    void onlyGetAndOnlyTheApisPaths() {
        try (GatewayClient client = new GatewayClient(base.getHost(), base.getPort())) {
            assertEquals(405, client.request(HttpMethod.POST, "/fleet/api/hosts", Map.of()).status());
            assertEquals(404, client.get("/fleet/api/secrets", Map.of()).status());
        }
    }
}
