package io.cockpitwsjava.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cockpitwsjava.identity.Identity;
import io.cockpitwsjava.testing.SshdTarget;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.common.signature.Signature;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our certificates against a real OpenSSH sshd that trusts the user CA ({@code TrustedUserCAKeys}): what the VMs of a
 * fleet will see. The client is a plain MINA {@link SshClient} with the host key pinned, set up the way the gateway's
 * connector will need to be.
 */
class UserCertificateLoginTest {

    /** MINA's publickey algorithms for plain keys, like the gateway's connector offers them. */
    static final List<NamedFactory<Signature>> PLAIN_SIGNATURES = List.of(BuiltinSignatures.ed25519,
            BuiltinSignatures.nistp256, BuiltinSignatures.nistp384, BuiltinSignatures.nistp521,
            BuiltinSignatures.rsaSHA512, BuiltinSignatures.rsaSHA256);
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static SshdTarget sshd;
    static SshdTarget principalsSshd;
    static Path principalsFile;
    static CertificateSigner signer;
    static SshClient client;

    @BeforeAll
    static void start() throws Exception {
        Path caKey = OpenSshTools.newCaKey(dir, "ed25519");
        signer = new CertificateSigner(UserCaKey.load(caKey), Duration.ofMinutes(5), Duration.ofMinutes(1));
        String trust = "TrustedUserCAKeys " + caKey + ".pub";
        sshd = new SshdTarget().withConfig(trust).withConfig("LogLevel VERBOSE").start();
        Path principals = Files.createDirectories(dir.resolve("principals"));
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        principalsFile = principals.resolve(SshdTarget.DEFAULT_USER);
        Files.writeString(principalsFile, "fleet-login\n");
        principalsSshd = new SshdTarget().withConfig(trust).withConfig("LogLevel VERBOSE")
                .withConfig("AuthorizedPrincipalsFile " + principals + "/%u").start();
        client = client(PLAIN_SIGNATURES, List.of(sshd, principalsSshd));
    }

    @AfterAll
    static void stop() throws IOException {
        if (client != null) {
            client.stop();
        }
        if (sshd != null) {
            sshd.close();
        }
        if (principalsSshd != null) {
            principalsSshd.close();
        }
    }

    /**
     * A client like the gateway's: no default identities, no ~/.ssh/config, the targets' host keys pinned, and the
     * certificate algorithm added to the publickey method only (key exchange offers what it offered before).
     */
    static SshClient client(List<NamedFactory<Signature>> publickeyAlgorithms, List<SshdTarget> targets) {
        List<PublicKey> pinned = new ArrayList<>();
        for (SshdTarget t : targets) {
            pinned.add(t.hostPublicKey("ed25519"));
            pinned.add(t.hostPublicKey("ecdsa"));
        }
        SshClient c = SshClient.setUpDefaultClient();
        c.setServerKeyVerifier((session, address, key) -> pinned.stream().anyMatch(p -> KeyUtils.compareKeys(p, key)));
        c.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        c.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        c.setSignatureFactories(PLAIN_SIGNATURES);
        c.setUserAuthFactories(List.of(new UserAuthPublicKeyFactory(publickeyAlgorithms)));
        c.start();
        return c;
    }

    static List<NamedFactory<Signature>> withCertificates() {
        List<NamedFactory<Signature>> all = new ArrayList<>(PLAIN_SIGNATURES);
        all.addAll(UserCertificate.AUTH_SIGNATURES);
        return all;
    }

    /** Connects as the fixture's user and authenticates with {@code cert}; the caller closes the session. */
    static ClientSession login(SshClient c, SshdTarget target, UserCertificate cert) throws IOException {
        ClientSession s = c.connect(target.user(), target.host(), target.port()).verify(TIMEOUT).getSession();
        try {
            s.addPublicKeyIdentity(cert.keyPair());
            s.auth().verify(TIMEOUT);
            return s;
        } catch (IOException | RuntimeException e) {
            s.close(true);
            throw e;
        }
    }

