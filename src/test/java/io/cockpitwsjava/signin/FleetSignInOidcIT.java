package io.cockpitwsjava.signin;

import static io.cockpitwsjava.signin.FleetHttp.json;
import static io.cockpitwsjava.signin.FleetHttp.setCookie;
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
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import com.fasterxml.jackson.databind.JsonNode;

import io.cockpitwsjava.testing.Browser;
import io.cockpitwsjava.web.FleetRoutes;
import io.cockpitwsjava.testing.Keycloak;
import io.cockpitwsjava.testing.KeycloakResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The gateway sign-in with a real OpenID Connect provider (Keycloak, realm {@code cockpit}): bearer access tokens for
 * scripts, the authorization-code flow in headless Chromium through Keycloak's own login page, sign-out with the
 * provider's logout, and that none of it touches Cockpit's own paths.
 */
@QuarkusTest
@TestProfile(FleetSignInOidcIT.Oidc.class)
class FleetSignInOidcIT {

    public static class Oidc implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(KeycloakResource.class));
        }

        /** The audit log to a file, to check the OpenID Connect sign-ins and sign-outs in it. */
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path dir = java.nio.file.Files.createTempDirectory("oidc-audit-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    dir.resolve("audit.jsonl").toFile().delete();
                    dir.toFile().delete();
                }));
                auditFile = dir.resolve("audit.jsonl");
                return Map.of("cockpit.audit.file", auditFile.toString());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    static Path auditFile;

    /** Waits for an audit line of {@code event} written at or after {@code since} that matches. */
    static JsonNode auditLine(String event, Instant since, java.util.function.Predicate<JsonNode> match) {
        JsonNode[] found = new JsonNode[1];
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!java.nio.file.Files.exists(auditFile)) {
                        return false;
                    }
                    for (String line : java.nio.file.Files.readAllLines(auditFile)) {
                        JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
                        if (n.path("event").asText().equals(event)
                                && !Instant.parse(n.path("ts").asText()).isBefore(since) && match.test(n)) {
                            found[0] = n;
                            return true;
                        }
                    }
                    return false;
                });
        return found[0];
    }

    @TestHTTPResource("/")
    URL base;
    @Inject
    SignIn signIn;

    private FleetHttp http() {
        return new FleetHttp(base);
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }

    // ---- bearer tokens ---------------------------------------------------------------------------------------------

    @Test
    void accessTokensOfTheRealmSignInWithTheirGroups() {
        Keycloak kc = KeycloakResource.keycloak();
        assertTrue(signIn.enabled());
        assertEquals(java.util.Optional.of(SignIn.Method.OIDC), signIn.method());
        for (Keycloak.User user : List.of(Keycloak.ALICE, Keycloak.BOB, Keycloak.CAROL)) {
            HttpResponse<String> me = http().get("/fleet/api/me", "Authorization", bearer(kc.accessToken(user)));
            assertEquals(200, me.statusCode(), me.body());
            JsonNode body = json(me);
            assertEquals(user.name(), body.get("user").asText());
            List<String> groups = new java.util.ArrayList<>();
            body.get("groups").forEach(g -> groups.add(g.asText()));
            assertEquals(user.groups(), groups, "groups of " + user.name());
            assertTrue(me.headers().firstValue("Cache-Control").orElse("").contains("no-store"));
        }
    }

    @Test
    void withoutValidCredentialsTheApiAnswers401JsonNeverARedirect() {
        Keycloak kc = KeycloakResource.keycloak();
        String otherAudience = kc.passwordGrant("other-app", "other-app-test-secret", "alice", "alice-password")
                .get("access_token").asText();
        // the foreign token is a valid token of the same realm, only not meant for the gateway
        JsonNode claims = Keycloak.claims(otherAudience);
        assertEquals(kc.issuer(), claims.get("iss").asText());
        assertFalse(claims.path("aud").toString().contains(Keycloak.CLIENT_ID), claims.toString());
        Map<String, String[]> cases = Map.of(
                "no credentials", new String[0],
                "garbage token", new String[] {"Authorization", "Bearer not.a.token"},
                "foreign audience", new String[] {"Authorization", bearer(otherAudience)},
                "Basic credentials", new String[] {"Authorization", "Basic YWxpY2U6YWxpY2UtcGFzc3dvcmQ="},
                "stale session cookie", new String[] {"Cookie", "q_session=garbage"});
        cases.forEach((what, headers) -> {
            for (String path : List.of("/fleet/api/me", "/fleet/api/hosts", "/fleet/api/anything")) {
                HttpResponse<String> r = http().get(path, headers);
                assertEquals(401, r.statusCode(), what + " " + path + ": " + r.body());
                assertNull(r.headers().firstValue("Location").orElse(null), what);
                assertEquals("authentication-failed", json(r).get("problem").asText(), what);
                assertEquals("Bearer", r.headers().firstValue("WWW-Authenticate").orElse(null), what);
            }
        });
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        Keycloak kc = KeycloakResource.keycloak();
        // this client's tokens carry the gateway's audience and live 5 seconds
        String token = kc.passwordGrant("cockpit-ws-java-short", "cockpit-ws-java-short-test-secret", "alice",
                "alice-password").get("access_token").asText();
        JsonNode claims = Keycloak.claims(token);
        assertTrue(claims.path("aud").toString().contains(Keycloak.CLIENT_ID), claims.toString());
        Instant expiry = Instant.ofEpochSecond(claims.get("exp").asLong());
        HttpResponse<String> fresh = http().get("/fleet/api/me", "Authorization", bearer(token));
        if (Instant.now().isBefore(expiry.minusSeconds(1))) {
            assertEquals(200, fresh.statusCode(), "the same token before it expired: " + fresh.body());
        } else {
            System.out.println("anExpiredTokenIsRefused: the machine was too slow to use the token before it expired;"
                    + " only the refusal is checked");
        }
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), expiry.plusSeconds(2)).toMillis()));
        HttpResponse<String> expired = http().get("/fleet/api/me", "Authorization", bearer(token));
        assertEquals(401, expired.statusCode(), expired.body());
    }

    @Test
    void unknownApiResourcesOfASignedInUserAre404() {
        String token = KeycloakResource.keycloak().accessToken(Keycloak.ALICE);
        HttpResponse<String> r = http().get("/fleet/api/nothing-here", "Authorization", bearer(token));
        assertEquals(404, r.statusCode());
        assertEquals("not-found", json(r).get("problem").asText());
    }

    // ---- Cockpit's own paths -----------------------------------------------------------------------------------------

    @Test
    void cockpitPathsNeverAuthenticate() {
        String stale = "q_session=garbage; q_auth_Default=garbage";
        HttpResponse<String> page = http().get("/", "Cookie", stale);
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<base href=\"/\">"), "the login page");
        HttpResponse<String> login = http().get("/cockpit/login", "Cookie", stale, "Authorization", "Bearer x.y.z");
        assertEquals(401, login.statusCode(), "Cockpit's own answer to a login without credentials it knows");
        assertTrue(login.headers().firstValue("Location").isEmpty());
        assertEquals(200, http().get("/ping", "Cookie", stale).statusCode());
    }

    // ---- the browser's sign-in paths, at the HTTP level --------------------------------------------------------------

    @Test
    void aRefusedRedirectBackIsAFailedSignInInTheAuditLog() {
        KeycloakResource.keycloak();
        Instant start = Instant.now().minusSeconds(1);
        // a real start of the sign-in (its state cookie and state), then a code the provider never issued
        HttpResponse<String> begin = http().get("/fleet/sign-in");
        assertEquals(302, begin.statusCode(), begin.body());
        String location = begin.headers().firstValue("Location").orElseThrow();
        String state = java.util.Arrays.stream(location.substring(location.indexOf('?') + 1).split("&"))
                .filter(p -> p.startsWith("state=")).findFirst().orElseThrow().substring("state=".length());
        String stateCookie = FleetHttp.pair(setCookie(begin, "q_auth"));
        HttpResponse<String> r = http().get("/fleet/sign-in?code=made-up&state=" + state, "Cookie", stateCookie);
        assertEquals(401, r.statusCode(), r.body());
        JsonNode failed = auditLine("sign-in", start, n -> n.path("outcome").asText().equals("failure"));
        assertEquals("oidc", failed.path("method").asText(), failed.toString());
        assertEquals("authentication-failed", failed.path("problem").asText(), failed.toString());
        assertFalse(failed.has("identity"), failed.toString());
        assertFalse(failed.toString().contains("made-up"), "the code is not in the audit log");
    }

    @Test
    void signInRedirectsToTheProviderWithALaxStateCookie() {
        Keycloak kc = KeycloakResource.keycloak();
        HttpResponse<String> r = http().get("/fleet/sign-in");
        assertEquals(302, r.statusCode(), r.body());
        String location = r.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith(kc.issuer() + "/protocol/openid-connect/auth?"), location);
        String query = URLDecoder.decode(location.substring(location.indexOf('?') + 1), StandardCharsets.UTF_8);
        assertTrue(query.contains("redirect_uri=" + http().origin() + "/fleet/sign-in&"), query);
        assertTrue(query.contains("client_id=" + Keycloak.CLIENT_ID), query);
        String state = r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("q_auth")).findFirst()
                .orElseThrow(() -> new AssertionError("no state cookie: " + r.headers().allValues("Set-Cookie")));
        assertTrue(state.toLowerCase().contains("httponly"), state);
        assertTrue(state.toLowerCase().contains("samesite=lax"), "the state cookie must come back from the provider: "
                + state);
        assertFalse(state.contains("Secure"), "plain http here: " + state);
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(null));
    }

    @Test
    void onlyPathsBelowTheUrlRootAreReturnTargets() {
        String good = setCookie(http().get("/fleet/sign-in?return=%2F%3Dweb-1%2Fsystem%3Fa%3Db"),
                FleetRoutes.RETURN_COOKIE);
        assertNotNull(good, "a path below the root is kept for after the sign-in");
        assertTrue(good.contains("SameSite=Lax") && good.contains("HttpOnly") && good.contains("Path=/fleet/"), good);
        for (String bad : List.of("%2F%2Fevil.example%2F", "https%3A%2F%2Fevil.example%2F", "%2F%5Cevil.example",
                "evil", "%2Ffleet%2F..%2F..%2Fx", "%2Ffleet%2F%252e%252e%2Fx", "%2Fa%0d%0aSet-Cookie%3A+x%3Dy")) {
            HttpResponse<String> r = http().get("/fleet/sign-in?return=" + bad);
            assertEquals(302, r.statusCode());
            assertNull(setCookie(r, FleetRoutes.RETURN_COOKIE), "refused return target " + bad);
        }
    }

    @Test
    void signOutNeedsAnAllowedOrigin() {
        assertEquals(403, http().post("/fleet/sign-out", "").statusCode(), "no Origin");
        assertEquals(403, http().post("/fleet/sign-out", "", "Origin", "http://evil.example").statusCode());
        HttpResponse<String> ok = http().post("/fleet/sign-out", "", "Origin", http().origin());
        assertEquals(303, ok.statusCode(), "not signed in: straight back to the fleet page");
        assertEquals("/fleet/", ok.headers().firstValue("Location").orElse(null));
        assertEquals(405, http().get("/fleet/sign-out").statusCode(), "sign-out is a POST");
    }

    @Test
    void theFleetPageIsServedWithBaseEnvironmentAndPolicy() {
        HttpResponse<String> page = http().get("/fleet/");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<base href=\"/\">"), "base href");
        assertTrue(page.body().contains("var environment = {\"sign_in\":\"oidc\""), "environment");
        assertTrue(page.body().contains("id=\"sign-in\""), "the fleet page itself");
        assertEquals("no-cache, no-store", page.headers().firstValue("Cache-Control").orElse(null));
        assertEquals("same-origin", page.headers().firstValue("Referrer-Policy").orElse(null),
                "so that its sign-out form sends its Origin");
        String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("default-src 'self' " + http().origin() + " 'unsafe-inline'"), csp);
        assertTrue(csp.contains("form-action 'self'"), csp);
        HttpResponse<String> bare = http().get("/fleet");
        assertEquals(302, bare.statusCode());
        assertEquals("/fleet/", bare.headers().firstValue("Location").orElse(null));
        assertEquals(404, http().get("/fleet/elsewhere").statusCode());
    }

    @Test
    void theCodeFlowOverTheWireAndSignOutAtTheProvider() {
        Keycloak kc = KeycloakResource.keycloak();
        Instant start = Instant.now().minusSeconds(1);
        String gateway = "http://localhost:" + base.getPort();
        CodeFlowClient client = new CodeFlowClient();
        HttpResponse<String> signedIn = client.signIn(gateway + "/fleet/sign-in", Keycloak.ALICE);
        assertEquals("/fleet/", CodeFlowClient.location(signedIn, 302), "to the fleet page");
        JsonNode audited = auditLine("sign-in", start, n -> n.path("identity").asText().equals("alice"));
        assertEquals("success", audited.path("outcome").asText(), audited.toString());
        assertEquals("oidc", audited.path("method").asText(), audited.toString());
        assertEquals("127.0.0.1", audited.path("client").asText(), audited.toString());
        assertTrue(client.cookies("localhost").keySet().stream().anyMatch(n -> n.startsWith("q_session")),
                client.cookies("localhost").toString());
        HttpResponse<String> me = client.get(gateway + "/fleet/api/me");
        assertEquals(200, me.statusCode(), me.body());
        assertEquals("alice", json(me).get("user").asText());

        HttpResponse<String> out = client.post(gateway + "/fleet/sign-out", Map.of(), "Origin", gateway);
        String logout = CodeFlowClient.location(out, 302);
        assertTrue(logout.startsWith(kc.issuer() + "/protocol/openid-connect/logout?"), logout);
        String query = URLDecoder.decode(logout, StandardCharsets.UTF_8);
        assertTrue(query.contains("id_token_hint="), query);
        assertTrue(query.contains("post_logout_redirect_uri=" + gateway + "/fleet/"), query);
        assertTrue(client.cookies("localhost").keySet().stream().noneMatch(n -> n.startsWith("q_session")),
                "the session cookie is removed: " + client.cookies("localhost"));
        assertEquals(401, client.get(gateway + "/fleet/api/me").statusCode());
        JsonNode signedOut = auditLine("sign-out", start, n -> true);
        assertEquals("alice", signedOut.path("identity").asText(), signedOut.toString());
        assertEquals("127.0.0.1", signedOut.path("client").asText(), signedOut.toString());
        HttpResponse<String> providerLogout = client.get(logout);
        assertEquals(gateway + "/fleet/", CodeFlowClient.location(providerLogout, 302).split("\\?")[0],
                "the provider comes back to the fleet page");
        // the provider's session is gone too: signing in again shows its login form
        HttpResponse<String> again = client.get(CodeFlowClient.location(client.get(gateway + "/fleet/sign-in"), 302));
        assertEquals(200, again.statusCode());
        assertTrue(again.body().contains("kc-form-login"), "Keycloak asks for the password again");
    }

    // ---- the browser -----------------------------------------------------------------------------------------------

    @Test
    void aBrowserSignsInThroughTheProviderAndOut() {
        KeycloakResource.keycloak();
        // the gateway as localhost, the provider as 127.0.0.1: different sites, as in real deployments, so the
        // cookies must survive cross-site redirects
        String gateway = "http://localhost:" + base.getPort();
        try (Browser browser = Browser.start(Path.of("target/screenshots/fleet-sign-in-oidc"), Duration.ofSeconds(60))) {
            // a sign-in that returns where it was asked to (the fleet page's own "Sign in" link: the UrlRoot test)
            browser.open(gateway + "/fleet/");
            browser.visible("signed-out");
            browser.open(gateway + "/fleet/sign-in?return=%2Ffleet%2Fapi%2Fme");
            FleetBrowser.keycloakLogin(browser, Keycloak.ALICE);
            browser.await("back at fleet/api/me", d -> d.getCurrentUrl().equals(gateway + "/fleet/api/me"));
            String me = browser.driver().findElement(By.tagName("body")).getText();
            assertTrue(me.contains("\"user\":\"alice\"") && me.contains("\"ops\""), me);

            browser.open(gateway + "/fleet/");
            FleetBrowser.awaitSignedIn(browser, gateway + "/fleet/", "alice");
            // the encrypted tokens are large: Quarkus splits the session cookie into q_session_chunk_<n>
            var session = browser.driver().manage().getCookies().stream()
                    .filter(c -> c.getName().startsWith("q_session")).findFirst().orElse(null);
            assertNotNull(session, "session cookie " + browser.driver().manage().getCookies());
            assertTrue(session.isHttpOnly(), "HttpOnly session cookie");
            assertEquals("Lax", session.getSameSite());
            assertEquals(200, FleetBrowser.fetchStatus(browser, "fleet/api/me"));

            // out through the provider's logout and back to the fleet page (that the provider's session ends is
            // checked over the wire in theCodeFlowOverTheWireAndSignOutAtTheProvider)
            FleetBrowser.signOut(browser, gateway + "/fleet/");
            assertEquals(401, FleetBrowser.fetchStatus(browser, "fleet/api/me"));
            assertTrue(browser.driver().manage().getCookies().stream().noneMatch(c -> c.getName().startsWith("q_session")),
                    browser.driver().manage().getCookies().toString());
        }
    }
}
