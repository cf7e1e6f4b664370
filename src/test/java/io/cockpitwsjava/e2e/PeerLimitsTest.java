package io.cockpitwsjava.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cockpitwsjava.testing.GatewayClient;
import io.cockpitwsjava.testing.GatewayClient.Message;
import io.cockpitwsjava.testing.GatewayClient.Response;
import io.cockpitwsjava.testing.SshdTarget;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * AllowMultiHost peers go through the login admission: they take a MaxStartups place while they connect (waiting for
 * one rather than bypassing the limit), and a session has at most {@code cockpit.limits.peers-per-session}.
 */
@QuarkusTest
@TestProfile(PeerLimitsTest.Limited.class)
class PeerLimitsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(30);

    public static class Limited implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cockpit.web.allow-multihost", "true",
                    "cockpit.web.max-startups", "1",
                    "cockpit.ssh.timeout", "20",
                    "cockpit.limits.peers-per-session", "2");
        }
    }

    @RegisterExtension
    static SshdTarget sshd = new SshdTarget(SshdTarget.RemotePath.INSTALLED);

    @TestHTTPResource("/")
    URL base;

    GatewayClient.Socket session(GatewayClient client) throws Exception {
        String app = "/cockpit+=localhost:" + sshd.port();
        Response r = client.get(app + "/login", GatewayClient.headers("Authorization",
                GatewayClient.basic(sshd.user(), sshd.password(), sshd.knownHostsLine())));
        assertEquals(200, r.status(), r.reason());
        GatewayClient.Socket s = client.socket(app + "/socket", client.origin(), GatewayClient.cookieOf(r.header("Set-Cookie")));
        s.await("\"init\"", WAIT);
        s.send("\n{\"command\":\"init\",\"version\":1}");
        return s;
    }

    /** An open for an echo channel on the same sshd reached as {@code 127.0.0.1:port} (a host of its own). */
    String peerOpen(String channel, boolean privateSession) {
        String key = "[127.0.0.1]:" + sshd.port() + " " + sshd.hostPublicKeyLine("ed25519");
        return "\n{\"command\":\"open\",\"channel\":\"" + channel + "\",\"payload\":\"echo\",\"host\":\"127.0.0.1:"
                + sshd.port() + "\",\"host-key\":\"" + key + "\",\"password\":\"" + sshd.password() + "\""
                + (privateSession ? ",\"session\":\"private\"" : "") + "}";
    }

    /** The next control message for {@code channel} (skipping everything else). */
    static JsonNode nextControl(GatewayClient.Socket s, String channel) throws Exception {
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            Message m = s.next(Duration.ofMillis(200));
            if (m != null && m.text().startsWith("\n")) {
                JsonNode msg = JSON.readTree(m.text().substring(1));
                if (channel.equals(msg.path("channel").asText())) {
                    return msg;
                }
            }
        }
        throw new AssertionError("no control message for " + channel + " within " + WAIT);
    }

    @Test
    void aPeerWaitsForAMaxStartupsPlace() throws Exception {
        try (GatewayClient user = new GatewayClient("127.0.0.1", base.getPort());
                GatewayClient other = new GatewayClient("127.0.0.1", base.getPort(), "127.0.0.2");
                ServerSocket silent = new ServerSocket()) {
            GatewayClient.Socket s = session(user);
            // another client's login to a listener that never answers holds the only MaxStartups place
            silent.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            silent.setSoTimeout((int) WAIT.toMillis());
            CompletableFuture<Response> stuck = CompletableFuture.supplyAsync(() -> other.get(
                    "/cockpit+=127.0.0.1:" + silent.getLocalPort() + "/login",
                    GatewayClient.headers("Authorization", GatewayClient.basic("u", "p", ""))));
            Socket held = silent.accept();
            try {
                s.send(peerOpen("1:1", false));
                // while the place is held, the peer does not connect
                long end = System.nanoTime() + Duration.ofSeconds(4).toNanos();
                while (System.nanoTime() < end) {
                    Message early = s.next(Duration.ofMillis(200));
                    assertTrue(early == null || !early.text().contains("\"1:1\""),
                            "the peer connected although MaxStartups was full: " + (early == null ? "" : early.text()));
                }
                assertFalse(stuck.isDone());
            } finally {
                held.close(); // the stuck login fails now and gives its place back
            }
            assertTrue(stuck.get(30, TimeUnit.SECONDS).status() >= 400);
            assertEquals("ready", nextControl(s, "1:1").path("command").asText());
            s.send("1:1\nvia the peer");
            assertEquals("1:1\nvia the peer", s.await("1:1\n", WAIT).text());
            s.close();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aSessionHasAtMostPeersPerSession() throws Exception {
        try (GatewayClient user = new GatewayClient("127.0.0.1", base.getPort())) {
            GatewayClient.Socket s = session(user);
            // private channels each get a peer of their own
            s.send(peerOpen("1:1", true));
            assertEquals("ready", nextControl(s, "1:1").path("command").asText());
            s.send(peerOpen("1:2", true));
            assertEquals("ready", nextControl(s, "1:2").path("command").asText());
            s.send(peerOpen("1:3", true));
            JsonNode refused = nextControl(s, "1:3");
            assertEquals("close", refused.path("command").asText());
            assertEquals("access-denied", refused.path("problem").asText(), refused.toString());

            // a private peer ends with its channel, which makes room for another
            s.send("\n{\"command\":\"close\",\"channel\":\"1:1\"}");
            long end = System.nanoTime() + WAIT.toNanos();
            String command = "";
            int n = 4;
            while (!command.equals("ready") && System.nanoTime() < end) {
                String channel = "1:" + n++;
                s.send(peerOpen(channel, true));
                command = nextControl(s, channel).path("command").asText();
                if (!command.equals("ready")) {
                    Thread.sleep(200); // the closed peer goes away asynchronously
                }
            }
            assertEquals("ready", command);
            s.close();
        }
    }
}
