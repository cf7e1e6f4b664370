package io.cockpitwsjava.session;

import java.util.Map;

/** Why a multi-host peer could not be reached: the problem and extra fields for the channel's close message. */
public final class PeerFailure extends Exception {
    private final String problem;
    private final Map<String, Object> fields;

    public PeerFailure(String problem, String message, Map<String, Object> fields) {
        super(message == null ? problem : message);
        this.problem = problem;
        this.fields = fields == null ? Map.of() : Map.copyOf(fields);
    }

    public String problem() {
        return problem;
    }

    public Map<String, Object> fields() {
        return fields;
    }
}
