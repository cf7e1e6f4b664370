package io.cockpitwsjava.ssh;

import io.cockpitwsjava.protocol.HostTarget;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;

import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Known-hosts parsing and matching, with keys and hashed lines made by the real {@code ssh-keygen}. */
class KnownHostsTest {

    @TempDir
    static Path dir;
    static String ed;      // "ssh-ed25519 AAAA..."
    static String ecdsa;
    static String other;   // a second ed25519 key
    static PublicKey edKey;
    static PublicKey ecdsaKey;
    static PublicKey otherKey;

    static final HostTarget HOST = HostTarget.parse("server.example");
    static final HostTarget HOST_2222 = HostTarget.parse("server.example:2222");

    @BeforeAll
    static void keys() throws Exception {
        ed = keygen("ed25519", "a");
        ecdsa = keygen("ecdsa", "b");
        other = keygen("ed25519", "c");
        edKey = key(ed);
        ecdsaKey = key(ecdsa);
        otherKey = key(other);
    }

    @Test
    void plainLineTrustsOnlyItsKeyOnPort22() {
        KnownHosts k = KnownHosts.parse("server.example " + ed + "\n");
        assertEquals(HostKeyStatus.TRUSTED, k.check(HOST, edKey));
        assertEquals(HostKeyStatus.CHANGED, k.check(HOST, otherKey));
        assertEquals(HostKeyStatus.CHANGED, k.check(HOST, ecdsaKey), "host known, key not: changed (docs/protocol.md §5.6.4)");
        assertEquals(HostKeyStatus.UNKNOWN, k.check(HOST_2222, edKey), "a plain name means port 22");
        assertEquals(HostKeyStatus.UNKNOWN, k.check(HostTarget.parse("other.example"), edKey));
        assertEquals(HostKeyStatus.TRUSTED, k.check(HostTarget.parse("SERVER.example"), edKey), "case-insensitive");
    }

