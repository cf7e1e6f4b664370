package io.cockpitwsjava.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.cockpitwsjava.protocol.HostTarget;
import io.cockpitwsjava.protocol.Problem;
import io.cockpitwsjava.protocol.ProblemException;
import io.cockpitwsjava.testing.SshdTarget;

/**
 * Host certificates against real OpenSSH sshd servers that present one ({@code HostCertificate}, made with
 * {@code ssh-keygen -s HOSTCA -h -n NAMES}): a {@code @cert-authority} line for the host trusts a valid certificate of
 * its CA that names the host, and no first-contact question or known key is needed; an expired certificate, one for
 * other names, one that names no host, or one of a CA the line does not name is not trusted.
 */
class HostCertificateTest {

    static Path dir;
    static Path hostCa;
    static Path otherCa;
    static final List<SshdTarget> servers = new ArrayList<>();
    static KeyPair userKey;

    @BeforeAll
    static void keys() throws Exception {
        dir = Files.createTempDirectory("host-cert-test-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        hostCa = keygen("host_ca");
        otherCa = keygen("other_ca");
        userKey = KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
    }

    @AfterAll
    static void stop() throws Exception {
        servers.forEach(SshdTarget::close);
        io.cockpitwsjava.testing.Commands.deleteTree(dir);
    }

    static Path keygen(String name) throws Exception {
        Path key = dir.resolve(name);
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", key.toString());
        return key;
    }

    static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), List.of(command) + ": " + out);
        return out;
    }

    /**
     * An sshd whose Ed25519 host key has a certificate signed by {@code ca} (ssh-keygen's own arguments: {@code -n}
     * principals or null for none, {@code -V} validity).
     */
    static SshdTarget serverWithCertificate(Path ca, String principals, String validity) throws Exception {
        SshdTarget sshd = new SshdTarget().withLogLevel("VERBOSE").alsoListenOn("127.0.0.2");
        servers.add(sshd);
        sshd.start(); // makes the host keys
        sshd.stop();
        Path pub = sshd.hostPublicKeyFile("ed25519");
        List<String> sign = new ArrayList<>(List.of("ssh-keygen", "-q", "-s", ca.toString(), "-h", "-I", "test-host"));
        if (principals != null) {
            sign.addAll(List.of("-n", principals));
        }
        sign.addAll(List.of("-V", validity, pub.toString()));
        run(sign.toArray(String[]::new));
        Path cert = Path.of(pub.toString().replace(".pub", "-cert.pub"));
        assertTrue(Files.exists(cert), cert.toString());
        sshd.withConfig("HostCertificate " + cert).start();
        sshd.authorize(userKey.getPublic());
        return sshd;
    }

    /**
     * A {@code @cert-authority} line for {@code hosts} on the server's port: like every known_hosts pattern, one
     * without {@code [host]:port} is for port 22 only.
     */
    static KnownHosts caLine(String hosts, int port, Path ca) throws Exception {
        return KnownHosts.parse("@cert-authority [" + hosts + "]:" + port + " "
                + Files.readString(Path.of(ca + ".pub")).strip());
    }

    static SshConnector connector() {
        SshSettings s = SshSettings.defaults(Map.of()).withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(30));
        return new SshConnector(s, new HostAccessPolicy(List.of("*:*"), List.of()));
    }

    static HostTarget target(SshdTarget sshd) {
        return new HostTarget(null, "127.0.0.1", sshd.port());
    }

    static ProblemException failure(CompletableFuture<SshLogin> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(60, TimeUnit.SECONDS));
        return assertInstanceOf(ProblemException.class, e.getCause());
    }

    @Test
    void aValidCertificateOfTheHostCaIsTrustedWithoutAnyKnownKey() throws Exception {
        SshdTarget sshd = serverWithCertificate(hostCa, "127.0.0.1,127.0.0.2,web-1.example", "-5m:+1h");
        try (SshConnector c = connector()) {
            // by the address: the certificate names it; the CA line names the host by a pattern
            SshLogin login = c.connect(target(sshd), new KeyLogin(sshd.user(), userKey,
                    caLine("127.0.0.*", sshd.port(), hostCa))).get(60, TimeUnit.SECONDS);
            try (ClientSession s = login.session()) {
                assertInstanceOf(OpenSshCertificate.class, s.getServerKey(), "the server showed its certificate");
                assertEquals("test-host", ((OpenSshCertificate) s.getServerKey()).getId());
            }
            // a person's password login with the CA line in the global file: no question either. By 127.0.0.2, as
            // 127.0.0.1 is the local-host exception whose unknown key is accepted without a question anyway.
            HostTarget second = new HostTarget(null, "127.0.0.2", sshd.port());
            Path global = dir.resolve("global-" + sshd.port());
            Files.writeString(global, "@cert-authority [127.0.0.2]:" + sshd.port() + " "
                    + Files.readString(Path.of(hostCa + ".pub")));
            Path empty = dir.resolve("empty-" + sshd.port());
            Files.writeString(empty, "");
            try (SshConnector people = passwordConnector(global)) {
                people.connect(second, new SshCredentials(sshd.user(), sshd.password().toCharArray(),
                        KnownHosts.EMPTY, null, false, null)).get(60, TimeUnit.SECONDS).session().close();
            }
            // without the CA line the same server is a first contact: the CA line made the difference
            try (SshConnector people = passwordConnector(empty)) {
                ProblemException e = failure(people.connect(second, new SshCredentials(sshd.user(),
                        sshd.password().toCharArray(), KnownHosts.EMPTY, null, false, null)));
                assertEquals(Problem.UNKNOWN_HOSTKEY, e.problem(), e.getMessage());
            }
        }
    }

    static SshConnector passwordConnector(Path globalKnownHosts) {
        return new SshConnector(SshSettings.defaults(Map.of()).withGlobalKnownHosts(globalKnownHosts)
                .withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(30)),
                new HostAccessPolicy(List.of("*:*"), List.of()));
    }

    /** The certificate names the inventory name only: trusted when the login knows the host by that name too. */
    @Test
    void aCertificateForTheInventoryNameIsTrustedForThatName() throws Exception {
        SshdTarget sshd = serverWithCertificate(hostCa, "web-1", "-5m:+1h");
        try (SshConnector c = connector()) {
            KnownHosts byName = caLine("web-1", sshd.port(), hostCa).alsoNaming("web-1");
            c.connect(target(sshd), new KeyLogin(sshd.user(), userKey, byName)).get(60, TimeUnit.SECONDS)
                    .session().close();
            // the same certificate for a login that knows the host only by its address: not its certificate
            ProblemException e = failure(c.connect(target(sshd), new KeyLogin(sshd.user(), userKey,
                    caLine("127.0.0.1", sshd.port(), hostCa))));
            assertEquals(Problem.INVALID_HOSTKEY, e.problem(), e.getMessage());
        }
    }

    @Test
    void anExpiredCertificateIsRefused() throws Exception {
        SshdTarget sshd = serverWithCertificate(hostCa, "127.0.0.1", "20200101:20200102");
        try (SshConnector c = connector()) {
            ProblemException e = failure(c.connect(target(sshd), new KeyLogin(sshd.user(), userKey,
                    caLine("127.0.0.1", sshd.port(), hostCa))));
            assertEquals(Problem.INVALID_HOSTKEY, e.problem(), e.getMessage());
        }
    }

    @Test
    void aCertificateThatNamesNoHostIsRefused() throws Exception {
        SshdTarget sshd = serverWithCertificate(hostCa, null, "-5m:+1h");
        try (SshConnector c = connector()) {
            ProblemException e = failure(c.connect(target(sshd), new KeyLogin(sshd.user(), userKey,
                    caLine("127.0.0.1", sshd.port(), hostCa))));
            assertEquals(Problem.INVALID_HOSTKEY, e.problem(), e.getMessage());
        }
    }

    /** A CA that no line names vouches for nothing: the certified key counts as a plain, unknown key. */
    @Test
    void aCertificateOfAnotherCaIsJustAnUnknownKey() throws Exception {
        SshdTarget sshd = serverWithCertificate(otherCa, "127.0.0.1", "-5m:+1h");
        try (SshConnector c = connector()) {
            ProblemException e = failure(c.connect(target(sshd), new KeyLogin(sshd.user(), userKey,
                    caLine("127.0.0.1", sshd.port(), hostCa))));
            assertEquals(Problem.UNKNOWN_HOSTKEY, e.problem(), e.getMessage());
            // listed as a plain key, the certified key is known
            KnownHosts plain = caLine("127.0.0.1", sshd.port(), hostCa).plus(KnownHosts.parse(
                    KnownHosts.line(target(sshd), sshd.hostPublicKey("ed25519"))));
            c.connect(target(sshd), new KeyLogin(sshd.user(), userKey, plain)).get(60, TimeUnit.SECONDS)
                    .session().close();
        }
    }

    /** A pinned key decides alone: a host CA does not widen it. */
    @Test
    void aPinnedKeyWinsOverTheHostCa() throws Exception {
        SshdTarget sshd = serverWithCertificate(hostCa, "127.0.0.1", "-5m:+1h");
        try (SshConnector c = connector()) {
            KeyPair otherHostKey = KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
            KnownHosts pinnedElsewhere = KnownHosts.pinned(target(sshd), otherHostKey.getPublic())
                    .plus(caLine("127.0.0.1", sshd.port(), hostCa));
            ProblemException e = failure(c.connect(target(sshd), new KeyLogin(sshd.user(), userKey,
                    pinnedElsewhere)));
            assertEquals(Problem.INVALID_HOSTKEY, e.problem(), e.getMessage());
            KnownHosts pinnedRight = KnownHosts.pinned(target(sshd), sshd.hostPublicKey("ed25519"));
            c.connect(target(sshd), new KeyLogin(sshd.user(), userKey, pinnedRight)).get(60, TimeUnit.SECONDS)
                    .session().close();
        }
    }
}
