package io.cockpitwsjava.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cockpitwsjava.testing.GatewayClient;
import io.cockpitwsjava.testing.GatewayClient.Response;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The gateway serves our own login page (frontend/) with Cockpit's injections (docs/protocol.md §3.2). */
@QuarkusTest
class LoginPageTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern ENVIRONMENT = Pattern.compile("<script>\\nvar environment = (\\{.*?\\});\\n\\s*</script>", Pattern.DOTALL);

    /** Element ids that Cockpit's tests and scripts use on its login page; ours keeps them for the same controls. */
    static final List<String> COCKPIT_IDS = List.of(
            "login-user-input", "login-password-input", "server-field", "login-button", "login-error-message",
            "login-error-title", "hostkey-group", "hostkey-title", "hostkey-fingerprint", "hostkey-message-1",
            "hostkey-message-2", "hostkey-type", "hostkey-warning-group", "conversation-group", "conversation-prompt",
            "conversation-message", "conversation-input", "login-fatal", "login-fatal-message", "login-again",
            "login", "login-details", "server-name", "server-group", "option-group", "show-other-login-options",
            "user-group", "password-group", "error-group", "info-group", "login-info-message", "banner",
            "banner-message", "brand", "badge", "get-out-link", "login-button-text", "login-password-toggle");

    @TestHTTPResource("/")
    URL base;
    GatewayClient client;

    @BeforeEach
    void client() {
        Assumptions.assumeTrue(LoginPageTest.class.getClassLoader().getResource(LoginPage.BUILTIN_RESOURCE) != null,
                "the login page was not built (-Dskip.frontend); the gateway serves Cockpit's page instead");
        client = new GatewayClient(base.getHost(), base.getPort());
    }

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
    }

    Response page(String path, String... headers) {
        Response r = client.get(path, GatewayClient.headers(headers));
        assertEquals(200, r.status(), path + ": " + r.reason());
        return r;
    }

    static JsonNode environment(String html) throws Exception {
        Matcher m = ENVIRONMENT.matcher(html);
        assertTrue(m.find(), "no environment script in the page");
        return JSON.readTree(m.group(1));
    }

    @Test
    void rootServesOurPageWithEnvironment() throws Exception {
        Response r = page("/");
        String html = r.text();
        assertTrue(html.contains("id=\"login-form\""), "not our login page");
        assertFalse(html.contains("cockpit/static/login.js"), "Cockpit's page was served instead of ours");
        assertTrue(html.contains("<base href=\"/\">"), "base href missing");
        JsonNode env = environment(html);
        assertFalse(env.get("is_cockpit_client").asBoolean());
        assertTrue(env.get("page").get("connect").asBoolean(), env.toString());
        assertFalse(env.get("page").get("require_host").asBoolean(), env.toString());
        assertFalse(env.get("page").get("allow_multihost").asBoolean(), env.toString());
        assertTrue(env.get("logged_into").isArray() && env.get("logged_into").isEmpty(), env.toString());
        assertFalse(env.get("hostname").asText().isEmpty(), env.toString());
        // the environment must be defined before our module script runs
        assertTrue(html.indexOf("var environment") < html.indexOf("<script type=\"module\">"), "script order");
    }

    @Test
    void headersAreThoseOfTheLoginPage() {
        Response r = page("/");
        assertEquals("text/html", r.header("Content-Type"));
        assertEquals("no-cache, no-store", r.header("Cache-Control"));
        String self = client.origin();
        String csp = r.header("Content-Security-Policy");
        assertNotNull(csp);
        assertTrue(csp.contains("default-src 'self' " + self + " 'unsafe-inline'"), csp);
        assertTrue(csp.contains("connect-src 'self' " + self + " ws://"), csp);
        assertTrue(r.all("Set-Cookie").stream().anyMatch(c -> c.startsWith("cockpit=deleted")), r.all("Set-Cookie").toString());
    }

    @Test
    void keepsCockpitsElementIds() {
        String html = page("/").text();
        for (String id : COCKPIT_IDS) {
            assertTrue(html.contains("id=\"" + id + "\""), "missing #" + id);
        }
    }

    @Test
    void selfContainedWithoutExternalUrls() {
        String html = page("/").text();
        assertFalse(Pattern.compile("(?i)https?://").matcher(html).find(), "page references an external URL");
        assertFalse(Pattern.compile("(?i)<script[^>]*\\ssrc=").matcher(html).find(), "page loads a script file");
        // the only stylesheet link is Cockpit's branding, relative to the injected base
        Matcher links = Pattern.compile("(?i)<link[^>]*href=\"([^\"]*)\"").matcher(html);
        while (links.find()) {
            assertEquals("cockpit/static/branding.css", links.group(1));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/system", "/system/services", "/=db1.example.com", "/=root@10.0.0.5:2222/network",
            "/cockpit/@localhost/system/index.html", "/cockpit+=db1/@localhost/shell/index.html"})
    void everyUnauthenticatedShellPathGetsThePage(String path) throws Exception {
        String html = page(path).text();
        assertTrue(html.contains("id=\"login-form\""), path);
        assertTrue(html.contains("<base href=\"/\">"), path);
        assertNotNull(environment(html).get("page"), path);
    }

    @Test
    void brandingStylesheetIsServed() {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/usr/share/cockpit/static")), "Cockpit's web assets are not installed");
        Response r = client.get("/cockpit/static/branding.css", Map.of());
        assertEquals(200, r.status(), r.reason());
    }

    @Test
    void injectsCockpitTranslations() {
        Path po = Path.of("/usr/share/cockpit/static/po.de.js");
        Assumptions.assumeTrue(Files.isRegularFile(po), "Cockpit's German translations are not installed");
        String html = page("/", "Accept-Language", "de-DE,de;q=0.9,en;q=0.5").text();
        assertTrue(html.contains("window.cockpit_po = {"), "po.de.js not injected");
        assertTrue(html.indexOf("window.cockpit_po = {") < html.indexOf("<script type=\"module\">"), "translations after the page script");
        String english = page("/", "Accept-Language", "en").text();
        assertFalse(english.contains("window.cockpit_po = {"), "no catalog expected for English");
    }
}
