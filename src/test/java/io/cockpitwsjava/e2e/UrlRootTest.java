package io.cockpitwsjava.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cockpitwsjava.testing.GatewayClient;
import io.cockpitwsjava.testing.GatewayClient.Response;
import io.cockpitwsjava.testing.SshdTarget;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** [WebService] UrlRoot (docs/protocol.md §1.4): everything lives below the prefix, documents learn it. */
@QuarkusTest
@TestProfile(UrlRootTest.Prefixed.class)
class UrlRootTest {

    public static class Prefixed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cockpit.web.url-root", "/gw/");
        }
    }

    @RegisterExtension
    static SshdTarget sshd = new SshdTarget(SshdTarget.RemotePath.INSTALLED);

    @TestHTTPResource("/")
    URL base;

    @Test
    void prefixIsStrippedAndInjected() throws Exception {
        try (GatewayClient client = new GatewayClient(base.getHost(), base.getPort())) {
            assertEquals(404, client.get("/", GatewayClient.headers()).status());
            assertEquals(404, client.get("/ping", GatewayClient.headers()).status());
            assertEquals(200, client.get("/gw/ping", GatewayClient.headers()).status());
            Response page = client.get("/gw/", GatewayClient.headers());
            assertTrue(page.text().contains("<base href=\"/gw/\">"), "login page base");

            String app = "/gw/cockpit+=localhost:" + sshd.port();
            String known = sshd.knownHostsLine();
            Response login = client.get(app + "/login",
                    GatewayClient.headers("Authorization", GatewayClient.basic(sshd.user(), sshd.password(), known)));
            assertEquals(200, login.status(), login.reason());
            String cookie = GatewayClient.cookieOf(login.header("Set-Cookie"));
            assertTrue(login.header("Set-Cookie").contains("Path=/;"), "cookies keep Path=/");
            try (var socket = client.socket(app + "/socket", client.origin(), cookie)) {
                socket.await("\"init\"", Duration.ofSeconds(20));
                Response shell = client.get("/gw/=localhost:" + sshd.port(), GatewayClient.headers("Cookie", cookie));
                assertEquals(200, shell.status());
                assertTrue(shell.text().contains("<meta name=\"url-root\" content=\"/gw\">"), shell.text());
                assertTrue(shell.text().contains("<base href=\"/gw/cockpit+=localhost:" + sshd.port()
                        + "/@localhost/shell/index.html\">"), shell.text());
                Response frame = client.get(app + "/@localhost/system/index.html", GatewayClient.headers("Cookie", cookie));
                assertTrue(frame.text().contains("<meta name=\"url-root\" content=\"/gw\">"));
                Response js = client.get(app + "/@localhost/base1/cockpit.js", GatewayClient.headers("Cookie", cookie));
                assertEquals("gzip", js.header("Content-Encoding"), "non-HTML files stream unchanged");
            }
        }
    }
}
