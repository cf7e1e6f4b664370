package io.cockpitwsjava.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

/**
 * Cockpit's {@code cockpit.conf} (INI-like): sections and keys are case-insensitive, later files and
 * later lines win, and any malformed line invalidates its whole file (as upstream's reader does).
 */
public final class CockpitConf {
    private static final Logger LOG = Logger.getLogger(CockpitConf.class);
    private static final Pattern SECTION = Pattern.compile("^\\[([^\\]]+)]\\s*$");
    private static final Pattern ENTRY = Pattern.compile("^([A-Za-z0-9-]+)\\s*=\\s*(.*)$");

    private final Map<String, Map<String, String>> sections;

    private CockpitConf(Map<String, Map<String, String>> sections) {
        this.sections = sections;
    }

    /** An empty configuration. */
    public static CockpitConf empty() {
        return new CockpitConf(new HashMap<>());
    }

    /** Reads the files in order; missing files are skipped, invalid ones ignored whole. */
    public static CockpitConf load(List<Path> files) {
        Map<String, Map<String, String>> merged = new HashMap<>();
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                continue;
            }
            try {
                parseInto(Files.readString(file, StandardCharsets.UTF_8), merged, file.toString());
            } catch (IOException e) {
                LOG.warnf("cannot read %s: %s", file, e.getMessage());
            }
        }
        return new CockpitConf(merged);
    }

    /** Parses one file's text. */
    public static CockpitConf parse(String text) {
        Map<String, Map<String, String>> merged = new HashMap<>();
        parseInto(text, merged, "<text>");
        return new CockpitConf(merged);
    }

    /** The files Cockpit reads: {@code /etc/cockpit/cockpit.conf}, then each {@code $XDG_CONFIG_DIRS/cockpit/cockpit.conf}. */
    public static List<Path> defaultFiles(Map<String, String> env) {
        List<Path> files = new ArrayList<>();
        files.add(Path.of("/etc/cockpit/cockpit.conf"));
        String xdg = env.get("XDG_CONFIG_DIRS");
        if (xdg != null) {
            for (String dir : xdg.split(":")) {
                if (!dir.isBlank()) {
                    files.add(Path.of(dir, "cockpit", "cockpit.conf"));
                }
            }
        }
        return files;
    }

    private static void parseInto(String text, Map<String, Map<String, String>> merged, String origin) {
        Map<String, Map<String, String>> file = new HashMap<>();
        String section = null;
        for (String raw : text.split("\n", -1)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SECTION.matcher(line);
            if (m.matches()) {
                section = m.group(1).strip().toLowerCase(Locale.ROOT);
                continue;
            }
            m = ENTRY.matcher(line);
            if (m.matches() && section != null) {
                file.computeIfAbsent(section, k -> new HashMap<>()).put(m.group(1).toLowerCase(Locale.ROOT), m.group(2));
                continue;
            }
            LOG.warnf("ignoring %s: invalid line %s", origin, line.length() > 60 ? line.substring(0, 60) : line);
            return;
        }
        file.forEach((name, values) -> merged.computeIfAbsent(name, k -> new HashMap<>()).putAll(values));
    }

    /** The raw value, trailing white space trimmed. */
    public Optional<String> get(String section, String key) {
        Map<String, String> s = sections.get(section.toLowerCase(Locale.ROOT));
        if (s == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(s.get(key.toLowerCase(Locale.ROOT))).map(String::stripTrailing);
    }

    /** Cockpit booleans: yes, true or 1 (any case) are true; anything else is false. */
    public Optional<Boolean> bool(String section, String key) {
        return get(section, key).map(v -> v.equalsIgnoreCase("yes") || v.equalsIgnoreCase("true") || v.equals("1"));
    }

    /**
     * Unsigned option clamped into [min, max]; garbage gives empty (caller's default). A negative number is a
     * number, not garbage: upstream parses with strtoll and clamps it up to {@code min}.
     */
    public Optional<Integer> unsigned(String section, String key, int min, int max) {
        return get(section, key).flatMap(v -> {
            try {
                long n = Long.parseLong(v.strip());
                return Optional.of((int) Math.max(min, Math.min(max, n)));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }
}
