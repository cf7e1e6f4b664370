package io.cockpitwsjava.fleet;

import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletionException;

import io.cockpitwsjava.protocol.ProblemException;

/**
 * A probe that did not produce a status: the {@link ProbeProblem} (a fixed set, for metrics and the API) and a
 * message for people and logs. Messages never quote more than a few bytes of what a VM sent.
 */
public final class ProbeFailure extends Exception {

    private final ProbeProblem problem;

    public ProbeFailure(ProbeProblem problem, String message) {
        super(message, null, false, false);
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    public ProbeProblem problem() {
        return problem;
    }

    /** The problem of a failed connection, from the connector's {@link ProblemException}. */
    static ProbeFailure connecting(Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (!(e instanceof ProblemException pe)) {
            return new ProbeFailure(ProbeProblem.INTERNAL, "cannot connect: " + e.getClass().getSimpleName());
        }
        ProbeProblem p = switch (pe.problem()) {
            case UNKNOWN_HOSTKEY -> ProbeProblem.HOST_KEY_UNKNOWN;
            case INVALID_HOSTKEY -> ProbeProblem.HOST_KEY_MISMATCH;
            case AUTHENTICATION_FAILED, AUTHENTICATION_NOT_SUPPORTED, AUTHENTICATION_UNAVAILABLE ->
                    ProbeProblem.AUTH_FAILED;
            case TIMEOUT -> ProbeProblem.TIMEOUT;
            case TERMINATED, DISCONNECTED -> ProbeProblem.CLOSED;
            case UNKNOWN_HOST, NO_HOST -> networkProblem(pe);
            default -> ProbeProblem.UNREACHABLE;
        };
        return new ProbeFailure(p, p.text());
    }

    /** Refused and timed out are told apart by the socket exception under the connector's failure, if it kept one. */
    private static ProbeProblem networkProblem(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof java.net.ConnectException) {
                String m = String.valueOf(c.getMessage()).toLowerCase(Locale.ROOT);
                if (m.contains("refused")) {
                    return ProbeProblem.REFUSED;
                }
                if (m.contains("timed out")) {
                    return ProbeProblem.TIMEOUT;
                }
            }
            if (c instanceof java.net.SocketTimeoutException
                    || c instanceof java.nio.channels.InterruptedByTimeoutException) {
                return ProbeProblem.TIMEOUT;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return ProbeProblem.UNREACHABLE;
    }
}
