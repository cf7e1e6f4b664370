package io.cockpitwsjava.signin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cockpitwsjava.testing.KeycloakResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** Behind a TLS-terminating proxy ({@code cockpit.web.for-tls-proxy}): https redirect URIs and Secure cookies. */
@QuarkusTest
@TestProfile(FleetSignInTlsProxyIT.TlsProxy.class)
class FleetSignInTlsProxyIT {

    public static class TlsProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cockpit.web.for-tls-proxy", "true");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(KeycloakResource.class));
        }
    }

    @TestHTTPResource("/")
    URL base;

    @Test
    void redirectUrisAreHttpsAndCookiesSecure() {
        FleetHttp http = new FleetHttp(base);
        HttpResponse<String> r = http.get("/fleet/sign-in?return=%2Ffleet%2F");
        assertEquals(302, r.statusCode());
        String location = URLDecoder.decode(r.headers().firstValue("Location").orElseThrow(), StandardCharsets.UTF_8);
        String https = http.origin().replaceFirst("^http:", "https:");
        assertTrue(location.contains("redirect_uri=" + https + "/fleet/sign-in&"), location);
        List<String> cookies = r.headers().allValues("Set-Cookie");
        assertEquals(2, cookies.size(), "state and return cookies: " + cookies);
        cookies.forEach(c -> assertTrue(c.contains("Secure"), c));
        // the proxy's https origin is the allowed one
        assertEquals(403, http.post("/fleet/sign-out", "", "Origin", http.origin()).statusCode());
        assertEquals(303, http.post("/fleet/sign-out", "", "Origin", https).statusCode());
    }
}
