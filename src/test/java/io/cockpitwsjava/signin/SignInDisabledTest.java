package io.cockpitwsjava.signin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.http.HttpResponse;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Without a sign-in configured (the default), nothing of it shows: {@code /fleet...} is a Cockpit shell path as it
 * always was, no identity is ever found, and sign-in cookies or bearer tokens change nothing.
 */
@QuarkusTest
class SignInDisabledTest {

    @TestHTTPResource("/")
    URL base;
    @Inject
    SignIn signIn;

    @Test
    void noSignInAndFleetPathsAreShellPaths() {
        assertFalse(signIn.enabled());
        assertEquals(Optional.empty(), signIn.method());
        FleetHttp http = new FleetHttp(base);
        for (String path : new String[] {"/fleet", "/fleet/", "/fleet/sign-in", "/fleet/api/me"}) {
            HttpResponse<String> r = http.get(path, "Authorization", "Bearer x.y.z", "Cookie", "q_session=x");
            assertEquals(200, r.statusCode(), path);
            assertTrue(r.body().contains("<base href=\"/\">"), "the login page, as for any shell path: " + path);
            assertTrue(r.headers().firstValue("Location").isEmpty(), path);
        }
        assertEquals(405, http.post("/fleet/sign-out", "", "Origin", http.origin()).statusCode(),
                "a POST is refused like on any Cockpit path");
    }
}
