package io.cockpitwsjava.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

import org.awaitility.Awaitility;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cockpitwsjava.testing.GatewayClient;
import io.cockpitwsjava.testing.GatewayClient.Response;
import io.cockpitwsjava.testing.GatewayClient.Socket;
import io.cockpitwsjava.testing.SshdTarget;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The audit log through the gateway's public surface: a users-file sign-in (wrong password, right password,
 * sign-out), password logins to a real sshd with the real installed bridge (wrong password; superuser refused by sudo;
 * superuser granted), a process and a terminal opened over the WebSocket, and the logout. Every event type is read
 * back from the audit file as JSON, with exactly the fields docs/audit.md names, and nothing secret in any line.
 */
@QuarkusTest
@TestProfile(AuditLogFlowTest.Audited.class)
class AuditLogFlowTest {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String SIGN_IN_PASSWORD = "audit sign-in password 7c1e";
    /** Named per test JVM: a run in another checkout on this machine must not delete this one's grant. */
    static final Path SUDOERS = Path.of("/etc/sudoers.d/cockpit-ws-java-audit-test-"
            + ProcessHandle.current().pid());
    static final ObjectMapper JSON = new ObjectMapper();
    /** Arguments and environment of the channels: must never reach the audit log. */
    static final String ARGUMENT_MARK = "ARGMARK9f3d";
    static final String ENVIRONMENT_MARK = "ENVMARK77ab";
    static Path auditFile;

    @RegisterExtension
    static SshdTarget sshd = new SshdTarget(SshdTarget.RemotePath.INSTALLED);