    /**
     * Lines from a browser keep only the forms the gateway hands out: a line whose pattern has wildcards (MINA
     * matches those with backtracking regular expressions — 40 stars took an I/O thread for good, a fuzzing finding)
     * is dropped before anything matches it; the admin's own file may still use wildcards.
     */
    @Test
    void untrustedLinesWithWildcardsAreDroppedBeforeMatching() {
        String stars = "*".repeat(40) + "8 " + ed + "\n";
        KnownHosts untrusted = KnownHosts.parseUntrusted(stars + "server.example " + ed + "\n"
                + "!evil.example " + ed + "\n" + "serv?r.example " + ed + "\n" + "@revoked server.example " + other
                + "\n" + "a,b,c,d,e,f,g,h,i " + ed + "\n");
        assertEquals(1, untrusted.size(), untrusted.text());
        // were the starred line kept, this match would never end: the liveness bound turns that into a failure
        assertEquals(HostKeyStatus.UNKNOWN, org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                java.time.Duration.ofSeconds(20), () -> untrusted.check(HostTarget.parse("127.0.0.1"), edKey)));
        assertEquals(HostKeyStatus.TRUSTED, untrusted.check(HOST, edKey));
        assertEquals(HostKeyStatus.TRUSTED, KnownHosts.parseUntrusted("[server.example]:2222," + "h2 " + ed)
                .check(HOST_2222, edKey), "plain comma lists and brackets stay");
        assertEquals(HostKeyStatus.TRUSTED, KnownHosts.parse("*.example " + ed).check(HOST, edKey),
                "trusted files keep their wildcards");
    }

    @Test
    void bracketedPortLine() {
        KnownHosts k = KnownHosts.parse("[server.example]:2222 " + ed);
        assertEquals(HostKeyStatus.TRUSTED, k.check(HOST_2222, edKey));
        assertEquals(HostKeyStatus.UNKNOWN, k.check(HOST, edKey));
    }

    @Test
    void hashedLinesFromSshKeygen() throws Exception {
        Path file = dir.resolve("hashed_known_hosts");
        Files.writeString(file, "server.example " + ed + "\n[server.example]:2222 " + ecdsa + "\n");
        run("ssh-keygen", "-H", "-f", file.toString());
        String text = Files.readString(file);
        assertTrue(text.startsWith("|1|") && !text.contains("server.example"), text);

        KnownHosts k = KnownHosts.parse(text);
        assertEquals(2, k.size());
        assertEquals(HostKeyStatus.TRUSTED, k.check(HOST, edKey));
        assertEquals(HostKeyStatus.TRUSTED, k.check(HOST_2222, ecdsaKey));
        assertEquals(HostKeyStatus.CHANGED, k.check(HOST_2222, edKey));
        assertEquals(HostKeyStatus.UNKNOWN, k.check(HostTarget.parse("server.example:2200"), edKey));
        assertEquals(1, k.linesFor(HOST).lines().count(), "linesFor matches hashed lines too");
    }

    @Test
    void commaListsAndNegation() {
        KnownHosts k = KnownHosts.parse("*.example,!bad.example,10.0.0.1 " + ed);
        assertEquals(HostKeyStatus.TRUSTED, k.check(HOST, edKey));
        assertEquals(HostKeyStatus.TRUSTED, k.check(HostTarget.parse("10.0.0.1"), edKey));
        assertEquals(HostKeyStatus.UNKNOWN, k.check(HostTarget.parse("bad.example"), edKey));
    }

    @Test
    void revokedKeyIsChangedEvenIfAlsoListed() {
        KnownHosts k = KnownHosts.parse("server.example " + ed + "\n@revoked * " + ed + "\n");
        assertEquals(HostKeyStatus.CHANGED, k.check(HOST, edKey));
        // a revoked other key does not taint a trusted one
        KnownHosts k2 = KnownHosts.parse("server.example " + ed + "\n@revoked * " + other + "\n");
        assertEquals(HostKeyStatus.TRUSTED, k2.check(HOST, edKey));
        assertEquals(HostKeyStatus.CHANGED, k2.check(HOST, otherKey));
    }

    @Test
    void garbageAndCertAuthorityLinesAreIgnored() {
        String text = String.join("\n",
                "# comment",
                "",
                "garbage",
                "server.example ssh-ed25519 !!!notbase64",
                "server.example",
                "@cert-authority *.example " + ecdsa,
                "|1|broken|hash " + ed,
                "\u0000\u0001 binary",
                "server.example " + ed,
                "   ");
        KnownHosts k = KnownHosts.parse(text);
        assertEquals(HostKeyStatus.TRUSTED, k.check(HOST, edKey));
        assertEquals(HostKeyStatus.CHANGED, k.check(HOST, ecdsaKey), "the CA line must not trust anything");
        assertEquals("server.example " + ed + "\n", k.linesFor(HOST));
    }

    @Test
    void ipv6Hosts() {
        KnownHosts k = KnownHosts.parse("::1 " + ed + "\n[2001:db8::1]:2222 " + ecdsa);
        assertEquals(HostKeyStatus.TRUSTED, k.check(HostTarget.parse("::1"), edKey));
        assertEquals(HostKeyStatus.TRUSTED, k.check(HostTarget.parse("[2001:db8::1]:2222"), ecdsaKey));
        assertEquals(HostKeyStatus.UNKNOWN, k.check(HostTarget.parse("2001:db8::1"), ecdsaKey));
    }

    @Test
    void lineRoundTripsThroughParse() {
        for (HostTarget t : List.of(HOST, HOST_2222, HostTarget.parse("[::1]:2222"), HostTarget.parse("10.1.2.3"))) {
            String line = KnownHosts.line(t, edKey);
            assertEquals(t.knownHostsName() + " " + ed, line);
            assertEquals(HostKeyStatus.TRUSTED, KnownHosts.parse(line).check(t, edKey), line);
        }
    }

    @Test
    void plusAndLinesFor() {
        KnownHosts browser = KnownHosts.parse("server.example " + ed + "\nother.example " + ecdsa + "\n");
        KnownHosts global = KnownHosts.parse("[server.example]:2222 " + other);
        KnownHosts all = browser.plus(global);
        assertEquals(3, all.size());
        assertEquals(HostKeyStatus.TRUSTED, all.check(HOST_2222, otherKey));
        assertEquals("server.example " + ed + "\n", all.linesFor(HOST));
        assertEquals(Set("ssh-ed25519"), all.keyTypesFor(HOST));
    }

    @Test
    void loadMissingFileIsEmpty() throws IOException {
        assertTrue(KnownHosts.load(dir.resolve("does-not-exist")).isEmpty());
        assertTrue(KnownHosts.parse(null).isEmpty());
    }

    private static java.util.Set<String> Set(String... s) {
        return java.util.Set.of(s);
    }

    private static String keygen(String type, String name) throws Exception {
        Path f = dir.resolve("key_" + name);
        run("ssh-keygen", "-q", "-t", type, "-N", "", "-C", "", "-f", f.toString());
        String[] parts = Files.readString(Path.of(f + ".pub")).trim().split("\\s+");
        return parts[0] + " " + parts[1];
    }

    private static PublicKey key(String line) throws Exception {
        return PublicKeyEntry.parsePublicKeyEntry(line).resolvePublicKey(null, Map.of(), null);
    }

    static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
        return out;
    }
}
