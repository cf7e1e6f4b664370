package io.cockpitwsjava.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.cockpitwsjava.testing.SshdTarget;

/**
 * What the SSH connections of each gateway negotiated, seen from the target side, so it is the same measurement for
 * both gateways: the sshd targets run with {@code LogLevel DEBUG1}, which logs every connection's key exchange,
 * host key algorithm, ciphers and MACs. The lines each gateway caused are the ones written while it ran (gateways
 * run one after the other); they are counted per distinct value.
 */
final class SshAlgorithms {
    private static final Pattern LINE = Pattern.compile(
            "kex: (algorithm|host key algorithm|client->server cipher|server->client cipher): (.*)$");
    private final List<SshdTarget> targets;
    /** label → "what: value" → connections. */
    private final Map<String, Map<String, Integer>> seen = new LinkedHashMap<>();

    SshAlgorithms(List<SshdTarget> targets) {
        this.targets = targets;
    }

    /** Where the targets' logs end now. */
    long[] mark() {
        long[] at = new long[targets.size()];
        for (int i = 0; i < at.length; i++) {
            at[i] = log(targets.get(i)).toFile().length();
        }
        return at;
    }

    /** Counts what was logged since {@code mark} for {@code label}. */
    void collect(long[] mark, String label) {
        Map<String, Integer> counts = seen.computeIfAbsent(label, l -> new TreeMap<>());
        for (int i = 0; i < mark.length; i++) {
            count(since(log(targets.get(i)), mark[i]), counts);
        }
    }

    /** Adds the negotiated algorithms in sshd's DEBUG1 {@code log} text to {@code counts} ("what value" → lines). */
    static void count(String log, Map<String, Integer> counts) {
        for (String line : log.split("\n")) {
            Matcher m = LINE.matcher(line.strip());
            if (m.find()) {
                String what = switch (m.group(1)) {
                    case "algorithm" -> "kex";
                    case "host key algorithm" -> "host key";
                    case "client->server cipher" -> "client→server";
                    default -> "server→client";
                };
                String value = m.group(2).replace("[preauth]", "").replace("compression: none", "").strip();
                counts.merge(what + " " + value, 1, Integer::sum);
            }
        }
    }

    /** e.g. {@code kex curve25519-sha256 ×40; client→server aes128-gcm@openssh.com MAC: <implicit> ×40; …}. */
    String describe(String label) {
        Map<String, Integer> counts = seen.get(label);
        if (counts == null || counts.isEmpty()) {
            return "(no SSH connection to the sshd targets seen)";
        }
        StringJoiner j = new StringJoiner("; ");
        counts.forEach((k, n) -> j.add(k + " ×" + n));
        return j.toString();
    }

    private static Path log(SshdTarget t) {
        return t.directory().resolve("sshd.log");
    }

    private static String since(Path file, long offset) {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long length = f.length();
            if (length <= offset) {
                return "";
            }
            byte[] b = new byte[(int) Math.min(Integer.MAX_VALUE - 8, length - offset)];
            f.seek(offset);
            f.readFully(b);
            return new String(b, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
