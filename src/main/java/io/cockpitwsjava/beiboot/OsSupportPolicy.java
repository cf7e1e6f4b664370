package io.cockpitwsjava.beiboot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.jboss.logging.Logger;

/**
 * Decides whether a target without an installed bridge may be beibooted in {@code supported} mode (docs/beiboot.md §7.2).
 *
 * <p>A target is accepted if any entry of the supported list matches its os-release (every key of the entry equals
 * the target's value; a {@code null} value means the key must be absent), or if its {@code ID} and
 * {@code VERSION_ID} equal the gateway's own.
 */
public final class OsSupportPolicy {

    private static final Logger LOG = Logger.getLogger(OsSupportPolicy.class);

    /** Upstream's list of operating systems its CI tests beibooting onto ({@code cockpit/osinfo.py}). */
    public static final List<Map<String, String>> UPSTREAM_SUPPORTED = List.of(
            entry("ID", "arch", "VERSION_ID", null),
            entry("ID", "centos", "PLATFORM_ID", "platform:el9"),
            entry("ID", "centos", "PLATFORM_ID", "platform:el10"),
            entry("PLATFORM_ID", "platform:el8"),
            entry("PLATFORM_ID", "platform:el9"),
            entry("PLATFORM_ID", "platform:el10"),
            entry("ID", "debian", "VERSION_ID", "12"),
            entry("ID", "debian", "VERSION_ID", "13"),
            entry("ID", "debian", "VERSION_ID", null),
            entry("ID", "fedora", "VERSION_ID", "42"),
            entry("ID", "fedora", "VERSION_ID", "43"),
            entry("ID", "fedora", "VERSION_ID", "44"),
            entry("ID", "ubuntu", "VERSION_ID", "24.04"),
            entry("ID", "ubuntu", "VERSION_ID", "25.10"),
            entry("ID", "ubuntu", "VERSION_ID", "26.04"));

    private final List<Map<String, String>> supported;
    private final Map<String, String> gatewayOsRelease;

    /**
     * @param supported        entries of os-release keys to values ({@code null} = key absent)
     * @param gatewayOsRelease the gateway's own parsed os-release; empty if unknown, which (like upstream when it
     *                         cannot read its own file) skips the check for targets not on the list
     */
    public OsSupportPolicy(List<Map<String, String>> supported, Map<String, String> gatewayOsRelease) {
        List<Map<String, String>> copy = new ArrayList<>();
        for (Map<String, String> e : supported) {
            copy.add(Collections.unmodifiableMap(new LinkedHashMap<>(e)));
        }
        this.supported = List.copyOf(copy);
        this.gatewayOsRelease = Map.copyOf(gatewayOsRelease);
    }

    /** The upstream list plus "same OS as the gateway". */
    public static OsSupportPolicy defaults(Map<String, String> gatewayOsRelease) {
        return new OsSupportPolicy(UPSTREAM_SUPPORTED, gatewayOsRelease);
    }

    /** {@link #defaults(Map)} with the gateway's {@code /etc/os-release} (empty if unreadable). */
    public static OsSupportPolicy defaultsForThisHost() {
        return defaults(readOsRelease(Path.of("/etc/os-release")));
    }

    /** Parses an os-release file, empty map if it cannot be read. */
    public static Map<String, String> readOsRelease(Path path) {
        try {
            return parseOsRelease(Files.readString(path));
        } catch (IOException | RuntimeException e) {
            LOG.warnf("cannot read %s, skipping the same-OS comparison: %s", path, e.getMessage());
            return Map.of();
        }
    }

    /**
     * Returns the {@code unsupported} description ({@code "<NAME or ID or ?> <VERSION_ID>"}) if the target OS must
     * not be beibooted, empty if it may.
     */
    public Optional<String> refusal(String osReleaseText) {
        Map<String, String> target = parseOsRelease(osReleaseText);
        for (Map<String, String> entry : supported) {
            if (matches(entry, target)) {
                return Optional.empty();
            }
        }
        if (gatewayOsRelease.isEmpty()) {
            return Optional.empty();
        }
        if (Objects.equals(target.get("ID"), gatewayOsRelease.get("ID"))
                && Objects.equals(target.get("VERSION_ID"), gatewayOsRelease.get("VERSION_ID"))) {
            return Optional.empty();
        }
        String name = target.getOrDefault("NAME", target.getOrDefault("ID", "?"));
        return Optional.of(name + " " + target.getOrDefault("VERSION_ID", ""));
    }

    private static boolean matches(Map<String, String> entry, Map<String, String> target) {
        for (Map.Entry<String, String> e : entry.entrySet()) {
            if (!Objects.equals(target.get(e.getKey()), e.getValue())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses os-release text: {@code KEY=VALUE} lines, blank and {@code #} lines skipped, the value shell-unquoted
     * and required to be exactly one word; other lines are ignored.
     */
    public static Map<String, String> parseOsRelease(String text) {
        Map<String, String> result = new LinkedHashMap<>();
        for (String rawLine : text.split("\n")) {
            String line = rawLine.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                LOG.debugf("ignoring invalid os-release line: %s", line);
                continue;
            }
            List<String> words = ShellWords.split(line.substring(eq + 1));
            if (words == null || words.size() != 1) {
                LOG.debugf("ignoring invalid os-release line: %s", line);
                continue;
            }
            result.put(line.substring(0, eq), words.get(0));
        }
        return result;
    }

    private static Map<String, String> entry(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }

    /** POSIX shell word splitting with quote removal (no expansions), as Python's {@code shlex.split}. */
    static final class ShellWords {
        private ShellWords() {
        }

        /** The words, or {@code null} for unbalanced quotes or a trailing backslash. */
        static List<String> split(String s) {
            List<String> words = new ArrayList<>();
            StringBuilder word = new StringBuilder();
            boolean inWord = false;
            int i = 0;
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                    if (inWord) {
                        words.add(word.toString());
                        word.setLength(0);
                        inWord = false;
                    }
                } else if (c == '\'') {
                    int close = s.indexOf('\'', i);
                    if (close < 0) {
                        return null;
                    }
                    word.append(s, i, close);
                    i = close + 1;
                    inWord = true;
                } else if (c == '"') {
                    inWord = true;
                    while (true) {
                        if (i >= s.length()) {
                            return null;
                        }
                        char d = s.charAt(i++);
                        if (d == '"') {
                            break;
                        }
                        if (d == '\\' && i < s.length() && "\\\"$`\n".indexOf(s.charAt(i)) >= 0) {
                            d = s.charAt(i++);
                        }
                        word.append(d);
                    }
                } else if (c == '\\') {
                    if (i >= s.length()) {
                        return null;
                    }
                    word.append(s.charAt(i++));
                    inWord = true;
                } else {
                    word.append(c);
                    inWord = true;
                }
            }
            if (inWord) {
                words.add(word.toString());
            }
            return words;
        }
    }
}
