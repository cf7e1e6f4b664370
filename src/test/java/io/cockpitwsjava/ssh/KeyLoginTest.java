package io.cockpitwsjava.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.sshd.certificate.OpenSshCertificateBuilder;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cockpitwsjava.protocol.HostTarget;
import io.cockpitwsjava.protocol.Problem;
import io.cockpitwsjava.protocol.ProblemException;
import io.cockpitwsjava.testing.SshdTarget;

/**
 * {@link SshConnector#connect(HostTarget, KeyLogin)} against a real sshd: the key login offers exactly its key and
 * accepts exactly its host keys, whatever the connector's environment and global file would add for a person's login.
 */
class KeyLoginTest {

    @TempDir
    static Path dir;
    static SshdTarget sshd;
    static Path envKey;
    static Path ca;

    @BeforeAll
    static void start() throws Exception {
        ca = keygen("user_ca");
        sshd = new SshdTarget().withConfig("TrustedUserCAKeys " + ca + ".pub").start();
        envKey = keygen("env_key");
        sshd.authorize(Files.readString(Path.of(envKey + ".pub")));
    }

    @AfterAll
    static void stop() {
        if (sshd != null) {
            sshd.close();
        }
    }

    static Path keygen(String name) throws Exception {
        Path key = dir.resolve(name);
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor());
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        return key;
    }

    static HostTarget target() {
        return new HostTarget(null, "127.0.0.1", sshd.port());
    }

    static KnownHosts exact(String type) {
        return KnownHosts.parse(KnownHosts.line(target(), sshd.hostPublicKey(type)));
    }

    /** A connector whose environment offers a key file that sshd accepts, and whose global file trusts the host. */
    static SshConnector connector() throws Exception {
        Path global = dir.resolve("global_known_hosts");
        Files.writeString(global, KnownHosts.line(target(), sshd.hostPublicKey("ed25519")) + "\n");
        SshSettings s = SshSettings.defaults(Map.of("COCKPIT_SSH_KEY_PATH", envKey.toString()))
                .withGlobalKnownHosts(global).withTimeouts(Duration.ofSeconds(20), Duration.ofSeconds(20));
        return new SshConnector(s, new HostAccessPolicy(List.of("*:*"), List.of()));
    }

    static KeyPair freshKey() throws Exception {
        return KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
    }

    static ProblemException failure(CompletableFuture<SshLogin> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(60, TimeUnit.SECONDS));
        return assertInstanceOf(ProblemException.class, e.getCause());
    }

    static String exec(ClientSession s, String command) throws Exception {
        try (ChannelExec ch = s.createExecChannel(command)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ch.setOut(out);
            ch.open().verify(Duration.ofSeconds(20));
            ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Duration.ofSeconds(20));
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void logsInWithItsKeyAgainstTheExactHostKey() throws Exception {
        KeyPair key = freshKey();
        sshd.authorize(key.getPublic());
        try (SshConnector c = connector()) {
            SshLogin login = c.connect(target(), new KeyLogin(sshd.user(), key, exact("ed25519")))
                    .get(60, TimeUnit.SECONDS);
            try (ClientSession s = login.session()) {
                assertEquals(sshd.user() + "\n", exec(s, "id -un"));
            }
            // only an ECDSA key listed: the connector asks the server for that type first, so it matches
            SshLogin ecdsa = c.connect(target(), new KeyLogin(sshd.user(), key, exact("ecdsa")))
                    .get(60, TimeUnit.SECONDS);
            ecdsa.session().close();
        }
    }

    /** Neither the global file (which lists the key) nor the local-host exception applies: nobody is there to ask. */
    @Test
    void trustsNoHostKeyBeyondItsOwnList() throws Exception {
        KeyPair key = freshKey();
        sshd.authorize(key.getPublic());
        try (SshConnector c = connector()) {
            ProblemException unknown = failure(c.connect(target(), new KeyLogin(sshd.user(), key, KnownHosts.EMPTY)));
            assertEquals(Problem.UNKNOWN_HOSTKEY, unknown.problem());
            assertEquals(true, unknown.hostKeyChallenge().isEmpty(), "no question for a login without a person");
            KnownHosts other = KnownHosts.parse(KnownHosts.line(target(), freshKey().getPublic()));
            assertEquals(Problem.INVALID_HOSTKEY,
                    failure(c.connect(target(), new KeyLogin(sshd.user(), key, other))).problem());
        }
    }

    /** The environment's key file would log in (a person's login shows it), but a key login does not offer it. */
    @Test
    void offersOnlyItsOwnKey() throws Exception {
        try (SshConnector c = connector()) {
            SshLogin byEnvKey = c.connect(target(), new SshCredentials(sshd.user(), null, exact("ed25519"), null,
                    false, null)).get(60, TimeUnit.SECONDS);
            byEnvKey.session().close();
            ProblemException e = failure(c.connect(target(),
                    new KeyLogin(sshd.user(), freshKey(), exact("ed25519"))));
            assertEquals(Problem.AUTHENTICATION_FAILED, e.problem());
        }
    }

    /**
     * A closed port: a person's login hears "unknown host" only when the connect timeout has run out, so the answer
     * tells nothing about the network; a key login (the prober, which no person asks) hears it at once, with the cause.
     */
    @Test
    void anUnreachableHostIsReportedAtOnceWithItsCause() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        SshSettings slow = SshSettings.defaults(Map.of()).withTimeouts(Duration.ofSeconds(120), Duration.ofSeconds(120));
        try (SshConnector c = new SshConnector(slow, new HostAccessPolicy(List.of("*:*"), List.of()))) {
            CompletableFuture<SshLogin> f = c.connect(new HostTarget(null, "127.0.0.1", closed),
                    new KeyLogin(sshd.user(), freshKey(), KnownHosts.EMPTY));
            // well before the 120 s connect timeout
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
            ProblemException p = assertInstanceOf(ProblemException.class, e.getCause());
            assertEquals(Problem.UNKNOWN_HOST, p.problem());
            Throwable cause = p.getCause();
            while (cause != null && !(cause instanceof java.net.ConnectException)) {
                cause = cause.getCause();
            }
            assertInstanceOf(java.net.ConnectException.class, cause, "the cause is kept: " + p.getCause());
        }
    }

    /** An OpenSSH user certificate as the key: the publickey method offers the certificate algorithms. */
    @Test
    void logsInWithAUserCertificate() throws Exception {
        KeyPair caKey;
        try (var in = Files.newInputStream(ca)) {
            caKey = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(ca.toString()), in,
                    FilePasswordProvider.EMPTY).iterator().next();
        }
        KeyPair fresh = freshKey();
        Instant now = Instant.now();
        var cert = OpenSshCertificateBuilder.userCertificate().publicKey(fresh.getPublic()).serial(42).id("key-login")
                .principals(List.of(sshd.user())).validAfter(now.minusSeconds(60)).validBefore(now.plusSeconds(300))
                .criticalOption("force-command", "echo forced").sign(caKey);
        try (SshConnector c = connector()) {
            SshLogin login = c.connect(target(), new KeyLogin(sshd.user(), new KeyPair(cert, fresh.getPrivate()),
                    exact("ed25519"))).get(60, TimeUnit.SECONDS);
            try (ClientSession s = login.session()) {
                assertEquals("forced\n", exec(s, "id -un"));
            }
        }
    }
}
