package io.cockpitwsjava.packages;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code os-release} fields as ws reads them, for branding roots and CSS templating (docs/protocol.md §3.1). */
public final class OsRelease {

    /** The fields ws keeps from a bridge's {@code init} {@code os-release} object. */
    public static final List<String> FIELDS = List.of("NAME", "VERSION", "ID", "VERSION_ID", "PRETTY_NAME",
            "VARIANT", "VARIANT_ID", "CPE_NAME", "DOCUMENTATION_URL");

    private OsRelease() {
    }

    /** {@code KEY=value} lines; a value wrapped in double quotes loses them (no other unquoting, like ws). */
    public static Map<String, String> parse(String text) {
        Map<String, String> result = new LinkedHashMap<>();
        for (String line : text.split("\n", -1)) {
            int eq = line.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String value = line.substring(eq + 1);
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            result.put(line.substring(0, eq), value);
        }
        return result;
    }

    /** The gateway's own {@code /etc/os-release} (else {@code /usr/lib/os-release}); empty if neither is readable. */
    public static Map<String, String> loadLocal() {
        for (Path file : List.of(Path.of("/etc/os-release"), Path.of("/usr/lib/os-release"))) {
            try {
                return parse(Files.readString(file));
            } catch (NoSuchFileException e) {
                // try the fallback location
            } catch (IOException e) {
                return Map.of();
            }
        }
        return Map.of();
    }

    /** Only the {@link #FIELDS} with string values, as ws keeps them from a remote bridge's {@code init}. */
    public static Map<String, String> fromInit(Map<String, ?> osRelease) {
        Map<String, String> result = new LinkedHashMap<>();
        for (String field : FIELDS) {
            if (osRelease.get(field) instanceof String s) {
                result.put(field, s);
            }
        }
        return Collections.unmodifiableMap(result);
    }
}
