package io.cockpitwsjava.signin;

import static io.cockpitwsjava.signin.FleetHttp.json;
import static io.cockpitwsjava.signin.FleetHttp.pair;
import static io.cockpitwsjava.signin.FleetHttp.setCookie;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.cockpitwsjava.testing.Browser;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Signing in with a users file (no identity provider), through Quarkus form authentication and our sign-in page: the
 * form in headless Chromium, the post and cookie at the HTTP level, and a user removed from the file.
 */
@QuarkusTest
@TestProfile(FleetSignInUsersFileIT.UsersFile.class)
class FleetSignInUsersFileIT {

    static final Path FILE = Path.of("target", "fleet-sign-in", "users").toAbsolutePath();
    static final String ADMIN_PASSWORD = "correct horse battery staple";
    static final String VIEWER_PASSWORD = "viewer pass: with colon";

    public static class UsersFile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Files.createDirectories(FILE.getParent());
                Files.writeString(FILE, content());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("cockpit.fleet.sign-in.users-file", FILE.toString());
        }
    }

    /** admin (ops, dev) and viewer (no group), hashed by htpasswd where installed. */
    static String content() {
        return "# fleet sign-in test users\n"
                + UsersFileTest.htpasswdLine("admin", ADMIN_PASSWORD) + ":ops,dev\n"
                + "\n"
                + UsersFileTest.htpasswdLine("viewer", VIEWER_PASSWORD) + "\n";
    }

    @TestHTTPResource("/")
    URL base;
    @Inject
    SignIn signIn;

    private FleetHttp http() {
        return new FleetHttp(base);
    }

    private HttpResponse<String> post(String user, String password) {
        return http().post("/fleet/j_security_check", "j_username=" + URLEncoder.encode(user, StandardCharsets.UTF_8)
                + "&j_password=" + URLEncoder.encode(password, StandardCharsets.UTF_8), "Origin", http().origin());
    }

    @Test
    void theFormPostSignsInWithAStrictHttpOnlyCookie() {
        assertEquals(Optional.of(SignIn.Method.USERS_FILE), signIn.method());
        HttpResponse<String> ok = post("admin", ADMIN_PASSWORD);
        assertEquals(200, ok.statusCode(), ok.body());
        String cookie = setCookie(ok, "quarkus-credential");
        assertNotNull(cookie, ok.headers().allValues("Set-Cookie").toString());
        assertTrue(cookie.contains("HTTPOnly") || cookie.contains("HttpOnly"), cookie);
        assertTrue(cookie.contains("SameSite=Strict"), cookie);
        assertTrue(cookie.contains("Path=/"), cookie);
        HttpResponse<String> me = http().get("/fleet/api/me", "Cookie", pair(cookie));
        assertEquals(200, me.statusCode(), me.body());
        assertEquals("{\"user\":\"admin\",\"groups\":[\"dev\",\"ops\"]}", me.body());
        HttpResponse<String> viewer = post("viewer", VIEWER_PASSWORD);
        assertEquals(200, viewer.statusCode());
        assertEquals("{\"user\":\"viewer\",\"groups\":[]}",
                http().get("/fleet/api/me", "Cookie", pair(setCookie(viewer, "quarkus-credential"))).body());
    }

    @Test
    void wrongPasswordsUnknownUsersAndForeignOriginsAreRefused() {
        for (String[] wrong : new String[][] {{"admin", "wrong"}, {"nobody", ADMIN_PASSWORD}, {"admin", ""},
                {"Admin", ADMIN_PASSWORD}, {"admin", ADMIN_PASSWORD.substring(1)}}) {
            HttpResponse<String> r = post(wrong[0], wrong[1]);
            assertEquals(401, r.statusCode(), wrong[0] + " / " + wrong[1]);
            assertEquals("authentication-failed", json(r).get("problem").asText());
            assertNull(setCookie(r, "quarkus-credential"));
        }
        assertEquals(403, http().post("/fleet/j_security_check", "j_username=admin&j_password="
                + URLEncoder.encode(ADMIN_PASSWORD, StandardCharsets.UTF_8)).statusCode(), "no Origin");
        assertEquals(403, http().post("/fleet/j_security_check", "j_username=admin&j_password=x", "Origin",
                "http://evil.example").statusCode());
        // Cockpit's Basic headers never sign anyone in to the gateway
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(401, http().get("/fleet/api/me", "Authorization", basic).statusCode());
        assertEquals(401, http().get("/fleet/api/me", "Cookie", "quarkus-credential=forged").statusCode());
    }

    @Test
    void signOutClearsTheCookieAndARemovedUserIsSignedOut() throws Exception {
        String cookie = pair(setCookie(post("viewer", VIEWER_PASSWORD), "quarkus-credential"));
        HttpResponse<String> out = http().post("/fleet/sign-out", "", "Origin", http().origin(), "Cookie", cookie);
        assertEquals(303, out.statusCode());
        assertEquals("/fleet/", out.headers().firstValue("Location").orElse(null));
        String cleared = setCookie(out, "quarkus-credential");
        assertNotNull(cleared, out.headers().allValues("Set-Cookie").toString());
        assertTrue(cleared.contains("Max-Age=0"), cleared);

        String admin = pair(setCookie(post("admin", ADMIN_PASSWORD), "quarkus-credential"));
        assertEquals(200, http().get("/fleet/api/me", "Cookie", admin).statusCode());
        try {
            Files.writeString(FILE, UsersFileTest.htpasswdLine("viewer", VIEWER_PASSWORD) + "\n# admin removed\n");
            assertEquals(401, http().get("/fleet/api/me", "Cookie", admin).statusCode(),
                    "a user taken out of the file is signed out at the next request");
        } finally {
            Files.writeString(FILE, content());
        }
    }

    @Test
    void signInServesTheFormAndTheProviderPathsDoNotExist() {
        HttpResponse<String> page = http().get("/fleet/sign-in");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("id=\"sign-in-form\""), "our sign-in page");
        assertTrue(page.body().contains("var environment = {\"sign_in\":\"users-file\""), page.body());
        assertEquals(405, http().get("/fleet/j_security_check").statusCode());
    }

    @Test
    void aBrowserSignsInWithTheFormAndOut() {
        String fleet = "http://localhost:" + base.getPort() + "/fleet/";
        try (Browser browser = Browser.start(Path.of("target/screenshots/fleet-sign-in-users-file"), Duration.ofSeconds(60))) {
            browser.open(fleet);
            browser.visible("signed-out");
            browser.click("sign-in");
            browser.visible("sign-in-form");
            browser.type("sign-in-user", "admin");
            browser.type("sign-in-password", "not the password");
            browser.click("sign-in-button");
            browser.await("the refusal", d -> d.findElement(org.openqa.selenium.By.id("sign-in-error")).isDisplayed()
                    && d.findElement(org.openqa.selenium.By.id("sign-in-error")).getText()
                            .equals("Wrong user name or password"));
            browser.screenshot("wrong-password");
            browser.type("sign-in-password", ADMIN_PASSWORD);
            browser.click("sign-in-button");
            FleetBrowser.awaitSignedIn(browser, fleet, "admin");
            var cookie = browser.driver().manage().getCookieNamed("quarkus-credential");
            assertNotNull(cookie);
            assertTrue(cookie.isHttpOnly());
            assertEquals("Strict", cookie.getSameSite());
            assertEquals(200, FleetBrowser.fetchStatus(browser, "fleet/api/me"));
            FleetBrowser.signOut(browser, fleet);
            assertEquals(401, FleetBrowser.fetchStatus(browser, "fleet/api/me"));
            assertNull(browser.driver().manage().getCookieNamed("quarkus-credential"));
        }
    }
}
