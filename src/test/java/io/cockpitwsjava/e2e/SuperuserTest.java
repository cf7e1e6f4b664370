package io.cockpitwsjava.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cockpitwsjava.testing.GatewayClient;
import io.cockpitwsjava.testing.GatewayClient.Response;
import io.cockpitwsjava.testing.GatewayClient.Socket;
import io.cockpitwsjava.testing.SshdTarget;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Administrative access at login ({@code X-Superuser: any}): the bridge starts {@code sudo}, asks with
 * {@code authorize plain1:<hex user>}, the gateway answers once with the login password (docs/protocol.md §5.12).
 */
@QuarkusTest
class SuperuserTest {
    /** Named per test JVM: a run in another checkout on this machine must not delete this one's grant. */
    static final Path SUDOERS = Path.of("/etc/sudoers.d/cockpit-ws-java-test-"
            + ProcessHandle.current().pid());
    static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static SshdTarget sshd = new SshdTarget(SshdTarget.RemotePath.INSTALLED);

    @TestHTTPResource("/")
    URL base;

    @BeforeAll
    static void sudoers() throws Exception {
        Files.writeString(SUDOERS, SshdTarget.DEFAULT_USER + " ALL=(ALL:ALL) ALL\n");
        Files.setPosixFilePermissions(SUDOERS, java.nio.file.attribute.PosixFilePermissions.fromString("r--r-----"));
    }

    @AfterAll
    static void cleanup() throws Exception {
        Files.deleteIfExists(SUDOERS);
    }

    Socket session(GatewayClient client, String superuser) throws Exception {
        String known = sshd.knownHostsLine();
        Response r = client.get("/cockpit+=localhost:" + sshd.port() + "/login", GatewayClient.headers(
                "Authorization", GatewayClient.basic(sshd.user(), sshd.password(), known), "X-Superuser", superuser));
        assertEquals(200, r.status(), r.reason());
        Socket s = client.socket("/cockpit+=localhost:" + sshd.port() + "/socket", client.origin(),
                GatewayClient.cookieOf(r.header("Set-Cookie")));
        s.await("\"init\"", WAIT);
        s.send("\n{\"command\":\"init\",\"version\":1}");
        return s;
    }

    @Test
    void loginWithSuperuserAnyRunsPrivilegedChannels() throws Exception {
        try (GatewayClient client = new GatewayClient(base.getHost(), base.getPort()); Socket s = session(client, "any")) {
            s.send("\n{\"command\":\"open\",\"channel\":\"1:1\",\"payload\":\"stream\",\"spawn\":[\"id\",\"-u\"],"
                    + "\"superuser\":\"require\"}");
            String out = s.await("1:1\n", WAIT).text();
            assertEquals("1:1\n0\n", out, "the channel ran as root");
        }
    }

    @Test
    void withoutSuperuserPrivilegedChannelsAreRefused() throws Exception {
        try (GatewayClient client = new GatewayClient(base.getHost(), base.getPort()); Socket s = session(client, "none")) {
            s.send("\n{\"command\":\"open\",\"channel\":\"1:1\",\"payload\":\"stream\",\"spawn\":[\"id\",\"-u\"],"
                    + "\"superuser\":\"require\"}");
            String close = s.await("\"close\"", WAIT).text();
            assertTrue(close.contains("access-denied"), close);
        }
    }
}
