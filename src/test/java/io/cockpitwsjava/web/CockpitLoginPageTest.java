package io.cockpitwsjava.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.cockpitwsjava.testing.GatewayClient;
import io.cockpitwsjava.testing.GatewayClient.Response;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** {@code cockpit.web.login-page=cockpit} serves Cockpit's own login.html with the same injections. */
@QuarkusTest
@TestProfile(CockpitLoginPageTest.CockpitPage.class)
class CockpitLoginPageTest {

    /** Switches the login page to Cockpit's. */
    public static class CockpitPage implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cockpit.web.login-page", "cockpit");
        }
    }

    @TestHTTPResource("/")
    URL base;

    @Test
    void servesCockpitsLoginHtml() {
        Assumptions.assumeTrue(Files.isRegularFile(Path.of("/usr/share/cockpit/static/login.html")),
                "Cockpit's web assets are not installed");
        try (GatewayClient client = new GatewayClient(base.getHost(), base.getPort())) {
            Response r = client.get("/system", Map.of());
            assertEquals(200, r.status(), r.reason());
            String html = r.text();
            assertTrue(html.contains("cockpit/static/login.js"), "not Cockpit's login page");
            assertFalse(html.contains("id=\"login-form\""), "our page was served");
            assertTrue(html.contains("<base href=\"/\">") && html.contains("var environment = {"), "injections missing");
        }
    }
}
