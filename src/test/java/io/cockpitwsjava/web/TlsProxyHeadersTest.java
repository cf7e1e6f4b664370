package io.cockpitwsjava.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cockpitwsjava.testing.GatewayClient;
import io.cockpitwsjava.testing.GatewayClient.Response;
import io.cockpitwsjava.testing.SshdTarget;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Issue 7 row 14: behind a TLS proxy that reports https in the configured protocol header, responses carry
 * {@code Strict-Transport-Security} and cookies {@code Secure}; requests that arrived as plain http carry neither.
 */
@QuarkusTest
@TestProfile(EdgeProfile.class)
class TlsProxyHeadersTest {
    @RegisterExtension
    static SshdTarget sshd = new SshdTarget(SshdTarget.RemotePath.INSTALLED);

    @TestHTTPResource("/")
    URL base;
    GatewayClient client;

    @BeforeEach
    void client() {
        client = new GatewayClient(base.getHost(), base.getPort());
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void httpsThroughTheProxyGetsHstsAndSecureCookies() {
        Response page = client.get("/", GatewayClient.headers("X-Forwarded-Proto", "https"));
        assertEquals(200, page.status());
        assertEquals("max-age=86400", page.header("Strict-Transport-Security"));
        assertEquals("cockpit=deleted; PATH=/; SameSite=strict; Secure; HttpOnly", page.header("Set-Cookie"));
        // the CSP names the https origin the browser sees
        assertTrue(page.header("Content-Security-Policy").contains("wss://"), page.header("Content-Security-Policy"));

        Response error = client.get("/cockpit/nothing-here", GatewayClient.headers("X-Forwarded-Proto", "https"));
        assertEquals(404, error.status());
        assertEquals("max-age=86400", error.header("Strict-Transport-Security"));

        Response login = client.get("/cockpit+=localhost:" + sshd.port() + "/login", GatewayClient.headers(
                "X-Forwarded-Proto", "https",
                "Authorization", GatewayClient.basic(sshd.user(), sshd.password(), sshd.knownHostsLine())));
        assertEquals(200, login.status(), login.reason());
        assertEquals("max-age=86400", login.header("Strict-Transport-Security"));
        String cookie = login.header("Set-Cookie");
        assertTrue(cookie.matches("machine-cockpit\\+localhost%3A" + sshd.port()
                + "=[A-Za-z0-9_-]{40,}; Path=/; SameSite=Strict; Secure; HttpOnly"), cookie);
    }

    @Test
    void plainHttpGetsNeither() {
        for (String proto : new String[] {null, "http"}) {
            Response page = proto == null ? client.get("/", GatewayClient.headers())
                    : client.get("/", GatewayClient.headers("X-Forwarded-Proto", proto));
            assertEquals(200, page.status());
            assertNull(page.header("Strict-Transport-Security"), proto);
            assertEquals("cockpit=deleted; PATH=/; SameSite=strict; HttpOnly", page.header("Set-Cookie"));
        }
        Response login = client.get("/cockpit+=localhost:" + sshd.port() + "/login", GatewayClient.headers(
                "Authorization", GatewayClient.basic(sshd.user(), sshd.password(), sshd.knownHostsLine())));
        assertEquals(200, login.status(), login.reason());
        assertNull(login.header("Strict-Transport-Security"));
        assertTrue(login.header("Set-Cookie").endsWith("; Path=/; SameSite=Strict; HttpOnly"), login.header("Set-Cookie"));
    }
}
