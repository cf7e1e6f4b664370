package io.cockpitwsjava.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.keyverifier.RequiredServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The fixture itself: the three PATH variants really reach exec commands, and rekey changes the host key. */
class SshdTargetTest {

    @RegisterExtension
    static SshdTarget installed = new SshdTarget(SshdTarget.RemotePath.INSTALLED);
    @RegisterExtension
    static SshdTarget pythonOnly = new SshdTarget(SshdTarget.RemotePath.PYTHON_ONLY);
    @RegisterExtension
    static SshdTarget nothing = new SshdTarget(SshdTarget.RemotePath.NOTHING);

    static SshClient client;

    @BeforeAll
    static void client() {
        client = SshClient.setUpDefaultClient();
        // only Ed25519, so the pinned key below is the one negotiated (and Ed25519 support is exercised)
        client.setSignatureFactories(java.util.List.of(org.apache.sshd.common.signature.BuiltinSignatures.ed25519));
        client.start();
    }

    @AfterAll
    static void stopClient() {
        client.stop();
    }

    /** Runs a command, pinning the host key the fixture reports (so hostPublicKey() is checked too). */
    static Result exec(SshdTarget sshd, String command) throws Exception {
        client.setServerKeyVerifier(new RequiredServerKeyVerifier(sshd.hostPublicKey("ed25519")));
        try (ClientSession s = client.connect(sshd.user(), sshd.host(), sshd.port())
                .verify(Duration.ofSeconds(10)).getSession()) {
            s.addPasswordIdentity(sshd.password());
            s.auth().verify(Duration.ofSeconds(10));
            try (ChannelExec ch = s.createExecChannel(command)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ch.setOut(out);
                ch.setErr(out);
                ch.open().verify(Duration.ofSeconds(10));
                ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Duration.ofSeconds(10));
                return new Result(ch.getExitStatus(), out.toString(StandardCharsets.UTF_8));
            }
        }
    }

    record Result(Integer status, String output) {
    }

    @Test
    void installedPathFindsBridgeAndPython() throws Exception {
        Result r = exec(installed, "echo $PATH; command -v python3; command -v cockpit-bridge; id -un");
        assertEquals(0, r.status(), r.output());
        assertEquals("/usr/local/bin:/usr/bin:/bin", r.output().lines().findFirst().orElseThrow(), r.output());
        assertTrue(r.output().contains("/usr/bin/python3"), r.output());
        assertTrue(r.output().contains("cockpit-bridge"), r.output());
        assertTrue(r.output().strip().endsWith(installed.user()), r.output());
    }

    @Test
    void pythonOnlyPathHasPythonButNoBridge() throws Exception {
        Result r = exec(pythonOnly, "python3 -c 'print(6*7)'; command -v cockpit-bridge || echo no-bridge");
        assertEquals(0, r.status(), r.output());
        assertEquals("42\nno-bridge\n", r.output());
    }

    @Test
    void emptyPathHasNoPython() throws Exception {
        Result r = exec(nothing, "python3 -c 'print(1)'");
        assertEquals(127, r.status(), r.output());
    }

    @Test
    void rekeyChangesHostKeyAndFingerprintMatchesSshKeygen() throws Exception {
        try (SshdTarget t = new SshdTarget().start()) {
            String before = t.hostKeyFingerprint("ed25519");
            assertTrue(before.startsWith("SHA256:"), before);
            assertEquals(before, org.apache.sshd.common.config.keys.KeyUtils.getFingerPrint(t.hostPublicKey("ed25519")));
            t.rekey();
            assertNotEquals(before, t.hostKeyFingerprint("ed25519"));
            assertEquals(0, exec(t, "true").status());
        }
    }
}