    static String exec(ClientSession s, String command, boolean pty) throws IOException {
        try (ChannelExec ch = s.createExecChannel(command)) {
            ch.setUsePty(pty);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ch.setOut(out);
            ch.setErr(out);
            ch.open().verify(TIMEOUT);
            ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), TIMEOUT);
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    static void awaitLog(SshdTarget target, String text) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> target.log().contains(text));
    }

    @Test
    void logsInAndSshdNamesTheIdentityAndSerial() throws Exception {
        UserCertificate cert = signer.sign(CertificateRequest.login(Identity.of("alice", "ops"), sshd.user()));
        SshClient c = client(withCertificates(), List.of(sshd));
        try (ClientSession s = login(c, sshd, cert)) {
            assertEquals(sshd.user() + "\n", exec(s, "id -un", false));
        } finally {
            c.stop();
        }
        // sshd's own record ties the login to the signed-in person and to our audit line (the serial)
        awaitLog(sshd, "ID alice (serial " + cert.serialText() + ")");
        Matcher m = Pattern.compile("Accepted publickey for " + sshd.user() + " from 127\\.0\\.0\\.1 port \\d+ ssh2: "
                + "ECDSA-CERT SHA256:\\S+ ID alice \\(serial " + cert.serialText() + "\\) CA ED25519 SHA256:\\S+")
                .matcher(sshd.log());
        assertTrue(m.find(), sshd.log());
    }

    @Test
    void aCertificateForAnotherAccountIsRefused() throws Exception {
        UserCertificate cert = signer.sign(CertificateRequest.login(Identity.of("alice"), "someone-else"));
        SshClient c = client(withCertificates(), List.of(sshd));
        try {
            assertThrows(IOException.class, () -> login(c, sshd, cert).close());
        } finally {
            c.stop();
        }
        awaitLog(sshd, "ID alice (serial " + cert.serialText() + ")");
        String log = sshd.log();
        assertTrue(log.contains("Certificate invalid: name is not a listed principal"), log);
        assertFalse(acceptedWith(log, cert), log);
    }

    private static boolean acceptedWith(String log, UserCertificate cert) {
        return log.lines().anyMatch(l -> l.contains("Accepted publickey") && l.contains("serial " + cert.serialText()));
    }

    /**
     * An expired certificate: MINA does not even offer it (it checks validity before use), and OpenSSH's own client,
     * which does offer it, is refused by sshd.
     */
    @Test
    void anExpiredCertificateIsRefused() throws Exception {
        Instant now = Clock.systemUTC().instant();
        UserCertificate expired = signer.sign(CertificateRequest.login(Identity.of("mallory"), sshd.user()),
                now.minus(Duration.ofHours(2)), now.minus(Duration.ofHours(1)));

        SshClient c = client(withCertificates(), List.of(sshd));
        try {
            assertThrows(IOException.class, () -> login(c, sshd, expired).close());
        } finally {
            c.stop();
        }
        assertFalse(acceptedWith(sshd.log(), expired));

        Path key = OpenSshTools.writeForOpenSsh(dir, "expired", expired);
        OpenSshTools.Result r = openSsh(sshd, key, "id -un");
        assertNotEquals(0, r.exitCode(), r.output());
        assertFalse(r.output().contains(sshd.user() + "\n"), r.output());
        awaitLog(sshd, "Certificate invalid: expired");
        assertFalse(acceptedWith(sshd.log(), expired), sshd.log());

        // the same path with a valid certificate works, so the refusal above is the expiry and nothing else
        UserCertificate valid = signer.sign(CertificateRequest.login(Identity.of("mallory"), sshd.user()));
        Path validKey = OpenSshTools.writeForOpenSsh(dir, "valid", valid);
        OpenSshTools.Result ok = openSsh(sshd, validKey, "id -un");
        assertEquals(0, ok.exitCode(), ok.output());
        assertTrue(ok.output().contains(sshd.user()), ok.output());
    }

    /** OpenSSH's client with only this key and certificate, the fixture's host key pinned, no prompts. */
    static OpenSshTools.Result openSsh(SshdTarget target, Path key, String command) throws IOException {
        Path knownHosts = dir.resolve("known_hosts-" + target.port());
        Files.writeString(knownHosts, "[127.0.0.1]:" + target.port() + " " + target.hostPublicKeyLine("ed25519") + "\n");
        return OpenSshTools.run(Map.of(), "ssh", "-F", "/dev/null", "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes",
                "-o", "IdentityFile=" + key, "-o", "CertificateFile=" + key + "-cert.pub",
                "-o", "PreferredAuthentications=publickey", "-o", "StrictHostKeyChecking=yes",
                "-o", "UserKnownHostsFile=" + knownHosts, "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "HostKeyAlgorithms=ssh-ed25519", "-p", String.valueOf(target.port()),
                target.user() + "@127.0.0.1", command);
    }

    @Test
    void forceCommandRunsWhateverTheClientAsks() throws Exception {
        UserCertificate probe = signer.sign(CertificateRequest.probe(sshd.user(), "echo forced-command-ran"));
        SshClient c = client(withCertificates(), List.of(sshd));
        try (ClientSession s = login(c, sshd, probe)) {
            assertEquals("forced-command-ran\n", exec(s, "id -un", false));
            assertEquals("forced-command-ran\n", exec(s, "cat /etc/shadow", false));
        } finally {
            c.stop();
        }
        awaitLog(sshd, "ID " + CertificateRequest.PROBE_KEY_ID + " (serial " + probe.serialText() + ")");
    }

    /** No permit-pty: sshd refuses an SSH pty, yet the bridge opens a terminal on a pty of its own. */
    @Test
    void theBridgeGetsATerminalWithoutAnSshPty() throws Exception {
        UserCertificate cert = signer.sign(CertificateRequest.login(Identity.of("alice"), sshd.user()));
        SshClient c = client(withCertificates(), List.of(sshd));
        try (ClientSession s = login(c, sshd, cert)) {
            assertTrue(exec(s, "tty", true).contains("not a tty"), "sshd must refuse an SSH pty without permit-pty");
            // the same request with a permit-pty certificate does get one: the refusal above is the missing extension
            UserCertificate withPty = signWithPermitPty(sshd.user());
            try (ClientSession p = login(c, sshd, withPty)) {
                assertTrue(exec(p, "tty", true).matches("(?s)/dev/pts/\\d+\\s*"), "a permit-pty certificate gets a pty");
            }
            assertTrue(Files.isExecutable(Path.of("/usr/bin/cockpit-bridge")), "the Cockpit bridge is not installed");
            try (ChannelExec bridge = s.createExecChannel("cockpit-bridge")) {
                bridge.open().verify(TIMEOUT);
                BridgeFrames frames = new BridgeFrames(bridge.getInvertedOut(), bridge.getInvertedIn());
                JsonNode init = frames.nextControl();
                assertEquals("init", init.path("command").asText(), init::toString);
                frames.send("", "{\"command\":\"init\",\"version\":1,\"host\":\"localhost\",\"superuser\":false}");
                frames.send("", "{\"command\":\"open\",\"channel\":\"t1\",\"payload\":\"stream\",\"spawn\":[\"tty\"],"
                        + "\"pty\":true}");
                StringBuilder terminal = new StringBuilder();
                while (true) {
                    BridgeFrames.Frame f = frames.next();
                    if (f.channel().equals("t1")) {
                        terminal.append(f.payload());
                        continue;
                    }
                    JsonNode control = JSON.readTree(f.payload());
                    if (control.path("command").asText().equals("close") && control.path("channel").asText().equals("t1")) {
                        assertFalse(control.has("problem"), control::toString);
                        break;
                    }
                }
                assertTrue(terminal.toString().matches("(?s)/dev/pts/\\d+\\s*"), terminal.toString());
            }
        } finally {
            c.stop();
        }
    }

    /** What ssh-keygen makes by default: a certificate with permit-pty (our signer never adds extensions). */
    static UserCertificate signWithPermitPty(String principal) throws Exception {
        var fresh = org.apache.sshd.common.config.keys.KeyUtils.generateKeyPair("ecdsa-sha2-nistp256", 256);
        Instant now = Instant.now();
        var cert = org.apache.sshd.certificate.OpenSshCertificateBuilder.userCertificate().publicKey(fresh.getPublic())
                .serial(7).id("pty-test").principals(List.of(principal)).validAfter(now.minusSeconds(60))
                .validBefore(now.plusSeconds(300)).extension("permit-pty", "").sign(UserCaKey.load(dir.resolve(
                        "user_ca_ed25519")).keyPair());
        return new UserCertificate(new java.security.KeyPair(cert, fresh.getPrivate()), 7, "pty-test", principal,
                now.minusSeconds(60), now.plusSeconds(300), java.util.Optional.empty());
    }

    @Test
    void authorizedPrincipalsFileDecidesWhichPrincipalsAnAccountAccepts() throws Exception {
        SshClient c = client(withCertificates(), List.of(principalsSshd));
        try {
            // the file lists fleet-login for this account: a certificate for fleet-login logs in
            UserCertificate listed = signer.sign(CertificateRequest.login(Identity.of("alice"), "fleet-login"));
            try (ClientSession s = login(c, principalsSshd, listed)) {
                assertEquals(principalsSshd.user() + "\n", exec(s, "id -un", false));
            }
            awaitLog(principalsSshd, "ID alice (serial " + listed.serialText() + ")");
            // with the file in force, even the account's own name is no longer enough
            UserCertificate own = signer.sign(CertificateRequest.login(Identity.of("bob"), principalsSshd.user()));
            assertThrows(IOException.class, () -> login(c, principalsSshd, own).close());
            assertFalse(acceptedWith(principalsSshd.log(), own), principalsSshd.log());
        } finally {
            c.stop();
        }
    }

    /** Without the certificate algorithm in the publickey method, MINA skips the certificate without a word. */
    @Test
    void minaNeedsTheCertificateAlgorithmInThePublickeyMethod() throws Exception {
        UserCertificate cert = signer.sign(CertificateRequest.login(Identity.of("alice"), sshd.user()));
        SshClient plain = client(PLAIN_SIGNATURES, List.of(sshd));
        try {
            assertThrows(IOException.class, () -> login(plain, sshd, cert).close());
        } finally {
            plain.stop();
        }
        assertFalse(sshd.log().contains("serial " + cert.serialText()), sshd.log());
    }

    /** A minimal reader and writer of Cockpit frames ({@code <length>\n<channel>\n<payload>}). */
    static final class BridgeFrames {
        record Frame(String channel, String payload) {
        }

        private final InputStream in;
        private final OutputStream out;

        BridgeFrames(InputStream in, OutputStream out) {
            this.in = in;
            this.out = out;
        }

        void send(String channel, String payload) throws IOException {
            byte[] body = (channel + "\n" + payload).getBytes(StandardCharsets.UTF_8);
            out.write((body.length + "\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
        }

        /** The next frame on the control channel, parsed (frames of other channels before it are skipped). */
        JsonNode nextControl() throws IOException {
            while (true) {
                Frame f = next();
                if (f.channel().isEmpty()) {
                    return JSON.readTree(f.payload());
                }
            }
        }

        Frame next() throws IOException {
            int length = 0;
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < '0' || b > '9' || length > 10_000_000) {
                    throw new IOException("bad frame length byte " + b);
                }
                length = length * 10 + (b - '0');
            }
            byte[] body = in.readNBytes(length);
            if (body.length != length) {
                throw new IOException("bridge output ended inside a frame");
            }
            String text = new String(body, StandardCharsets.UTF_8);
            int nl = text.indexOf('\n');
            return new Frame(text.substring(0, nl), text.substring(nl + 1));
        }
    }
}
