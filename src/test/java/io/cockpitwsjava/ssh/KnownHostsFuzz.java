package io.cockpitwsjava.ssh;

import io.cockpitwsjava.protocol.HostTarget;
import static io.cockpitwsjava.fuzz.FuzzFinding.check;
import static io.cockpitwsjava.fuzz.FuzzFinding.checkEqual;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;

import io.cockpitwsjava.fuzz.FuzzInput;

/**
 * Fuzz harness for {@link KnownHosts#parseUntrusted} (the lines a browser sends, before any authentication): input = text mode byte + known_hosts text, optionally followed by a
 * separator and a destination. Documented behaviour: never throws, bad lines are skipped. Properties: at most one
 * usable line per input line (and at most 10 000), the usable lines parse again to themselves, lookups never throw
 * and only return lines the set holds, and the line the gateway writes for an accepted key makes that key trusted
 * for that destination.
 */
public final class KnownHostsFuzz {

    static final PublicKey KEY;
    static final PublicKey OTHER_KEY;
    static final String KEY_ENTRY;

    static {
        try {
            KEY = KeyUtils.generateKeyPair("ssh-ed25519", 256).getPublic();
            OTHER_KEY = KeyUtils.generateKeyPair("ssh-ed25519", 256).getPublic();
            KEY_ENTRY = PublicKeyEntry.toString(KEY);
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final List<HostTarget> FIXED = List.of(HostTarget.parse("localhost"),
            HostTarget.parse("127.0.0.1:2222"), HostTarget.parse("[::1]"), HostTarget.parse("User@Server.Example"));

    private KnownHostsFuzz() {
    }

    public static void fuzzerTestOneInput(byte[] data) {
        List<String> parts = new FuzzInput(data).parts();
        String text = parts.get(0);
        KnownHosts kh = KnownHosts.parseUntrusted(text);
        int inputLines = text.split("\r?\n|\r", -1).length;
        check(kh.size() <= inputLines && kh.size() <= 10_000, kh.size() + " usable lines from " + inputLines);
        String usable = kh.text();
        checkEqual(usable, KnownHosts.parseUntrusted(usable).text(), "usable lines parsed again");
        checkEqual(kh.size(), KnownHosts.parseUntrusted(usable).size(), "usable line count parsed again");

        List<HostTarget> targets = new ArrayList<>(FIXED);
        for (String line : text.split("\n", 4)) {
            String first = line.strip().split("[ ,]", 2)[0];
            addIfParses(targets, first);
        }
        HostTarget destination = parts.size() > 1 ? parseOrNull(parts.get(1)) : null;
        if (destination != null) {
            targets.add(destination);
        }
        Set<String> lines = new java.util.HashSet<>(List.of(usable.split("\n")));
        for (HostTarget t : targets) {
            HostKeyStatus status = kh.check(t, KEY);
            check(status != null, "null status");
            kh.keyTypesFor(t);
            for (String l : kh.linesFor(t).split("\n")) {
                check(l.isEmpty() || lines.contains(l), "linesFor returned a line the set does not hold");
            }
        }
        if (destination != null) {
            KnownHosts accepted = KnownHosts.parse(KnownHosts.line(destination, KEY));
            checkEqual(HostKeyStatus.TRUSTED, accepted.check(destination, KEY), "status of the key accepted for "
                    + destination);
            checkEqual(HostKeyStatus.CHANGED, accepted.check(destination, OTHER_KEY), "status of another key for "
                    + destination);
            checkEqual(Set.of("ssh-ed25519"), accepted.keyTypesFor(destination), "key types for " + destination);
        }
    }

    private static void addIfParses(List<HostTarget> targets, String spec) {
        HostTarget t = parseOrNull(spec);
        if (t != null) {
            targets.add(t);
        }
    }

    private static HostTarget parseOrNull(String spec) {
        try {
            return HostTarget.parse(spec);
        } catch (IllegalArgumentException e) {
            return null; // not a destination: nothing to look up
        }
    }

    /** A known_hosts text of assorted line kinds, some broken, and sometimes a destination. */
    public static byte[] generate(Random r) {
        String[] hosts = {"localhost", "127.0.0.1", "[127.0.0.1]:2222", "server.example", "SERVER.example", "::1",
                "[::1]:22", "*.example", "!bad.example", "host?", "[fe80::1%eth0]:2200", "a,b,c"};
        StringBuilder b = new StringBuilder();
        int n = r.nextInt(6);
        for (int i = 0; i < n; i++) {
            String host = hosts[r.nextInt(hosts.length)];
            String key = r.nextInt(5) == 0 ? "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" : KEY_ENTRY;
            String line = switch (r.nextInt(9)) {
                case 0 -> "@revoked " + host + " " + key;
                case 1 -> "@cert-authority " + host + " " + key;
                case 2 -> hashed(host, r) + " " + key;
                case 3 -> "# " + host;
                case 4 -> host + " ssh-unknown AAAAB3Nz";
                case 5 -> host + "," + hosts[r.nextInt(hosts.length)] + " " + key + " comment";
                case 6 -> host;
                default -> host + " " + key;
            };
            b.append(line).append(r.nextInt(4) == 0 ? "\r\n" : "\n");
        }
        List<String> parts = new ArrayList<>(List.of(b.toString()));
        if (r.nextBoolean()) {
            String[] dest = {"localhost", "server.example:2222", "Server.Example", "[::1]:2222", "u@127.0.0.1",
                    "fe80::1%eth0", "_h", "a-b.c"};
            parts.add(dest[r.nextInt(dest.length)]);
        }
        return new FuzzInput.Builder().parts(parts).build();
    }

    private static String hashed(String host, Random r) {
        try {
            byte[] salt = new byte[20];
            r.nextBytes(salt);
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(salt, "HmacSHA1"));
            byte[] hash = mac.doFinal(host.getBytes(StandardCharsets.UTF_8));
            return "|1|" + Base64.getEncoder().encodeToString(salt) + "|" + Base64.getEncoder().encodeToString(hash);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static final List<String> DICTIONARY = List.of("@revoked ", "@cert-authority ", "|1|", "[", "]:", ",", "!",
            "*", "?", " ssh-ed25519 ", " ecdsa-sha2-nistp256 ", " ssh-rsa ", "AAAA", "#", "\r\n");
}
