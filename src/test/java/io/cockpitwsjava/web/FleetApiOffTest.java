package io.cockpitwsjava.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cockpitwsjava.testing.GatewayClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** Without fleet mode the fleet API does not exist. */
@QuarkusTest
class FleetApiOffTest {

    @TestHTTPResource("/")
    URL base;

    @Test
    void isNotFound() {
        try (GatewayClient client = new GatewayClient(base.getHost(), base.getPort())) {
            assertEquals(404, client.get("/fleet/api/hosts", Map.of()).status());
            assertEquals(404, client.get("/fleet/api/events", Map.of()).status());
        }
    }
}
