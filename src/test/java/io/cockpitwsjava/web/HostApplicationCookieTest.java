package io.cockpitwsjava.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.cockpitwsjava.testing.GatewayClient;
import io.cockpitwsjava.testing.GatewayClient.Response;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Cookie names come from the request path; a link must not be able to add cookie attributes (issue 7 row 4:
 * {@code GET /=victimhost=ATTACKER;Path=/;Max-Age=31536000;x/} answered
 * {@code Set-Cookie: machine-cockpit+victimhost=ATTACKER;Path==deleted; ...}). Through the public HTTP surface.
 */
@QuarkusTest
class HostApplicationCookieTest {
    /** RFC 6265 token: visible ASCII without separators. */
    private static final String SEPARATORS = "()<>@,;:\\\"/[]?={} \t";

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

    static boolean isToken(String name) {
        return !name.isEmpty() && name.chars().allMatch(c -> c > 0x20 && c < 0x7f && SEPARATORS.indexOf(c) < 0);
    }

    /** Every Set-Cookie of the response: a token name, then exactly the attributes the gateway writes. */
    static void assertWellFormed(Response r) {
        for (String c : r.all("Set-Cookie")) {
            int eq = c.indexOf('=');
            assertTrue(eq > 0, c);
            assertTrue(isToken(c.substring(0, eq)), "cookie name is not a token: " + c);
            String rest = c.substring(eq + 1);
            assertTrue(rest.equals("deleted; PATH=/; SameSite=strict; HttpOnly")
                    || rest.equals("deleted; PATH=/; SameSite=strict; Secure; HttpOnly"), "attributes: " + c);
        }
    }

    @Test
    void reportedLinkSetsNoCookie() {
        Response r = client.get("/=victimhost=ATTACKER;Path=/;Max-Age=31536000;x/", GatewayClient.headers());
        assertEquals(404, r.status(), r.all("Set-Cookie").toString());
        assertEquals(List.of(), r.all("Set-Cookie"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/=a;Max-Age=9/", "/=a,b/", "/=a%3BPath%3D/", "/=a=b/x.html", "/=-oProxyCommand=x/",
            "/cockpit+=a;Domain=x/@localhost/x.html", "/cockpit+=a;b/static/login.js", "/=a;b/socket",
            "/cockpit+=a;b/channel/x", "/=a;b/robots.txt"})
    void hostsThatAreNoDestinationAreRefused(String path) {
        Response r = client.get(path, GatewayClient.headers());
        assertEquals(404, r.status(), path);
        assertEquals(List.of(), r.all("Set-Cookie"), path);
    }

    @Test
    void invalidHostAtLoginAnswersLikeAnUnknownHost() {
        Response r = client.get("/cockpit+=a;Max-Age=9/login",
                GatewayClient.headers("Authorization", GatewayClient.basic("u", "p", "")));
        assertEquals(401, r.status(), r.reason());
        assertTrue(r.reason().contains("unknown-host"), r.reason());
        assertEquals(List.of(), r.all("Set-Cookie"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/cockpit+a;Max-Age=9;Domain=evil/@localhost/x.html", "/cockpit+=/@localhost/x.html",
            "/cockpit+x,y/@localhost/x.html"})
    void otherApplicationNamesAreEncoded(String path) {
        Response r = client.get(path, GatewayClient.headers());
        assertEquals(200, r.status(), path);
        assertEquals(1, r.all("Set-Cookie").size(), r.all("Set-Cookie").toString());
        assertWellFormed(r);
    }

    @Test
    void destinationsWithUserPortAndIpv6KeepWorking() {
        Response r = client.get("/=admin@db1.example.com:2222/", GatewayClient.headers());
        assertEquals(200, r.status());
        assertEquals(List.of("machine-cockpit+admin%40db1.example.com%3A2222=deleted; PATH=/; SameSite=strict; HttpOnly"),
                r.all("Set-Cookie"));

        // (brackets, as in [fd00::1]:2222, do not get this far: Quarkus refuses them as an invalid URI with 400)
        r = client.get("/=root@fd00::1/system", GatewayClient.headers());
        assertEquals(200, r.status());
        assertEquals(List.of("machine-cockpit+root%40fd00%3A%3A1=deleted; PATH=/; SameSite=strict; HttpOnly"),
                r.all("Set-Cookie"));

        r = client.get("/cockpit+=10.0.0.5/@localhost/system/index.html", GatewayClient.headers());
        assertEquals(200, r.status());
        assertEquals(List.of("machine-cockpit+10.0.0.5=deleted; PATH=/; SameSite=strict; HttpOnly"), r.all("Set-Cookie"));
    }
}
