package io.cockpitwsjava.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.cockpitwsjava.identity.Identity;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CertificateSignerTest {

    static final Instant NOW = Instant.parse("2026-03-04T05:06:07Z");

    @TempDir
    static Path dir;
    static UserCaKey ca;

    @BeforeAll
    static void caKey() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/ssh-keygen")),
                "these tests check certificates with OpenSSH's ssh-keygen, which is not installed");
        ca = UserCaKey.load(OpenSshTools.newCaKey(dir, "ed25519"));
    }

    static CertificateSigner signer() {
        return new CertificateSigner(ca, Duration.ofMinutes(5), Duration.ofMinutes(1), Clock.fixed(NOW, ZoneOffset.UTC),
                new SecureRandom());
    }

    @Test
    void loginCertificateCarriesOnePrincipalTheIdentityAndNoExtensions() throws Exception {
        UserCertificate c = signer().sign(CertificateRequest.login(Identity.of("alice", "ops"), "cloud-user"));

        OpenSshCertificate cert = c.certificate();
        assertEquals(OpenSshCertificate.Type.USER, cert.getType());
        assertEquals("ecdsa-sha2-nistp256-cert-v01@openssh.com", cert.getKeyType());
        assertEquals(List.of("cloud-user"), List.copyOf(cert.getPrincipals()));
        assertEquals("alice", cert.getId());
        assertEquals(c.serial(), cert.getSerial());
        assertEquals(NOW.minusSeconds(60).getEpochSecond(), cert.getValidAfter());
        assertEquals(NOW.plusSeconds(300).getEpochSecond(), cert.getValidBefore());
        assertEquals(Map.of(), cert.getExtensionsMap());
        assertEquals(Map.of(), cert.getCriticalOptionsMap());
        assertEquals(NOW.minusSeconds(60), c.validAfter());
        assertEquals(NOW.plusSeconds(300), c.validBefore());

        // OpenSSH's own reading of it (ssh-keygen verifies the CA signature while parsing)
        OpenSshTools.writeForOpenSsh(dir, "login", c);
        String described = OpenSshTools.describe(dir.resolve("login-cert.pub"));
        assertTrue(described.contains("Type: ecdsa-sha2-nistp256-cert-v01@openssh.com user certificate"), described);
        assertTrue(described.contains("Signing CA: ED25519 " + ca.fingerprint()), described);
        assertTrue(described.contains("Key ID: \"alice\""), described);
        assertTrue(described.contains("Serial: " + c.serialText()), described);
        assertTrue(described.contains("Valid: from 2026-03-04T05:05:07 to 2026-03-04T05:11:07"), described);
        assertTrue(described.matches("(?s).*Principals: *\n\\s+cloud-user\n\\s+Critical Options: \\(none\\)\n"
                + "\\s+Extensions: \\(none\\).*"), described);
    }

    @Test
    void probeCertificateForcesItsCommand() throws Exception {
        UserCertificate c = signer().sign(CertificateRequest.probe("cloud-user", "cat /proc/loadavg"));
        assertEquals(Map.of("force-command", "cat /proc/loadavg"), c.certificate().getCriticalOptionsMap());
        assertEquals(CertificateRequest.PROBE_KEY_ID, c.certificate().getId());
        OpenSshTools.writeForOpenSsh(dir, "probe", c);
        String described = OpenSshTools.describe(dir.resolve("probe-cert.pub"));
        assertTrue(described.matches("(?s).*Critical Options: *\n\\s+force-command cat /proc/loadavg\n.*"), described);
    }

    @Test
    void everyCertificateHasItsOwnKeyAndSerial() throws Exception {
        CertificateSigner s = signer();
        Set<Long> serials = new HashSet<>();
        Set<Object> keys = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            UserCertificate c = s.sign(CertificateRequest.login(Identity.of("alice"), "cloud-user"));
            assertNotEquals(0, c.serial());
            serials.add(c.serial());
            keys.add(c.certificate().getCertPubKey());
        }
        assertEquals(200, serials.size());
        assertEquals(200, keys.size());
    }

    @Test
    void serialZeroIsNeverUsed() throws Exception {
        SecureRandom zeroFirst = new SecureRandom() {
            private int calls;

            @Override
            public long nextLong() {
                return calls++ == 0 ? 0 : 42;
            }
        };
        CertificateSigner s = new CertificateSigner(ca, Duration.ofMinutes(5), Duration.ZERO,
                Clock.fixed(NOW, ZoneOffset.UTC), zeroFirst);
        assertEquals(42, s.sign(CertificateRequest.login(Identity.of("alice"), "u")).serial());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ecdsa", "rsa"})
    void otherCaKeyTypesSignToo(String type) throws Exception {
        UserCaKey other = UserCaKey.load(OpenSshTools.newCaKey(dir, type));
        UserCertificate c = new CertificateSigner(other, Duration.ofMinutes(5), Duration.ZERO)
                .sign(CertificateRequest.login(Identity.of("bob"), "cloud-user"));
        OpenSshTools.writeForOpenSsh(dir, "other-" + type, c);
        String described = OpenSshTools.describe(dir.resolve("other-" + type + "-cert.pub"));
        assertTrue(described.contains("Signing CA: " + (type.equals("rsa") ? "RSA " : "ECDSA ") + other.fingerprint()
                + (type.equals("rsa") ? " (using rsa-sha2-512)" : "")), described);
    }

    @Test
    void keyIdsStayPrintableAndUnambiguous() {
        assertEquals("alice", CertificateRequest.keyId(Identity.of("alice")));
        assertEquals("alice@example.com", CertificateRequest.keyId(Identity.of("alice@example.com")));
        assertEquals("J%C3%BCrgen%20M%C3%BCller", CertificateRequest.keyId(Identity.of("Jürgen Müller")));
        assertEquals("100%25", CertificateRequest.keyId(Identity.of("100%")));
        // quotes and backslashes would confuse whoever parses the VMs' logs
        assertEquals("a%22b%5Cc", CertificateRequest.keyId(Identity.of("a\"b\\c")));
    }

    @Test
    void requestsAreChecked() {
        Identity alice = Identity.of("alice");
        // an empty principal list would make the certificate valid for every account
        assertThrows(IllegalArgumentException.class, () -> CertificateRequest.login(alice, ""));
        assertThrows(IllegalArgumentException.class, () -> CertificateRequest.login(alice, "root,admin"));
        assertThrows(IllegalArgumentException.class, () -> new CertificateRequest("u", "a b", Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> CertificateRequest.probe("u", "uptime\nrm -rf /"));
        assertThrows(IllegalArgumentException.class,
                () -> new CertificateSigner(ca, Duration.ofHours(2), Duration.ZERO));
        assertThrows(IllegalArgumentException.class,
                () -> new CertificateSigner(ca, Duration.ofMinutes(5), Duration.ofMinutes(-1)));
    }

    @Test
    void printsNoKeyMaterial() throws Exception {
        UserCertificate c = signer().sign(CertificateRequest.login(Identity.of("alice"), "cloud-user"));
        String text = c + " " + ca;
        assertTrue(text.contains("serial " + c.serialText()), text);
        assertTrue(!text.contains("BEGIN") && !text.contains("PRIVATE") && !text.contains("AAAA"), text);
    }

    @Test
    void refusesEncryptedAndBrokenKeyFiles() throws Exception {
        Path encrypted = dir.resolve("encrypted_ca");
        OpenSshTools.run(Map.of(), "ssh-keygen", "-q", "-t", "ed25519", "-N", "secret-passphrase", "-f",
                encrypted.toString());
        Exception e = assertThrows(Exception.class, () -> UserCaKey.load(encrypted));
        assertTrue(e.getMessage().contains("encrypted"), e::toString);
        assertTrue(!e.getMessage().contains("secret-passphrase"));

        Path garbage = Files.writeString(dir.resolve("garbage"), "not a key\n");
        assertThrows(GeneralSecurityException.class, () -> UserCaKey.load(garbage));

        Path publicOnly = dir.resolve("user_ca_ed25519.pub");
        assertThrows(GeneralSecurityException.class, () -> UserCaKey.load(publicOnly));
    }

    @Test
    void warnsWhenOthersCanReadTheKey() throws Exception {
        Path key = OpenSshTools.newCaKey(Files.createTempDirectory(dir, "mode"), "ed25519");
        assertEquals(Optional.empty(), UserCaKey.permissionWarning(key));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        String warning = UserCaKey.permissionWarning(key).orElseThrow();
        assertTrue(warning.contains("rw-r--r--") && warning.contains(key.toString()), warning);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));
        int group = (Integer) Files.getAttribute(key, "unix:gid");
        assertTrue(UserCaKey.permissionWarning(key, Set.of(group + 1)).isPresent(), "readable by a group not ours");
        assertTrue(UserCaKey.permissionWarning(key, Set.of()).orElseThrow().contains("its group"));
        // Kubernetes with fsGroup: the Secret's files are group-readable by the pod's own group
        assertEquals(Optional.empty(), UserCaKey.permissionWarning(key, Set.of(group)));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("r--r--r--"));
        assertTrue(UserCaKey.permissionWarning(key, Set.of(group)).orElseThrow().contains("others"),
                "readable by everyone: a warning whatever the group");
    }

    @Test
    void gatewayGroupsFromProcStatus() throws Exception {
        String status = "Name:\tjava\nUid:\t10001\t10001\t10001\t10001\nGid:\t10001\t10001\t10001\t10001\n"
                + "FDSize:\t256\nGroups:\t10001 20002 \nNSpid:\t1\n";
        assertEquals(Set.of(10001, 20002), UserCaKey.groupsFromStatus(status));
        assertEquals(Set.of(0), UserCaKey.groupsFromStatus("Gid:\t0\t0\t0\t0\nGroups:\t\n"));
        // this process: a file it creates gets its effective group (no setgid directory here)
        Path mine = Files.createTempFile(dir, "group", "");
        assertTrue(UserCaKey.ownGroups().contains((Integer) Files.getAttribute(mine, "unix:gid")),
                UserCaKey.ownGroups().toString());
    }
}
