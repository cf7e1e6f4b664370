package io.cockpitwsjava.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Issue 7 row 7, the connection cap: {@code quarkus.http.limits.max-connections} holds with the gateway's router
 * (set to 8 here; the shipped value is checked by {@code WebEdgeDefaultsTest}). Connections over the cap are closed
 * as they arrive; a freed slot is usable again.
 */
@QuarkusTest
@TestProfile(ConnectionCapTest.Cap.class)
class ConnectionCapTest {
    static final int CAP = 8;
    static final Duration WAIT = Duration.ofSeconds(10);

    public static class Cap implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.limits.max-connections", String.valueOf(CAP));
        }
    }

    @TestHTTPResource("/")
    URL base;

    RawConnection served() throws Exception {
        RawConnection c = new RawConnection(base.getHost(), base.getPort());
        c.send("GET /ping HTTP/1.1\r\nHost: x\r\n\r\n");
        return c;
    }

    @Test
    void connectionsOverTheCapAreClosedAndFreedSlotsReused() throws Exception {
        List<RawConnection> held = new ArrayList<>();
        try {
            for (int i = 0; i < CAP; i++) {
                RawConnection c = served();
                held.add(c);
                assertTrue(c.readUntil("\"cockpit\" }", WAIT).startsWith("HTTP/1.1 200"), "connection " + i + ": " + c.received());
            }
            try (RawConnection over = served()) {
                assertTrue(over.closedWithin(WAIT), "connection over the cap was served: " + over.received());
                assertFalse(over.received().contains("200"), over.received());
            }
            held.remove(0).close();
            // the gateway notices the close asynchronously: retry briefly
            boolean servedAgain = false;
            long end = System.nanoTime() + WAIT.toNanos();
            while (!servedAgain && System.nanoTime() < end) {
                try (RawConnection again = served()) {
                    servedAgain = again.readUntil("\"cockpit\" }", Duration.ofSeconds(2)).startsWith("HTTP/1.1 200");
                }
            }
            assertTrue(servedAgain, "a freed slot was not reused");
        } finally {
            for (RawConnection c : held) {
                c.close();
            }
        }
    }
}
