package io.cockpitwsjava.bridge;

import java.util.Map;

/** A bridge that could not start or ended: a Cockpit problem code plus details for the login JSON. */
public final class BridgeFailure extends Exception {
    private final String problem;
    private final Map<String, Object> fields;

    public BridgeFailure(String problem, String message, Map<String, Object> fields) {
        super(message == null ? problem : message);
        this.problem = problem;
        this.fields = fields == null ? Map.of() : Map.copyOf(fields);
    }

    public String problem() {
        return problem;
    }

    /** The human message if one is known (may equal the problem). */
    public String detail() {
        return getMessage();
    }

    /** Extra fields for the failing init message (e.g. {@code unsupported}). */
    public Map<String, Object> fields() {
        return fields;
    }
}