    /** A users file with one person, and the audit log to a file in a temporary directory (not to stdout). */
    public static class Audited implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path dir = Files.createTempDirectory("audit-log-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
                byte[] salt = new byte[16];
                new SecureRandom().nextBytes(salt);
                Path users = dir.resolve("users");
                Files.writeString(users, "olga:" + OpenBSDBCrypt.generate("2y", SIGN_IN_PASSWORD.toCharArray(), salt, 10)
                        + ":ops\n");
                auditFile = dir.resolve("audit.jsonl");
                return Map.of("cockpit.audit.file", auditFile.toString(), "cockpit.audit.stdout", "false",
                        "cockpit.fleet.sign-in.users-file", users.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static void deleteTree(Path root) {
            try (var paths = Files.walk(root)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // best effort: a temporary directory
            }
        }
    }

    @TestHTTPResource("/")
    URL base;

    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @AfterAll
    static void removeSudoers() throws IOException {
        Files.deleteIfExists(SUDOERS);
    }

    String url(String path) {
        String b = base.toString();
        return (b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + path;
    }

    String origin() {
        URI u = URI.create(url("/"));
        return u.getScheme() + "://" + u.getAuthority();
    }

    HttpResponse<String> postSignIn(String user, String password) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url("/fleet/j_security_check")))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", origin())
                .POST(HttpRequest.BodyPublishers.ofString("j_username=" + user + "&j_password="
                        + URLEncoder.encode(password, StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** All lines of the audit file so far, parsed (each must be one JSON object). */
    static List<JsonNode> lines() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.exists(auditFile)) {
            return out;
        }
        for (String line : Files.readAllLines(auditFile, StandardCharsets.UTF_8)) {
            JsonNode node = JSON.readTree(line);
            assertTrue(node.isObject(), line);
            out.add(node);
        }
        return out;
    }

    /** Waits for the first line of {@code event} written after {@code since} that matches. */
    static JsonNode await(String event, Instant since, Predicate<JsonNode> match) {
        JsonNode[] found = new JsonNode[1];
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            for (JsonNode n : lines()) {
                if (n.path("event").asText().equals(event) && !Instant.parse(n.path("ts").asText()).isBefore(since)
                        && match.test(n)) {
                    found[0] = n;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    static Set<String> fields(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static void assertFields(JsonNode node, String... names) {
        assertEquals(new TreeSet<>(List.of(names)), fields(node), node.toString());
        assertTrue(node.path("ts").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"),
                node.toString());
    }

    Response hostLogin(GatewayClient client, String password, String superuser) {
        return client.get("/cockpit+=localhost:" + sshd.port() + "/login", GatewayClient.headers(
                "Authorization", GatewayClient.basic(sshd.user(), password, sshd.knownHostsLine()),
                "X-Superuser", superuser));
    }

    String host() {
        return "localhost:" + sshd.port();
    }

    @Test
    void gatewaySignInAndSignOut() throws Exception {
        Instant start = Instant.now().minusSeconds(1);

        HttpResponse<String> wrong = postSignIn("olga", "not the password");
        assertEquals(401, wrong.statusCode(), wrong.body());
        JsonNode failed = await("sign-in", start, n -> n.path("outcome").asText().equals("failure"));
        assertFields(failed, "ts", "event", "outcome", "method", "identity", "client", "problem");
        assertEquals("password", failed.path("method").asText());
        assertEquals("olga", failed.path("identity").asText());
        assertEquals("127.0.0.1", failed.path("client").asText());
        assertEquals("authentication-failed", failed.path("problem").asText());

        HttpResponse<String> right = postSignIn("olga", SIGN_IN_PASSWORD);
        assertEquals(200, right.statusCode(), right.body());
        String cookie = right.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("quarkus-credential=")).findFirst().orElseThrow().split(";", 2)[0];
        JsonNode signedIn = await("sign-in", start, n -> n.path("outcome").asText().equals("success"));
        assertFields(signedIn, "ts", "event", "outcome", "method", "identity", "client");
        assertEquals("password", signedIn.path("method").asText());
        assertEquals("olga", signedIn.path("identity").asText());
        assertEquals("127.0.0.1", signedIn.path("client").asText());

        HttpResponse<String> out = http.send(HttpRequest.newBuilder(URI.create(url("/fleet/sign-out")))
                .header("Cookie", cookie).header("Origin", origin()).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(303, out.statusCode(), out.body());
        JsonNode signedOut = await("sign-out", start, n -> true);
        assertFields(signedOut, "ts", "event", "identity", "client");
        assertEquals("olga", signedOut.path("identity").asText());
        assertEquals("127.0.0.1", signedOut.path("client").asText());

        String all = Files.readString(auditFile);
        assertFalse(all.contains(SIGN_IN_PASSWORD) || all.contains("not the password"), all);
        assertFalse(all.contains(cookie.split("=", 2)[1]), "the sign-in cookie is in the audit log");
    }

    @Test
    void hostLoginsSuperuserChannelsAndSessionEnd() throws Exception {
        Instant start = Instant.now().minusSeconds(1);
        try (GatewayClient client = new GatewayClient(base.getHost(), base.getPort())) {
            // a wrong password: a failed host login, no session
            Response wrong = hostLogin(client, "wrong-" + sshd.password(), "none");
            assertEquals(401, wrong.status(), wrong.reason());
            JsonNode failed = await("host-login", start, n -> n.path("outcome").asText().equals("failure"));
            assertFields(failed, "ts", "event", "outcome", "identity", "host", "ssh_user", "client", "problem");
            assertEquals(sshd.user(), failed.path("identity").asText());
            assertEquals(sshd.user(), failed.path("ssh_user").asText());
            assertEquals(host(), failed.path("host").asText());
            assertEquals("127.0.0.1", failed.path("client").asText());
            assertEquals("authentication-failed", failed.path("problem").asText());

            // superuser asked for, but sudo does not let the user in: refused
            Files.deleteIfExists(SUDOERS);
            Response refusedLogin = hostLogin(client, sshd.password(), "any");
            assertEquals(200, refusedLogin.status(), refusedLogin.reason());
            JsonNode first = await("host-login", start, n -> n.path("outcome").asText().equals("success"));
            String firstTag = first.path("session").asText();
            JsonNode refused = await("superuser", start, n -> n.path("session").asText().equals(firstTag));
            assertFields(refused, "ts", "event", "granted", "identity", "host", "problem", "session");
            assertFalse(refused.path("granted").asBoolean(), refused.toString());
            assertTrue(refused.path("granted").isBoolean(), refused.toString());
            assertEquals("access-denied", refused.path("problem").asText());

            // with sudo allowed: granted; then a process and a terminal, and the logout
            Files.writeString(SUDOERS, sshd.user() + " ALL=(ALL:ALL) ALL\n");
            Files.setPosixFilePermissions(SUDOERS, java.nio.file.attribute.PosixFilePermissions.fromString("r--r-----"));
            Response login = hostLogin(client, sshd.password(), "any");
            assertEquals(200, login.status(), login.reason());
            JsonNode loggedIn = await("host-login", start, n -> n.path("outcome").asText().equals("success")
                    && !n.path("session").asText().equals(firstTag));
            assertFields(loggedIn, "ts", "event", "outcome", "identity", "host", "ssh_user", "client", "session");
            assertEquals(sshd.user(), loggedIn.path("identity").asText());
            assertEquals(sshd.user(), loggedIn.path("ssh_user").asText());
            assertEquals(host(), loggedIn.path("host").asText());
            assertEquals("127.0.0.1", loggedIn.path("client").asText());
            String tag = loggedIn.path("session").asText();
            assertTrue(tag.matches("[0-9a-f]{16}"), tag);
            assertNotEquals(firstTag, tag);
            String cookie = GatewayClient.cookieOf(login.header("Set-Cookie"));

            JsonNode granted = await("superuser", start, n -> n.path("session").asText().equals(tag));
            assertFields(granted, "ts", "event", "granted", "identity", "host", "session");
            assertTrue(granted.path("granted").asBoolean(), granted.toString());
            assertEquals(sshd.user(), granted.path("identity").asText());
            assertEquals(host(), granted.path("host").asText());

            try (Socket s = client.socket("/cockpit+=" + host() + "/socket", client.origin(), cookie)) {
                s.await("\"init\"", WAIT);
                s.send("\n{\"command\":\"init\",\"version\":1}");
                s.send("\n{\"command\":\"open\",\"channel\":\"1:1\",\"payload\":\"stream\",\"spawn\":[\"/bin/echo\",\""
                        + ARGUMENT_MARK + "\"],\"environ\":[\"MARK=" + ENVIRONMENT_MARK + "\"]}");
                assertTrue(s.await("1:1\n" + ARGUMENT_MARK, WAIT).text().contains(ARGUMENT_MARK));
                s.send("\n{\"command\":\"open\",\"channel\":\"1:2\",\"payload\":\"stream\",\"spawn\":[\"/bin/sh\",\"-c\","
                        + "\"id -u; echo " + ARGUMENT_MARK + "\"],\"pty\":true,\"superuser\":\"require\","
                        + "\"environ\":[\"MARK=" + ENVIRONMENT_MARK + "\"]}");
                assertTrue(s.await("1:2\n", WAIT).text().startsWith("1:2\n0"), "the terminal runs as root");
                s.send("\n{\"command\":\"close\",\"channel\":\"1:2\"}");
                s.send("\n{\"command\":\"logout\"}");
                s.awaitClose(WAIT);
            }

            JsonNode process = await("channel-open", start, n -> n.path("session").asText().equals(tag)
                    && n.path("kind").asText().equals("process"));
            assertFields(process, "ts", "event", "kind", "payload", "command", "superuser", "identity", "host",
                    "session");
            assertEquals("stream", process.path("payload").asText());
            assertEquals("echo", process.path("command").asText());
            assertFalse(process.path("superuser").asBoolean());
            assertEquals(sshd.user(), process.path("identity").asText());
            assertEquals(host(), process.path("host").asText());

            JsonNode terminal = await("channel-open", start, n -> n.path("session").asText().equals(tag)
                    && n.path("kind").asText().equals("terminal"));
            assertFields(terminal, "ts", "event", "kind", "payload", "command", "superuser", "identity", "host",
                    "session");
            assertEquals("sh", terminal.path("command").asText());
            assertTrue(terminal.path("superuser").asBoolean());

            JsonNode end = await("session-end", start, n -> n.path("session").asText().equals(tag));
            // the start the login asked for is the superuser line above, not a switch as well
            assertTrue(lines().stream().noneMatch(n -> n.path("event").asText().equals("superuser-switch")
                    && n.path("session").asText().equals(tag)), lines().toString());
            assertFields(end, "ts", "event", "identity", "host", "duration_ms", "bytes_to_host", "bytes_to_browser",
                    "session");
            assertEquals(sshd.user(), end.path("identity").asText());
            assertEquals(host(), end.path("host").asText());
            assertTrue(end.path("duration_ms").isIntegralNumber() && end.path("duration_ms").asLong() > 0,
                    end.toString());
            // at least what the channels carried: the open messages one way, the echoed marks the other way
            assertTrue(end.path("bytes_to_host").asLong() > 2 * ARGUMENT_MARK.length(), end.toString());
            assertTrue(end.path("bytes_to_browser").asLong() > 2 * ARGUMENT_MARK.length(), end.toString());

            String all = Files.readString(auditFile);
            assertFalse(all.contains(ARGUMENT_MARK), "a channel argument is in the audit log: " + all);
            assertFalse(all.contains(ENVIRONMENT_MARK), "a channel's environment is in the audit log: " + all);
            assertFalse(all.contains(sshd.password()), "the login password is in the audit log: " + all);
            assertFalse(all.contains(cookie.split("=", 2)[1]), "the session cookie is in the audit log");
            // every line has a known event type
            for (JsonNode n : lines()) {
                assertTrue(Set.of("sign-in", "sign-out", "host-login", "superuser", "superuser-switch", "channel-open",
                        "session-end").contains(n.path("event").asText()), n.toString());
            }
        }
    }

    /**
     * Administrative access switched later, as the shell's "Limited access" button does it: {@code Start} on the
     * bridge's {@code /superuser} object, sudo's password prompt answered, {@code Stop}; then a start that sudo
     * refuses.
     */
    @Test
    void superuserSwitchedOnAndOffLater() throws Exception {
        Instant start = Instant.now().minusSeconds(1);
        Files.writeString(SUDOERS, sshd.user() + " ALL=(ALL:ALL) ALL\n");
        Files.setPosixFilePermissions(SUDOERS, java.nio.file.attribute.PosixFilePermissions.fromString("r--r-----"));
        try (GatewayClient client = new GatewayClient(base.getHost(), base.getPort())) {
            Response login = hostLogin(client, sshd.password(), "none");
            assertEquals(200, login.status(), login.reason());
            JsonNode loggedIn = await("host-login", start, n -> n.path("outcome").asText().equals("success"));
            String tag = loggedIn.path("session").asText();
            try (Socket s = client.socket("/cockpit+=" + host() + "/socket", client.origin(),
                    GatewayClient.cookieOf(login.header("Set-Cookie")))) {
                s.await("\"init\"", WAIT);
                s.send("\n{\"command\":\"init\",\"version\":1}");
                s.send("\n{\"command\":\"open\",\"channel\":\"1:1\",\"payload\":\"dbus-json3\",\"bus\":\"internal\"}");
                s.await("\"ready\"", WAIT);
                // sudo's password prompt comes as a signal: the page subscribes to them, as cockpit.js does
                s.send("1:1\n{\"add-match\":{\"path\":\"/superuser\",\"interface\":\"cockpit.Superuser\"}}");

                s.send("1:1\n{\"call\":[\"/superuser\",\"cockpit.Superuser\",\"Start\",[\"sudo\"]],\"id\":\"1\"}");
                s.await("\"Prompt\"", WAIT);
                s.send("1:1\n{\"call\":[\"/superuser\",\"cockpit.Superuser\",\"Answer\",[\"" + sshd.password()
                        + "\"]],\"id\":\"2\"}");
                JsonNode on = await("superuser-switch", start, n -> n.path("session").asText().equals(tag));
                assertFields(on, "ts", "event", "change", "bridge", "identity", "host", "session");
                assertEquals("on", on.path("change").asText());
                assertEquals("sudo", on.path("bridge").asText());
                assertEquals(sshd.user(), on.path("identity").asText());
                assertEquals(host(), on.path("host").asText());

                s.send("1:1\n{\"call\":[\"/superuser\",\"cockpit.Superuser\",\"Stop\",[]],\"id\":\"3\"}");
                JsonNode off = await("superuser-switch", start, n -> n.path("session").asText().equals(tag)
                        && n.path("change").asText().equals("off"));
                assertFields(off, "ts", "event", "change", "identity", "host", "session");

                // sudo no longer lets the user in: the next start fails
                Files.deleteIfExists(SUDOERS);
                s.send("1:1\n{\"call\":[\"/superuser\",\"cockpit.Superuser\",\"Start\",[\"sudo\"]],\"id\":\"4\"}");
                s.await("\"Prompt\"", WAIT);
                s.send("1:1\n{\"call\":[\"/superuser\",\"cockpit.Superuser\",\"Answer\",[\"" + sshd.password()
                        + "\"]],\"id\":\"5\"}");
                JsonNode failed = await("superuser-switch", start, n -> n.path("session").asText().equals(tag)
                        && n.path("change").asText().equals("failed"));
                assertFields(failed, "ts", "event", "change", "identity", "host", "session");
            }
            // nothing but these three switches for this session (the login asked for none: no superuser line)
            long switches = lines().stream().filter(n -> n.path("session").asText().equals(tag)
                    && n.path("event").asText().startsWith("superuser")).count();
            assertEquals(3, switches, lines().toString());
            String all = Files.readString(auditFile);
            assertFalse(all.contains(sshd.password()), "the sudo password is in the audit log: " + all);
        }
    }
}
