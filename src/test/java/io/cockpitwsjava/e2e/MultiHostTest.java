package io.cockpitwsjava.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.Map;

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
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** AllowMultiHost: channels for another host run on a bridge the gateway starts over its own SSH connection. */
@QuarkusTest
@TestProfile(MultiHostTest.MultiHost.class)
class MultiHostTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(30);

    public static class MultiHost implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cockpit.web.allow-multihost", "true");
        }
    }

    @RegisterExtension
    static SshdTarget primary = new SshdTarget(SshdTarget.RemotePath.PYTHON_ONLY);
    @RegisterExtension
    static SshdTarget second = new SshdTarget(SshdTarget.RemotePath.INSTALLED);

    @TestHTTPResource("/")
    URL base;
    GatewayClient client;
    String cookie;
    Socket socket;

    String app() {
        return "/cockpit+=localhost:" + primary.port();
    }

    String other() {
        return "localhost:" + second.port();
    }

    @BeforeEach
    void login() throws Exception {
        client = new GatewayClient(base.getHost(), base.getPort());
        String known = primary.knownHostsLine();
        Response r = client.get(app() + "/login",
                GatewayClient.headers("Authorization", GatewayClient.basic(primary.user(), primary.password(), known)));
        assertEquals(200, r.status(), r.reason());
        cookie = GatewayClient.cookieOf(r.header("Set-Cookie"));
        socket = client.socket(app() + "/socket", client.origin(), cookie);
        socket.await("\"init\"", WAIT);
        socket.send("\n{\"command\":\"init\",\"version\":1}");
    }

    @AfterEach
    void close() {
        socket.close();
        client.close();
    }

    JsonNode closeOf(String channel) throws Exception {
        String text = socket.await("\"channel\":\"" + channel + "\"", WAIT).text();
        JsonNode msg = JSON.readTree(text.substring(1));
        while (!msg.path("command").asText().equals("close")) {
            msg = JSON.readTree(socket.await("\"channel\":\"" + channel + "\"", WAIT).text().substring(1));
        }
        return msg;
    }

    @Test
    void unknownHostKeyIsReportedWithTheKeyForTheAddHostDialog() throws Exception {
        socket.send("\n{\"command\":\"open\",\"channel\":\"1:1\",\"payload\":\"echo\",\"host\":\"" + other()
                + "\",\"password\":\"" + second.password() + "\"}");
        JsonNode close = closeOf("1:1");
        assertEquals("unknown-host", close.get("problem").asText(), close.toString());
        assertEquals("[localhost]:" + second.port() + " " + second.hostPublicKeyLine("ed25519"), close.get("host-key").asText());
        assertEquals(second.hostKeyFingerprint("ed25519"), close.get("host-fingerprint").asText());

        socket.send("\n{\"command\":\"open\",\"channel\":\"1:2\",\"payload\":\"echo\",\"host\":\"" + other()
                + "\",\"session\":\"private\",\"password\":\"" + second.password() + "\"}");
        assertEquals("unknown-hostkey", closeOf("1:2").get("problem").asText());
    }

    @Test
    void acceptedKeyRoutesTheChannelToThePeer() throws Exception {
        String key = "[localhost]:" + second.port() + " " + second.hostPublicKeyLine("ed25519");
        socket.send("\n{\"command\":\"open\",\"channel\":\"1:3\",\"payload\":\"echo\",\"host\":\"" + other()
                + "\",\"host-key\":\"" + key + "\",\"password\":\"" + second.password() + "\"}");
        socket.send("1:3\nto the peer");
        socket.await("\"ready\"", WAIT);
        assertEquals("1:3\nto the peer", socket.await("1:3\n", WAIT).text());

        // the peer runs the installed bridge of the second target: its info reports its own packages
        socket.send("\n{\"command\":\"open\",\"channel\":\"1:4\",\"payload\":\"echo\",\"host\":\"" + other() + "\"}");
        socket.send("1:4\nsame peer");
        assertEquals("1:4\nsame peer", socket.await("1:4\n", WAIT).text());

        Response manifests = client.get(app() + "/@" + other() + "/manifests.json", GatewayClient.headers("Cookie", cookie));
        assertEquals(200, manifests.status(), manifests.reason());
        assertTrue(JSON.readTree(manifests.body()).has("shell"));

        socket.send("\n{\"command\":\"kill\",\"host\":\"" + other() + "\"}");
        JsonNode close = closeOf("1:4");
        assertEquals("close", close.get("command").asText());
    }

    @Test
    void shellKnowsMultiHostIsOn() {
        Response r = client.get("/=localhost:" + primary.port(), GatewayClient.headers("Cookie", cookie));
        assertEquals(200, r.status());
        assertTrue(r.text().contains("<meta name=\"allow-multihost\" content=\"yes\">"));
    }
}
