package io.cockpitwsjava.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cockpitwsjava.testing.GatewayClient;
import io.cockpitwsjava.testing.GatewayClient.Message;
import io.cockpitwsjava.testing.GatewayClient.Socket;
import io.cockpitwsjava.testing.SshdTarget;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Many WebSockets of one session opened at once, from several clients: each gets the gateway's init as its first
 * message, with a channel seed of its own. (A test client that dropped that first message about once in 500
 * connections made unrelated tests fail now and then; this keeps both the gateway and the client honest.)
 */
@QuarkusTest
class ConcurrentSocketsTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final int CLIENTS = 6;
    static final int SOCKETS_EACH = 100;

    @RegisterExtension
    static SshdTarget target = new SshdTarget(SshdTarget.RemotePath.PYTHON_ONLY);

    @TestHTTPResource("/")
    URL base;

    @Test
    void everySocketGetsItsInitFirst() throws Exception {
        String cookie;
        try (GatewayClient c = new GatewayClient(base.getHost(), base.getPort())) {
            var r = c.get("/cockpit+=localhost:" + target.port() + "/login", GatewayClient.headers(
                    "Authorization", GatewayClient.basic(target.user(), target.password(), target.knownHostsLine())));
            assertEquals(200, r.status(), r.reason());
            cookie = GatewayClient.cookieOf(r.header("Set-Cookie"));
        }
        String path = "/cockpit+=localhost:" + target.port() + "/socket";
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<List<String>>> seeds = new ArrayList<>();
        try {
            for (int c = 0; c < CLIENTS; c++) {
                seeds.add(pool.submit(() -> {
                    List<String> mine = new ArrayList<>();
                    try (GatewayClient client = new GatewayClient(base.getHost(), base.getPort())) {
                        for (int i = 0; i < SOCKETS_EACH; i++) {
                            try (Socket s = client.socket(path, client.origin(), cookie)) {
                                Message first = s.next(WAIT);
                                assertTrue(first != null && first.text().startsWith("\n{\"command\":\"init\""),
                                        "socket " + i + ": first message " + (first == null ? "none" : first.text()));
                                mine.add(first.text().replaceAll(".*\"channel-seed\":\"([^\"]*)\".*", "$1"));
                            }
                        }
                    }
                    return mine;
                }));
            }
            List<String> all = new ArrayList<>();
            for (Future<List<String>> f : seeds) {
                all.addAll(f.get());
            }
            assertEquals(CLIENTS * SOCKETS_EACH, all.size());
            assertEquals(all.size(), all.stream().distinct().count(), "channel seeds are unique within the session");
        } finally {
            pool.shutdownNow();
        }
    }
}
