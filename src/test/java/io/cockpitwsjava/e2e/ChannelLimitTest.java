package io.cockpitwsjava.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cockpitwsjava.config.GatewaySettings;
import io.cockpitwsjava.testing.GatewayClient;
import io.cockpitwsjava.testing.GatewayClient.Response;
import io.cockpitwsjava.testing.GatewayClient.Socket;
import io.cockpitwsjava.testing.SshdTarget;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * {@code cockpit.limits.channels-per-session} (default 2048) against the real bridge: an {@code open} beyond it is
 * answered with a channel {@code close} with problem {@code too-large}, an HTTP request that needs a channel with 503;
 * the socket, its other channels and the session go on, and closing a channel makes room again.
 */
@QuarkusTest
class ChannelLimitTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static SshdTarget sshd = new SshdTarget(SshdTarget.RemotePath.INSTALLED);

    @TestHTTPResource("/")
    URL base;
    @Inject
    GatewaySettings settings;

    @Test
    void channelsBeyondTheLimitAreRefusedOneByOne() throws Exception {
        int limit = settings.limits().channelsPerSession();
        String app = "/cockpit+=localhost:" + sshd.port();
        try (GatewayClient client = new GatewayClient(base.getHost(), base.getPort())) {
            Response login = client.get(app + "/login", GatewayClient.headers("Authorization",
                    GatewayClient.basic(sshd.user(), sshd.password(), sshd.knownHostsLine())));
            assertEquals(200, login.status(), login.reason());
            String cookie = GatewayClient.cookieOf(login.header("Set-Cookie"));
            try (Socket s = socket(client, app, cookie)) {
                for (int i = 1; i <= limit; i++) {
                    s.send("\n{\"command\":\"open\",\"channel\":\"1:" + i + "\",\"payload\":\"echo\"}");
                }
                // the last open's ready: the bridge answers in order
                awaitControl(s, "ready", "1:" + limit);

                s.send("\n{\"command\":\"open\",\"channel\":\"1:" + (limit + 1) + "\",\"payload\":\"echo\"}");
                JsonNode refused = awaitControl(s, "close", "1:" + (limit + 1));
                assertEquals("too-large", refused.path("problem").asText());

                // the session's other sockets share the limit
                try (Socket second = socket(client, app, cookie)) {
                    second.send("\n{\"command\":\"open\",\"channel\":\"2:1\",\"payload\":\"echo\"}");
                    assertEquals("too-large", awaitControl(second, "close", "2:1").path("problem").asText());
                    assertFalse(second.isClosed());
                }
                // and so do the gateway's own channels for package files
                Response file = client.get(app + "/@localhost/base1/cockpit.js", GatewayClient.headers("Cookie", cookie));
                assertEquals(503, file.status());
                assertEquals("too-large", file.reason());

                // everything open keeps working
                s.send("1:1\nstill open");
                s.await("1:1\nstill open", WAIT);
                s.send("1:" + limit + "\nlast one");
                s.await("1:" + limit + "\nlast one", WAIT);
                assertFalse(s.isClosed());

                // closing channels makes room again (a browser's close frees its id at once)
                s.send("\n{\"command\":\"close\",\"channel\":\"1:2\"}");
                s.send("\n{\"command\":\"close\",\"channel\":\"1:3\"}");
                s.send("\n{\"command\":\"open\",\"channel\":\"1:" + (limit + 2) + "\",\"payload\":\"echo\"}");
                awaitControl(s, "ready", "1:" + (limit + 2));
                Response again = client.get(app + "/@localhost/base1/cockpit.js", GatewayClient.headers("Cookie", cookie));
                assertEquals(200, again.status(), again.reason());
                assertTrue(again.body().length > 0);
            }
        }
    }

    static Socket socket(GatewayClient client, String app, String cookie) throws InterruptedException {
        Socket s = client.socket(app + "/socket", client.origin(), cookie);
        s.await("\"init\"", WAIT);
        s.send("\n{\"command\":\"init\",\"version\":1}");
        return s;
    }

    /** The next control message with this command and channel; others are skipped. */
    static JsonNode awaitControl(Socket s, String command, String channel) throws Exception {
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            GatewayClient.Message m = s.next(Duration.ofMillis(500));
            if (m != null && m.text().startsWith("\n")) {
                JsonNode json = JSON.readTree(m.text().substring(1));
                if (command.equals(json.path("command").asText()) && channel.equals(json.path("channel").asText())) {
                    return json;
                }
            }
        }
        throw new AssertionError("no " + command + " for " + channel + " within " + WAIT);
    }
}
