package io.cockpitwsjava.beiboot;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Why a bridge could not be started, as a Cockpit problem (spec beiboot §12, WS §5.8).
 *
 * @param problem     the problem code as on the wire, e.g. {@code no-cockpit}, {@code internal-error}
 * @param message     human-readable detail, or {@code null}
 * @param extraFields further fields of the init-style failure, e.g. {@code unsupported}; never null
 */
public record BootFailure(String problem, String message, Map<String, Object> extraFields) {

    public static final String NO_COCKPIT = "no-cockpit";
    public static final String INTERNAL_ERROR = "internal-error";
    public static final String ACCESS_DENIED = "access-denied";
    public static final String TERMINATED = "terminated";

    public BootFailure {
        if (problem == null || problem.isEmpty()) {
            throw new IllegalArgumentException("problem required");
        }
        extraFields = extraFields == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extraFields));
    }

    public static BootFailure of(String problem, String message) {
        return new BootFailure(problem, message, Map.of());
    }
}
