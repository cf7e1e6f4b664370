package io.cockpitwsjava.protocol;

import java.util.Objects;

/** A peer violated the Cockpit protocol; carries the problem code to report (usually {@link Problem#PROTOCOL_ERROR}). */
public class ProtocolException extends ProblemException {

    private static final long serialVersionUID = 1L;

    public ProtocolException(Problem problem, String message) {
        super(Objects.requireNonNull(problem, "problem"), message);
    }

    public ProtocolException(Problem problem, String message, Throwable cause) {
        super(Objects.requireNonNull(problem, "problem"), message, cause);
    }
}
