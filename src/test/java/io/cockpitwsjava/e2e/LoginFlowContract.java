package io.cockpitwsjava.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cockpitwsjava.testing.GatewayClient;
import io.cockpitwsjava.testing.GatewayClient.Response;
import io.cockpitwsjava.testing.GatewayClient.Socket;
import io.cockpitwsjava.testing.SshdTarget;
import io.quarkus.test.common.http.TestHTTPResource;

/**
 * docs/protocol.md §12 steps 2, 3, 6, 8, 9, 10 against a real sshd and the real Cockpit bridge, through the running
 * gateway, with a raw HTTP/WebSocket client. Subclasses choose the target: installed bridge or python3 only.
 */
abstract class LoginFlowContract {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(20);

    @TestHTTPResource("/")
    URL base;

    GatewayClient client;

    abstract SshdTarget target();

    @BeforeEach
    void client() {
        client = new GatewayClient(base.getHost(), base.getPort());
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    /** "Connect to" value: a name (not 127.0.0.1, which is trusted silently) plus the sshd port. */
    String host() {
        return "localhost:" + target().port();
    }

    String app() {
        return "/cockpit+=" + host();
    }

    Response login(String authorization, String... extra) {
        var h = GatewayClient.headers("Authorization", authorization, "X-Superuser", "none");
        for (int i = 0; i < extra.length; i += 2) {
            h.put(extra[i], extra[i + 1]);
        }
        return client.get(app() + "/login", h);
    }

    /** Logged-in session: cookie header value, csrf token, known-hosts from login-data. */
    record Login(String cookie, String csrf, String knownHosts) {
    }

    Login loginAcceptingHostKey() throws Exception {
        Response r1 = login(GatewayClient.basic(target().user(), target().password(), ""),
                "X-SSH-Connect-Unknown-Hosts", "yes");
        assertEquals(401, r1.status(), r1.text());
        Matcher m = Pattern.compile("X-Conversation (\\S+) (\\S+)").matcher(r1.header("WWW-Authenticate"));
        assertTrue(m.matches(), r1.header("WWW-Authenticate"));
        JsonNode q = JSON.readTree(r1.body());
        Response r2 = login(GatewayClient.conversation(m.group(1), q.get("default").asText()));
        assertEquals(200, r2.status(), r2.reason() + " " + r2.text());
        JsonNode body = JSON.readTree(r2.body());
        return new Login(GatewayClient.cookieOf(r2.header("Set-Cookie")), body.get("csrf-token").asText(),
                body.path("login-data").path("known-hosts").asText());
    }

    Login loginTrusted() throws Exception {
        Response r = login(GatewayClient.basic(target().user(), target().password(), trustedLine()));
        assertEquals(200, r.status(), r.reason() + " " + r.text());
        JsonNode body = JSON.readTree(r.body());
        return new Login(GatewayClient.cookieOf(r.header("Set-Cookie")), body.get("csrf-token").asText(), null);
    }

    String trustedLine() {
        return target().knownHostsLine();
    }

    Socket socket(Login login) throws Exception {
        Socket s = client.socket(app() + "/socket", client.origin(), login.cookie());
        var init = JSON.readTree(s.await("\"init\"", WAIT).text().substring(1));
        assertEquals("1:", init.get("channel-seed").asText());
        assertEquals(login.csrf(), init.get("csrf-token").asText());
        s.send("\n{\"command\":\"init\",\"version\":1}");
        return s;
    }

    // ------------------------------------------------------------------ docs/protocol.md §12 step 2 and 3

    @Test
    void hostKeyQuestionThenLogin() throws Exception {
        Response r1 = login(GatewayClient.basic(target().user(), target().password(), ""),
                "X-SSH-Connect-Unknown-Hosts", "yes");
        assertEquals(401, r1.status());
        assertEquals("Authentication failed", r1.reason());
        assertEquals("application/json", r1.header("Content-Type"));
        Matcher m = Pattern.compile("X-Conversation (\\S+) (\\S+)").matcher(r1.header("WWW-Authenticate"));
        assertTrue(m.matches(), r1.header("WWW-Authenticate"));
        JsonNode q = JSON.readTree(r1.body());
        assertEquals("[localhost]:" + target().port() + " ED25519 login-data", q.get("host-key").asText());
        assertEquals(target().hostKeyFingerprint("ed25519"), q.get("default").asText());
        assertFalse(q.get("echo").asBoolean());
        String prompt = new String(Base64.getDecoder().decode(m.group(2)), StandardCharsets.UTF_8);
        assertTrue(prompt.contains(target().hostKeyFingerprint("ed25519")), prompt);

        Response r2 = login(GatewayClient.conversation(m.group(1), q.get("default").asText()));
        assertEquals(200, r2.status(), r2.reason() + " " + r2.text());
        assertEquals("application/json", r2.header("Content-Type"));
        assertEquals("no-cache, no-store", r2.header("Cache-Control"));
        String cookie = r2.header("Set-Cookie");
        // the host application's name escaped to an RFC 6265 token (':' is a separator)
        assertTrue(cookie.matches("machine-cockpit\\+localhost%3A" + target().port()
                + "=[A-Za-z0-9_-]{40,}; Path=/; SameSite=Strict; HttpOnly"), cookie);
        JsonNode body = JSON.readTree(r2.body());
        assertTrue(body.get("csrf-token").asText().matches("[0-9a-f]{64}"));
        String known = body.path("login-data").path("known-hosts").asText();
        assertTrue(known.startsWith("[localhost]:" + target().port() + " ssh-ed25519 AAAA"), known);
        assertTrue(known.endsWith("\n"));

        // the conversation id is single-use
        Response replayed = login(GatewayClient.conversation(m.group(1), q.get("default").asText()));
        assertEquals(401, replayed.status());
        assertEquals("Invalid conversation token", replayed.reason());

        // the stored known_hosts line makes the next login prompt-free
        Response r3 = login(GatewayClient.basic(target().user(), target().password(), known));
        assertEquals(200, r3.status(), r3.reason());

        // with a valid cookie the login answers without re-authenticating
        Response again = client.get(app() + "/login", GatewayClient.headers("Cookie", GatewayClient.cookieOf(cookie)));
        assertEquals(200, again.status());
        assertEquals(body.get("csrf-token").asText(), JSON.readTree(again.body()).get("csrf-token").asText());

        // the login page lists the host of the live session (docs/protocol.md §2.5), decoded from the session, not the name
        Response page = client.get("/", GatewayClient.headers("Cookie", GatewayClient.cookieOf(cookie)));
        assertEquals(200, page.status());
        Matcher env = Pattern.compile("var environment = (\\{.*?\\});\\n", Pattern.DOTALL).matcher(page.text());
        assertTrue(env.find(), "no environment in the login page");
        assertEquals("[\"" + host() + "\"]", JSON.readTree(env.group(1)).path("logged_into").toString());
    }

    @Test
    void unknownKeyWithoutPermissionToAskIsRefused() {
        Response r = login(GatewayClient.basic(target().user(), target().password(), ""));
        assertEquals(401, r.status());
        assertEquals("Authentication failed: unknown-hostkey", r.reason());
    }

    @Test
    void rejectedFingerprintFailsWithUnknownHostkey() throws Exception {
        Response r1 = login(GatewayClient.basic(target().user(), target().password(), ""),
                "X-SSH-Connect-Unknown-Hosts", "yes");
        Matcher m = Pattern.compile("X-Conversation (\\S+) (\\S+)").matcher(r1.header("WWW-Authenticate"));
        assertTrue(m.matches());
        Response r2 = login(GatewayClient.conversation(m.group(1), "no"));
        assertEquals(401, r2.status());
        assertEquals("Authentication failed: unknown-hostkey", r2.reason());
    }

    // ------------------------------------------------------------------ docs/protocol.md §12 step 6

    @Test
    void webSocketProtocol() throws Exception {
        Login login = loginAcceptingHostKey();
        try (Socket s = socket(login)) {
            assertEquals("cockpit1", s.subprotocol());
            s.send("\n{\"command\":\"open\",\"channel\":\"1:1\",\"payload\":\"echo\",\"host\":\"localhost\"}");
            s.await("\"ready\"", WAIT);
            s.send("1:1\nhello");
            assertEquals("1:1\nhello", s.await("1:1\n", WAIT).text());

            s.send("\n{\"command\":\"open\",\"channel\":\"1:2\",\"payload\":\"info\"}");
            String info = s.await("1:2\n", WAIT).text();
            String osId = osReleaseId();
            assertTrue(info.contains("\"ID\": \"" + osId + "\"") || info.contains("\"ID\":\"" + osId + "\""), info);

            s.send("\n{\"command\":\"ping\"}");
            s.await("\"pong\"", WAIT);
            // the gateway's own keep-alive arrives every 5 s
            s.await("{\"command\":\"ping\"}", Duration.ofSeconds(7));

            s.send("\n{\"command\":\"open\",\"channel\":\"1:1\",\"payload\":\"echo\"}");
            s.await("\"protocol-error\"", WAIT);
            assertEquals((short) 1011, s.awaitClose(WAIT));
        }
        // the session survives a protocol error of one socket
        try (Socket s2 = client.socket(app() + "/socket", client.origin(), login.cookie())) {
            JsonNode init = JSON.readTree(s2.await("\"init\"", WAIT).text().substring(1));
            assertEquals("2:", init.get("channel-seed").asText());
        }
    }

    /** cockpit-ws accepts a repeated init on a socket (the real shell sends one); it must not close the socket. */
    @Test
    void repeatedInitIsAccepted() throws Exception {
        Login login = loginTrusted();
        try (Socket s = socket(login)) {
            s.send("\n{\"command\":\"init\",\"version\":1}");
            s.send("\n{\"command\":\"open\",\"channel\":\"1:7\",\"payload\":\"echo\"}");
            s.await("\"ready\"", WAIT);
            s.send("1:7\nstill here");
            assertEquals("1:7\nstill here", s.await("1:7\n", WAIT).text());
            // a repeated init with another version is still refused
            s.send("\n{\"command\":\"init\",\"version\":2}");
            s.await("\"not-supported\"", WAIT);
        }
    }

    @Test
    void binaryChannelsUseBinaryFrames() throws Exception {
        Login login = loginTrusted();
        try (Socket s = socket(login)) {
            s.send("\n{\"command\":\"open\",\"channel\":\"1:5\",\"payload\":\"echo\",\"binary\":\"raw\"}");
            s.await("\"ready\"", WAIT);
            byte[] data = new byte[] { '1', ':', '5', '\n', 0, (byte) 0xff, 1, 2 };
            s.sendBinary(data);
            GatewayClient.Message m;
            do {
                m = s.next(WAIT);
                assertNotNull(m);
            } while (!m.text().startsWith("1:5\n"));
            assertTrue(m.binary());
            assertEquals(Base64.getEncoder().encodeToString(data), Base64.getEncoder().encodeToString(m.data()));
        }
    }

    @Test
    void originIsCheckedAndCookieRequired() throws Exception {
        Login login = loginTrusted();
        var wrong = assertThrows(Exception.class,
                () -> client.socket(app() + "/socket", "http://evil.example", login.cookie()));
        assertTrue(String.valueOf(wrong.getMessage()).contains("403"), wrong.toString());
        var none = assertThrows(Exception.class, () -> client.socket(app() + "/socket", null, login.cookie()));
        assertTrue(String.valueOf(none.getMessage()).contains("403"), none.toString());

        try (Socket s = client.socket(app() + "/socket", client.origin(), null)) {
            assertEquals("\n{\"command\":\"init\",\"problem\":\"no-session\"}", s.next(WAIT).text());
            assertEquals((short) 1001, s.awaitClose(WAIT));
        }
    }

    @Test
    void protocolErrorsCloseOnlyTheOffendingSocket() throws Exception {
        Login login = loginTrusted();
        try (Socket bad = socket(login); Socket good = client.socket(app() + "/socket", client.origin(), login.cookie())) {
            good.await("\"init\"", WAIT);
            good.send("\n{\"command\":\"init\",\"version\":1}");
            bad.send("\n{not json");
            bad.await("\"protocol-error\"", WAIT);
            assertEquals((short) 1011, bad.awaitClose(WAIT));
            good.send("\n{\"command\":\"open\",\"channel\":\"2:1\",\"payload\":\"echo\"}");
            good.await("\"ready\"", WAIT);
            good.send("2:1\nstill here");
            assertEquals("2:1\nstill here", good.await("2:1\n", WAIT).text());
        }
    }

    // ------------------------------------------------------------------ docs/protocol.md §12 step 8

    @Test
    void externalChannelReadsAFile() throws Exception {
        Login login = loginTrusted();
        // a WebSocket keeps the session from going idle during the test
        try (Socket s = socket(login)) {
            String open = "{\"payload\":\"fsread1\",\"path\":\"/etc/os-release\",\"binary\":\"raw\","
                    + "\"external\":{\"content-type\":\"text/plain\"}}";
            String q = Base64.getEncoder().encodeToString(open.getBytes(StandardCharsets.UTF_8));
            Response r = client.get(app() + "/channel/" + login.csrf() + "?" + q,
                    GatewayClient.headers("Cookie", login.cookie()));
            assertEquals(200, r.status(), r.reason());
            assertEquals("text/plain", r.header("Content-Type"));
            assertEquals(Files.readString(Path.of("/etc/os-release")), r.text());

            Response wrong = client.get(app() + "/channel/" + "0".repeat(64) + "?" + q,
                    GatewayClient.headers("Cookie", login.cookie()));
            assertEquals(404, wrong.status());
            Response bad = client.get(app() + "/channel/" + login.csrf() + "?%%%",
                    GatewayClient.headers("Cookie", login.cookie()));
            assertEquals(400, bad.status());
        }
    }

    // ------------------------------------------------------------------ docs/protocol.md §12 step 9

    @Test
    void logoutEndsTheSessionAndTheSshConnection() throws Exception {
        Login login = loginTrusted();
        try (Socket s = socket(login)) {
            s.send("\n{\"command\":\"open\",\"channel\":\"1:1\",\"payload\":\"echo\"}");
            s.await("\"ready\"", WAIT);
            assertTrue(target().descendantCount() > 0, "an SSH connection with a bridge is open");
            s.send("\n{\"command\":\"logout\",\"disconnect\":true}");
            assertEquals((short) 1001, s.awaitClose(WAIT));
        }
        Response page = client.get("/=" + host(), GatewayClient.headers("Cookie", login.cookie()));
        assertEquals(200, page.status());
        assertTrue(page.text().contains("var environment"), "login page, not the shell");
        Response noAuth = client.get(app() + "/login", GatewayClient.headers("Cookie", login.cookie()));
        assertEquals(401, noAuth.status());
        assertEquals("Authentication required", noAuth.reason());
        assertNull(noAuth.header("WWW-Authenticate"));
    }

    // ------------------------------------------------------------------ docs/protocol.md §12 step 10

    @Test
    void wrongPassword() throws Exception {
        Response r = login(GatewayClient.basic(target().user(), "not-" + target().password(), trustedLine()));
        assertEquals(401, r.status());
        assertEquals("Authentication failed", r.reason());
        JsonNode json = JSON.readTree(r.body());
        assertEquals("authentication-failed", json.get("problem").asText());
        assertEquals("denied", json.path("auth-method-results").path("password").asText());
    }

    @Test
    void noUserNameIsAWrongLoginNotAFatalOne() throws Exception {
        Response r = login(GatewayClient.basic("", target().password(), trustedLine()));
        assertEquals(401, r.status());
        assertEquals("Authentication failed", r.reason(), "not authentication-not-supported: the login page offers the form again");
        assertEquals("authentication-failed", JSON.readTree(r.body()).get("problem").asText());
    }

    @Test
    void changedHostKey() throws Exception {
        Path dir = Files.createTempDirectory("otherkey");
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("k").toString())
                .redirectErrorStream(true).start();
        assertEquals(0, p.waitFor());
        String otherKey = Files.readString(dir.resolve("k.pub")).strip();
        String stale = "[localhost]:" + target().port() + " " + otherKey + "\n";
        Response r = login(GatewayClient.basic(target().user(), target().password(), stale),
                "X-SSH-Connect-Unknown-Hosts", "yes");
        assertEquals(401, r.status());
        assertEquals("Authentication failed: invalid-hostkey", r.reason());
        // login.js retries without known_hosts and gets the host-key dialog
        Response retry = login(GatewayClient.basic(target().user(), target().password(), ""),
                "X-SSH-Connect-Unknown-Hosts", "yes");
        assertEquals(401, retry.status());
        assertNotNull(retry.header("WWW-Authenticate"));
    }

    static String osReleaseId() throws Exception {
        for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
            if (line.startsWith("ID=")) {
                return line.substring(3).replace("\"", "");
            }
        }
        throw new AssertionError("no ID in /etc/os-release");
    }
}
