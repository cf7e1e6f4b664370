package io.cockpitwsjava.beiboot;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import io.cockpitwsjava.protocol.Problem;

/**
 * Why a bridge could not be started, as a Cockpit problem (docs/beiboot.md §12, docs/protocol.md §5.8).
 *
 * @param problem     the problem, e.g. {@code no-cockpit}, {@code internal-error}
 * @param message     human-readable detail, or {@code null}
 * @param extraFields further fields of the init-style failure, e.g. {@code unsupported}; never null
 */
public record BootFailure(Problem problem, String message, Map<String, Object> extraFields) {

    public BootFailure {
        if (problem == null) {
            throw new IllegalArgumentException("problem required");
        }
        extraFields = extraFields == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extraFields));
    }

    public static BootFailure of(Problem problem, String message) {
        return new BootFailure(problem, message, Map.of());
    }
}
