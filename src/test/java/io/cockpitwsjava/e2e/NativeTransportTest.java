package io.cockpitwsjava.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.cockpitwsjava.metrics.HttpTransportAtStart;
import io.cockpitwsjava.testing.GatewayClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;

/**
 * The running gateway's HTTP server is on Netty's native epoll transport wherever the build ships its library
 * (Linux on x86_64 and aarch64), and says so in {@code cockpit_http_transport_info}: a silent fallback to NIO (a
 * missing dependency, a library that does not load) fails here. Elsewhere it must report NIO with a reason.
 */
@QuarkusTest
class NativeTransportTest {
    /** os.arch values with a netty-transport-native-epoll jar in the pom. */
    private static final Set<String> SHIPPED_ARCHES = Set.of("amd64", "x86_64", "aarch64");

    @TestHTTPResource(value = "/metrics", management = true) // the management root is /q
    URL metrics;

    @Inject
    Vertx vertx;

    @Inject
    HttpTransportAtStart atStart;

    private static boolean epollShipped() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")
                && SHIPPED_ARCHES.contains(System.getProperty("os.arch", ""));
    }

    private String reportedTransport() {
        try (GatewayClient client = new GatewayClient(metrics.getHost(), metrics.getPort())) {
            String text = client.get(metrics.getPath(), GatewayClient.headers()).text();
            Matcher m = Pattern.compile("(?m)^cockpit_http_transport_info\\{transport=\"([a-z]+)\"} 1\\.0$").matcher(text);
            assertTrue(m.find(), text);
            return m.group(1);
        }
    }

    @Test
    void httpServerRunsOnEpollAndSaysSo() throws Exception {
        String reported = reportedTransport();
        assertEquals(atStart.transport().name(), reported);
        if (!epollShipped()) {
            System.out.println("NativeTransportTest: no epoll library is shipped for " + System.getProperty("os.name")
                    + "/" + System.getProperty("os.arch") + "; checking that NIO is reported with a reason");
            assertEquals("nio", reported);
            assertTrue(atStart.transport().whyNotNative().isPresent());
            return;
        }
        assertEquals("epoll", reported, () -> atStart.transport().summary());
        assertTrue(vertx.isNativeTransportEnabled(), "Vert.x runs on NIO: " + vertx.unavailableNativeTransportCause());
        // the library is really mapped into this JVM (loaded, not just found)
        String maps = Files.readString(Path.of("/proc/self/maps"));
        assertTrue(maps.contains("libnetty_transport_native_epoll_"), "no epoll library in /proc/self/maps");
    }
}
