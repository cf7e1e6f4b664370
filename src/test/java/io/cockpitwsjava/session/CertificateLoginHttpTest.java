package io.cockpitwsjava.session;

import static io.cockpitwsjava.session.FleetLoginFixture.WAIT;
import static io.cockpitwsjava.session.FleetLoginFixture.acceptedLine;
import static io.cockpitwsjava.session.FleetLoginFixture.assertLikeUnknownHost;
import static io.cockpitwsjava.session.FleetLoginFixture.runId;
import static io.cockpitwsjava.session.FleetLoginFixture.socket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cockpitwsjava.testing.GatewayClient;
import io.cockpitwsjava.testing.GatewayClient.Response;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Logins by identity over real HTTP, with a users-file sign-in and the real sshds of {@link FleetLoginFixture}: a
 * signed-in person's {@code GET /cockpit+=<name>/login} without a password logs in with a fresh certificate (its key
 * id in the VM's sshd log), the session's bridge runs as the rule's account, and as root only where the rule grants
 * superuser; every refusal answers like a name that is not in the inventory.
 */
@QuarkusTest
@TestProfile(CertificateLoginHttpTest.UsersFile.class)
class CertificateLoginHttpTest {

    static final String PASSWORD = "certificate login test password";
    static final ObjectMapper JSON = new ObjectMapper();

    /** The fleet, plus a users file: olga in ops, dave in dev, vera in no group. */
    public static class UsersFile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Map<String, String> c = new HashMap<>(FleetLoginFixture.config());
                Path users = Files.createTempFile("certificate-login-users-", "");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> io.cockpitwsjava.testing.Commands.deleteTree(users)));
                Files.writeString(users, user("olga") + ":ops\n" + user("dave") + ":dev\n" + user("vera") + "\n");
                c.put("cockpit.fleet.sign-in.users-file", users.toString());
                return c;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static String user(String name) {
            byte[] salt = new byte[16];
            new SecureRandom().nextBytes(salt);
            return name + ":" + OpenBSDBCrypt.generate("2y", PASSWORD.toCharArray(), salt, 10);
        }
    }

    @TestHTTPResource("/")
    URL base;

    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void sudo() throws IOException {
        // the account may become root: only the rule decides whether a session does
        FleetLoginFixture.allowSudo();
    }

    @AfterAll
    static void noSudo() throws IOException {
        FleetLoginFixture.forbidSudo();
    }

    /** Signs in with the users file; returns the Cookie header value. */
    String signIn(String user) throws Exception {
        URI u = URI.create(base.toString());
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(u.resolve("/fleet/j_security_check"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", u.getScheme() + "://" + u.getAuthority())
                .POST(HttpRequest.BodyPublishers.ofString("j_username=" + user + "&j_password="
                        + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("quarkus-credential="))
                .findFirst().orElseThrow().split(";", 2)[0];
    }

    GatewayClient client() {
        return new GatewayClient(base.getHost(), base.getPort());
    }

    @Test
    void aSignedInPersonOpensTheHostWithoutAPassword() throws Exception {
        String olga = signIn("olga");
        try (GatewayClient client = client()) {
            Response login = client.get("/cockpit+=web-1/login", GatewayClient.headers("Cookie", olga));
            assertEquals(200, login.status(), login.reason() + " " + login.text());
            assertTrue(login.header("Set-Cookie").startsWith("machine-cockpit+web-1="), login.header("Set-Cookie"));
            JsonNode body = JSON.readTree(login.text());
            assertFalse(body.path("csrf-token").asText().isEmpty(), login.text());

            // the VM's own log names the person and the certificate
            String accepted = acceptedLine(FleetLoginFixture.web, "olga");
            assertTrue(accepted.contains("ECDSA-CERT"), accepted);

            try (GatewayClient.Socket s = socket(client, "web-1", login)) {
                String uid = runId(s, "1:1", false);
                assertFalse(uid.equals("1:1\n0\n"), "the bridge runs as the rule's account, not as root: " + uid);
                // rule 1 grants superuser: the session started sudo (no password needed) at login
                assertEquals("1:2\n0\n", runId(s, "1:2", true));
            }
            // the shell page of the host, with the session cookie: no login page
            Response shell = client.get("/=web-1/", GatewayClient.headers("Cookie",
                    GatewayClient.cookieOf(login.header("Set-Cookie"))));
            assertEquals(200, shell.status());
            assertFalse(shell.text().contains("login-password-input"), "the shell, not the login page");
        }
    }

    /**
     * A host with {@code AuthorizedPrincipalsFile} and a host certificate trusted by a host CA: the login works
     * without a pinned key, and the rule without superuser keeps the session unprivileged although the account could
     * sudo and the request asked for it.
     */
    @Test
    void principalsFileHostCertificateAndNoSuperuserWithoutTheRight() throws Exception {
        String olga = signIn("olga");
        try (GatewayClient client = client()) {
            Response login = client.get("/cockpit+=app-1/login", GatewayClient.headers("Cookie", olga,
                    "X-Superuser", "any"));
            assertEquals(200, login.status(), login.reason() + " " + login.text());
            acceptedLine(FleetLoginFixture.app, "olga");
            try (GatewayClient.Socket s = socket(client, "app-1", login)) {
                String close = runId(s, "1:1", true);
                assertTrue(close.contains("access-denied"), close);
            }
        }
        String dave = signIn("dave");
        try (GatewayClient client = client()) {
            Response login = client.get("/cockpit+=app-1/login", GatewayClient.headers("Cookie", dave));
            assertEquals(200, login.status(), login.reason() + " " + login.text());
            acceptedLine(FleetLoginFixture.app, "dave");
        }
    }

    @Test
    void refusalsLookLikeAnUnknownHost() throws Exception {
        String olga = signIn("olga");
        String dave = signIn("dave");
        String vera = signIn("vera");
        long before = FleetLoginFixture.web.log().lines().filter(l -> l.contains("Accepted publickey")).count();
        try (GatewayClient client = client()) {
            Response unknown = client.get("/cockpit+=nope/login", GatewayClient.headers("Cookie", olga));
            assertTrue(unknown.status() >= 400 && unknown.status() < 500, unknown.status() + " " + unknown.reason());
            assertTrue(unknown.text().contains("unknown-host") || unknown.reason().contains("unknown-host"),
                    unknown.reason() + " " + unknown.text());
            // a host that exists, but no rule of theirs grants it
            assertLikeUnknownHost(unknown, client.get("/cockpit+=web-1/login", GatewayClient.headers("Cookie", dave)));
            assertLikeUnknownHost(unknown, client.get("/cockpit+=web-1/login", GatewayClient.headers("Cookie", vera)));
            assertLikeUnknownHost(unknown, client.get("/cockpit+=app-1/login", GatewayClient.headers("Cookie", vera)));

            // no sign-in: the login page's usual answer (it asks for a password)
            Response anonymous = client.get("/cockpit+=web-1/login", Map.of());
            assertEquals(401, anonymous.status());
            assertTrue(anonymous.header("Set-Cookie") == null);
            // a bearer token that is not valid
            Response forged = client.get("/cockpit+=web-1/login", GatewayClient.headers("Authorization",
                    "Bearer not.a.token"));
            assertEquals(401, forged.status());
            assertTrue(forged.text().contains("authentication-failed"), forged.text());
        }
        long after = FleetLoginFixture.web.log().lines().filter(l -> l.contains("Accepted publickey")).count();
        assertEquals(before, after, "no refused request reached the host");
    }
}
