package io.cockpitwsjava.protocol;

import java.util.Objects;

/** A peer violated the Cockpit protocol; carries the problem code to report (usually {@link Problem#PROTOCOL_ERROR}). */
public class ProtocolException extends Exception {

    private static final long serialVersionUID = 1L;

    private final Problem problem;

    public ProtocolException(Problem problem, String message) {
        super(message);
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    public ProtocolException(Problem problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    /** The problem code to send to the peer. */
    public Problem problem() {
        return problem;
    }
}
