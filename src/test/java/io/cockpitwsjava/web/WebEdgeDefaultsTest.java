package io.cockpitwsjava.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URL;
import java.time.Duration;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.cockpitwsjava.config.GatewaySettings;
import io.cockpitwsjava.testing.GatewayClient;
import io.cockpitwsjava.testing.GatewayClient.Response;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The shipped defaults of the web edge (issue 7 rows 7, 10, 14), as the running gateway sees them. */
@QuarkusTest
class WebEdgeDefaultsTest {
    @Inject
    GatewaySettings settings;
    @TestHTTPResource("/")
    URL base;

    @Test
    void requestHeadTimeoutIsThirtySecondsLikeCockpitWs() {
        assertEquals(Duration.ofSeconds(30), settings.requestHeadTimeout());
    }

    @Test
    void hstsForAYearButOnlyOverHttps() {
        assertEquals(Duration.ofDays(365), settings.hstsMaxAge());
        try (GatewayClient client = new GatewayClient(base.getHost(), base.getPort())) {
            Response r = client.get("/", GatewayClient.headers("X-Forwarded-Proto", "https"));
            // no protocol header configured: the header is the client's claim and proves nothing
            assertNull(r.header("Strict-Transport-Security"));
            assertEquals("cockpit=deleted; PATH=/; SameSite=strict; HttpOnly", r.header("Set-Cookie"));
        }
    }

    @Test
    void managementInterfaceListensOnLoopbackAndConnectionsAreCapped() {
        var config = ConfigProvider.getConfig();
        assertEquals("127.0.0.1", config.getValue("quarkus.management.host", String.class));
        assertEquals(4096, config.getValue("quarkus.http.limits.max-connections", Integer.class));
    }
}
