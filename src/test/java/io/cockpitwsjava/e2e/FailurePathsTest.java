package io.cockpitwsjava.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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

/** Targets and connections that go wrong: each failure is clear and touches no other session. */
@QuarkusTest
class FailurePathsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    static SshdTarget noPython = new SshdTarget(SshdTarget.RemotePath.NOTHING);
    @RegisterExtension
    static SshdTarget pythonOnly = new SshdTarget(SshdTarget.RemotePath.PYTHON_ONLY);

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

    static String trusted(SshdTarget t) {
        return t.knownHostsLine();
    }

    Response login(SshdTarget t, String password) {
        return client.get("/cockpit+=localhost:" + t.port() + "/login", GatewayClient.headers(
                "Authorization", GatewayClient.basic(t.user(), password, trusted(t))));
    }

    String cookie(Response r) {
        assertEquals(200, r.status(), r.reason());
        return GatewayClient.cookieOf(r.header("Set-Cookie"));
    }

    Socket socket(SshdTarget t, String cookie) throws Exception {
        Socket s = client.socket("/cockpit+=localhost:" + t.port() + "/socket", client.origin(), cookie);
        s.await("\"init\"", WAIT);
        s.send("\n{\"command\":\"init\",\"version\":1}");
        return s;
    }

    @Test
    void targetWithoutPython() throws Exception {
        Response r = login(noPython, noPython.password());
        assertEquals(500, r.status());
        assertTrue(r.reason().startsWith("Authentication failed: no-cockpit"), r.reason());
        JsonNode json = JSON.readTree(r.body());
        assertEquals("no-cockpit", json.get("problem").asText());
        assertTrue(json.get("message").asText().contains("python3"), json.toString());
    }

    /** A login to this "Connect to" value fails like an unknown host (401, reason names the problem). */
    void assertUnknownHost(String hostSpec) {
        Response r = client.get("/cockpit+=" + hostSpec + "/login",
                GatewayClient.headers("Authorization", GatewayClient.basic("u", "p", "")));
        assertEquals(401, r.status());
        assertEquals("Authentication failed: unknown-host", r.reason());
    }

    @Test
    void unknownHostName() {
        assertUnknownHost("no-such-host.invalid");
    }

    @Test
    void refusedConnection() throws Exception {
        int closedPort;
        try (var ss = new java.net.ServerSocket(0)) {
            closedPort = ss.getLocalPort();
        }
        assertUnknownHost("localhost:" + closedPort);
    }

    @Test
    void malformedHostSpecIsAnUnknownHost() {
        assertUnknownHost("-oProxyCommand=x");
    }

    @Test
    void bridgeExitClosesOnlyItsOwnSession() throws Exception {
        String a = cookie(login(pythonOnly, pythonOnly.password()));
        String b = cookie(login(pythonOnly, pythonOnly.password()));
        try (Socket sa = socket(pythonOnly, a); Socket sb = socket(pythonOnly, b)) {
            sa.send("\n{\"command\":\"open\",\"channel\":\"1:1\",\"payload\":\"echo\"}");
            sa.await("\"ready\"", WAIT);
            sb.send("\n{\"command\":\"open\",\"channel\":\"1:1\",\"payload\":\"echo\"}");
            sb.await("\"ready\"", WAIT);
            // session A's bridge dies (a process it spawned kills it); the target's PATH has only python3
            sa.send("\n{\"command\":\"open\",\"channel\":\"1:2\",\"payload\":\"stream\",\"spawn\":[\"/bin/sh\",\"-c\",\"kill -9 $PPID\"]}");
            assertEquals((short) 1001, sa.awaitClose(WAIT));
            // B is untouched
            sb.send("1:1\nalive");
            assertEquals("1:1\nalive", sb.await("1:1\n", WAIT).text());
        }
        Response gone = client.get("/cockpit+=localhost:" + pythonOnly.port() + "/login",
                GatewayClient.headers("Cookie", a));
        assertEquals(401, gone.status());
    }

    @Test
    void sessionWithoutWebSocketExpires() throws Exception {
        String c = cookie(login(pythonOnly, pythonOnly.password()));
        String path = "/cockpit+=localhost:" + pythonOnly.port() + "/login";
        assertEquals(200, client.get(path, GatewayClient.headers("Cookie", c)).status());
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int status = 200;
        while (status == 200 && System.nanoTime() < end) {
            Thread.sleep(250);
            status = client.get(path, GatewayClient.headers("Cookie", c)).status();
        }
        assertEquals(401, status, "the idle session was destroyed");
    }

    @Test
    void garbageAuthorization() {
        Response r = client.get("/cockpit+=localhost:" + pythonOnly.port() + "/login",
                GatewayClient.headers("Authorization", "Basic !!!notbase64"));
        assertEquals(400, r.status());
        Response conv = client.get("/cockpit+=localhost:" + pythonOnly.port() + "/login",
                GatewayClient.headers("Authorization", "X-Conversation nope bm9wZQ=="));
        assertEquals(401, conv.status());
        assertEquals("Invalid conversation token", conv.reason());
    }
}
