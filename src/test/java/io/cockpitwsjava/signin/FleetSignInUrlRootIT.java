package io.cockpitwsjava.signin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cockpitwsjava.testing.Browser;
import io.cockpitwsjava.testing.Keycloak;
import io.cockpitwsjava.testing.KeycloakResource;
import io.cockpitwsjava.web.FleetRoutes;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The OpenID Connect sign-in below a UrlRoot, as behind the Helm chart's Ingress: every path and redirect URI carries
 * the root, and a ProtocolHeader saying https makes the sign-in's cookies Secure.
 */
@QuarkusTest
@TestProfile(FleetSignInUrlRootIT.Prefixed.class)
class FleetSignInUrlRootIT {

    public static class Prefixed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cockpit.web.url-root", "/gw", "cockpit.web.protocol-header", "X-Forwarded-Proto");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(KeycloakResource.class));
        }
    }

    @TestHTTPResource("/")
    URL base;

    private FleetHttp http() {
        return new FleetHttp(base);
    }

    @Test
    void everyPathAndRedirectUriCarriesTheRoot() {
        assertEquals(404, http().get("/fleet/sign-in").statusCode(), "nothing outside the root");
        HttpResponse<String> r = http().get("/gw/fleet/sign-in");
        assertEquals(302, r.statusCode());
        String location = URLDecoder.decode(r.headers().firstValue("Location").orElseThrow(), StandardCharsets.UTF_8);
        assertTrue(location.contains("redirect_uri=" + http().origin() + "/gw/fleet/sign-in&"), location);
        HttpResponse<String> page = http().get("/gw/fleet/");
        assertTrue(page.body().contains("<base href=\"/gw/\">"), "base href below the root");
        HttpResponse<String> bare = http().get("/gw/fleet");
        assertEquals("/gw/fleet/", bare.headers().firstValue("Location").orElse(null));
        HttpResponse<String> out = http().post("/gw/fleet/sign-out", "", "Origin", http().origin());
        assertEquals(303, out.statusCode());
        assertEquals("/gw/fleet/", out.headers().firstValue("Location").orElse(null));
    }

    @Test
    void returnTargetsMustBeBelowTheRoot() {
        String kept = FleetHttp.setCookie(http().get("/gw/fleet/sign-in?return=%2Fgw%2F%3Dweb-1%2F"),
                FleetRoutes.RETURN_COOKIE);
        assertNotNull(kept);
        assertTrue(kept.contains("Path=/gw/fleet/"), kept);
        assertNull(FleetHttp.setCookie(http().get("/gw/fleet/sign-in?return=%2F%3Dweb-1%2F"), FleetRoutes.RETURN_COOKIE),
                "a path outside the root");
    }

    @Test
    void aProtocolHeaderSayingHttpsMakesTheCookiesSecure() {
        HttpResponse<String> plain = http().get("/gw/fleet/sign-in");
        String state = plain.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("q_auth"))
                .findFirst().orElseThrow();
        assertFalse(state.contains("Secure"), state);
        HttpResponse<String> tls = http().get("/gw/fleet/sign-in?return=%2Fgw%2Ffleet%2F", "X-Forwarded-Proto", "https");
        List<String> cookies = tls.headers().allValues("Set-Cookie");
        assertEquals(2, cookies.size(), cookies.toString());
        for (String c : cookies) {
            assertTrue(c.contains("; Secure") || c.contains(";Secure"), c);
        }
    }

    @Test
    void aBrowserSignsInAndOutBelowTheRoot() {
        KeycloakResource.keycloak();
        String fleet = "http://localhost:" + base.getPort() + "/gw/fleet/";
        try (Browser browser = Browser.start(Path.of("target/screenshots/fleet-sign-in-url-root"), Duration.ofSeconds(60))) {
            FleetBrowser.signInWithKeycloak(browser, fleet, fleet, Keycloak.ALICE);
            assertEquals(200, FleetBrowser.fetchStatus(browser, "fleet/api/me"));
            FleetBrowser.signOut(browser, fleet);
            assertEquals(401, FleetBrowser.fetchStatus(browser, "fleet/api/me"));
        }
    }
}
