package io.cockpitwsjava.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

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
 * The fleet API over real HTTP in fleet mode with the gateway's own default: nobody is signed in until a sign-in is
 * configured, so every fleet API path answers 401 and shows no host. (The answers for a signed-in caller are tested
 * below the HTTP layer in {@link FleetJsonTest} and {@link FleetEventStreamTest}, and over a real fleet in
 * {@code FleetProberIT}.)
 */
@QuarkusTest
@TestProfile(FleetApiRefusalTest.FleetMode.class)
class FleetApiRefusalTest {

    /** Fleet mode with an inventory of one host; no user CA, so no prober. */
    public static class FleetMode implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path file = Files.createTempFile("fleet-api-", ".yaml");
                Files.writeString(file, """
                        hosts:
                          - {name: web-1, address: 10.0.0.1, labels: {env: prod}}
                        access:
                          - {groups: [ops], hosts: "*", ssh-user: cloud-user}
                        """);
                file.toFile().deleteOnExit();
                return Map.of("cockpit.fleet.inventory", file.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @TestHTTPResource("/")
    URL base;
    @Inject
    MeterRegistry registry;

    /** Fleet mode's meters are bound at start: one host, unknown (no prober), the file in use. */
    @Test
    void metersAreBound() {
        assertEquals(1.0, registry.get("cockpit.fleet.hosts").tag("state", "unknown").gauge().value());
        assertEquals(0.0, registry.get("cockpit.fleet.hosts").tag("state", "up").gauge().value());
        assertEquals(1.0, registry.get("cockpit.fleet.inventory.valid").gauge().value());
        assertEquals(0.0, registry.get("cockpit.fleet.probe.failures").tag("reason", "refused").counter().count());
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
