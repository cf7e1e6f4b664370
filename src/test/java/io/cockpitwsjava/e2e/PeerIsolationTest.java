package io.cockpitwsjava.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cockpitwsjava.testing.GatewayClient;
import io.cockpitwsjava.testing.GatewayClient.Message;
import io.cockpitwsjava.testing.GatewayClient.Response;
import io.cockpitwsjava.testing.GatewayClient.Socket;
import io.cockpitwsjava.testing.SshdTarget;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * AllowMultiHost with a hostile bridge (a fake {@code python3} on a real sshd that answers with a valid {@code init}
 * and then sends frames for channels it does not carry): what one bridge sends reaches only the channels routed to
 * that bridge.
 */
@QuarkusTest
@TestProfile(MultiHostTest.MultiHost.class)
class PeerIsolationTest {
    static final Duration WAIT = Duration.ofSeconds(30);

    /**
     * Prints a valid init and then, depending on {@code HOSTILE_MODE}: {@code peer} injects data and a forged close
     * into the primary's channel {@code 1:1}, then answers its own channel {@code 1:2}; {@code primary} keeps sending
     * data for {@code 1:7} (a peer's channel in the test) each followed by a marker on its own channel {@code 1:1}.
     * It never reads the frames the gateway sends; it ends when its stdin closes.
     */
    static final String FAKE_BRIDGE = """
            #!/usr/bin/python3
            import json, os, sys, threading, time
            out = sys.stdout.buffer
            def frame(channel, payload):
                body = channel.encode() + b'\\n' + payload
                out.write(str(len(body)).encode() + b'\\n' + body)
                out.flush()
            def control(**msg):
                frame('', json.dumps(msg).encode())
            def drain():
                while sys.stdin.buffer.read(65536):
                    pass
                os._exit(0)
            threading.Thread(target=drain, daemon=True).start()
            control(command='init', version=1, host='localhost', **{'os-release': {'NAME': 'Hostile'}})
            mode = os.environ.get('HOSTILE_MODE')
            if mode == 'peer':
                frame('1:1', b'injected by the peer')
                control(command='close', channel='1:1', problem='terminated')
                control(command='ready', channel='1:2')
                frame('1:2', b'peer-own')
            elif mode == 'primary':
                for i in range(2400):
                    frame('1:7', b'injected by the primary %d' % i)
                    frame('1:1', b'marker %d' % i)
                    time.sleep(0.05)
            time.sleep(300)
            """;

    @RegisterExtension
    static SshdTarget real = new SshdTarget(SshdTarget.RemotePath.INSTALLED);
    @RegisterExtension
    static SshdTarget hostilePeer = hostile("peer");
    @RegisterExtension
    static SshdTarget hostilePrimary = hostile("primary");

    /** A target whose exec commands find only the fake python3 (installed when the target starts). */
    static SshdTarget hostile(String mode) {
        return new SshdTarget(SshdTarget.RemotePath.NOTHING).withEnv("HOSTILE_MODE", mode);
    }

    /** Puts the fake into the target's (empty) PATH directory; exec commands look it up when they run. */
    static void installFake(SshdTarget t) throws Exception {
        Path bin = t.directory().resolve("bin-empty");
        assertTrue(Files.isDirectory(bin), "the NOTHING target's PATH directory: " + bin);
        Path python = bin.resolve("python3");
        Files.writeString(python, FAKE_BRIDGE);
        Files.setPosixFilePermissions(python, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @TestHTTPResource("/")
    URL base;

    Socket loginAndConnect(GatewayClient client, SshdTarget primary) throws Exception {
        String app = "/cockpit+=localhost:" + primary.port();
        Response r = client.get(app + "/login", GatewayClient.headers("Authorization",
                GatewayClient.basic(primary.user(), primary.password(), primary.knownHostsLine())));
        assertEquals(200, r.status(), r.reason());
        Socket socket = client.socket(app + "/socket", client.origin(), GatewayClient.cookieOf(r.header("Set-Cookie")));
        socket.await("\"init\"", WAIT);
        socket.send("\n{\"command\":\"init\",\"version\":1}");
        return socket;
    }

    static String openOn(String channel, SshdTarget peer) {
        String key = "[localhost]:" + peer.port() + " " + peer.hostPublicKeyLine("ed25519");
        return "\n{\"command\":\"open\",\"channel\":\"" + channel + "\",\"payload\":\"echo\",\"host\":\"localhost:"
                + peer.port() + "\",\"host-key\":\"" + key + "\",\"password\":\"" + peer.password() + "\"}";
    }

    /** Every message until one equals {@code last} (included); fails after the timeout. */
    static List<String> until(Socket socket, String last) throws Exception {
        return until(socket, last::equals, last);
    }

    /** Every message until one matches (included); fails after the timeout. */
    static List<String> until(Socket socket, Predicate<String> last, String what) throws Exception {
        List<String> seen = new ArrayList<>();
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            Message m = socket.next(Duration.ofMillis(200));
            if (m != null) {
                seen.add(m.text());
                if (last.test(m.text())) {
                    return seen;
                }
            }
        }
        throw new AssertionError("no " + what.replace("\n", "\\n") + " within " + WAIT + "; seen " + seen);
    }

    static boolean isReady(String message, String channel) {
        return message.startsWith("\n") && message.contains("\"ready\"") && message.contains("\"" + channel + "\"");
    }

    @Test
    void aPeerCannotWriteIntoThePrimarysChannels() throws Exception {
        installFake(hostilePeer);
        try (GatewayClient client = new GatewayClient(base.getHost(), base.getPort());
                Socket socket = loginAndConnect(client, real)) {
            socket.send("\n{\"command\":\"open\",\"channel\":\"1:1\",\"payload\":\"echo\"}");
            socket.send("1:1\nbefore");
            List<String> seen = new ArrayList<>(until(socket, "1:1\nbefore"));

            socket.send(openOn("1:2", hostilePeer));
            // the peer's own answers come after its injections on the same stream: once they are here, the
            // injections have been handled
            seen.addAll(until(socket, "1:2\npeer-own"));
            socket.send("1:1\nafter");
            seen.addAll(until(socket, "1:1\nafter"));

            for (String m : seen) {
                assertFalse(m.contains("injected"), "primary's channel got the peer's data: " + m);
                assertFalse(m.contains("\"close\"") && m.contains("\"1:1\""), "primary's channel closed by the peer: " + m);
            }
        }
    }

    @Test
    void thePrimaryCannotWriteIntoAPeersChannels() throws Exception {
        installFake(hostilePrimary);
        try (GatewayClient client = new GatewayClient(base.getHost(), base.getPort());
                Socket socket = loginAndConnect(client, hostilePrimary)) {
            socket.send("\n{\"command\":\"open\",\"channel\":\"1:1\",\"payload\":\"echo\"}");
            List<String> seen = new ArrayList<>();
            socket.send(openOn("1:7", real));
            seen.addAll(until(socket, m -> isReady(m, "1:7"), "ready for 1:7"));
            // two markers after the peer channel is ready: the primary's frame for 1:7 between them came after
            // the channel was open and routed
            List<String> after = new ArrayList<>();
            while (after.stream().filter(m -> m.startsWith("1:1\nmarker")).count() < 2) {
                Message m = socket.next(WAIT);
                assertTrue(m != null, "no markers from the primary; seen " + after);
                after.add(m.text());
            }
            seen.addAll(after);
            socket.send("1:7\nto the real peer");
            seen.addAll(until(socket, "1:7\nto the real peer"));

            for (String m : seen) {
                assertFalse(m.contains("injected"), "peer's channel got the primary's data: " + m);
            }
        }
    }
}
