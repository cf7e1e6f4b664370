package io.cockpitwsjava.protocol;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The one failure type of the gateway: a login, bridge or peer that failed, or a peer that broke the protocol, as a
 * Cockpit {@link Problem} plus what the failing {@code init}/{@code close} message carries. How a problem is shown to
 * the browser (HTTP status, reason phrase) is decided by the problem alone ({@link Problem#loginStatus()},
 * {@link Problem#httpStatus()}).
 *
 * <p>The message is a short human text for logs; whether it may also be shown to the user is decided where the
 * failure is answered (a login never shows why a host could not be reached).
 */
public class ProblemException extends Exception {

    private static final long serialVersionUID = 1L;

    private final Problem problem;
    private final transient Map<String, Object> fields;
    private final transient HostKeyChallenge hostKeyChallenge;

    public ProblemException(Problem problem, String message) {
        this(problem, message, null, null, null);
    }

    public ProblemException(Problem problem, String message, Throwable cause) {
        this(problem, message, null, null, cause);
    }

    /**
     * @param fields           further fields of the failing init/close message (e.g. {@code auth-method-results},
     *                         {@code known-hosts}, {@code unsupported}); copied, insertion order kept
     * @param hostKeyChallenge for {@link Problem#UNKNOWN_HOSTKEY} when the user may be asked, else null
     */
    public ProblemException(Problem problem, String message, Map<String, ?> fields, HostKeyChallenge hostKeyChallenge,
            Throwable cause) {
        super(message == null ? problem.wireName() : message, cause);
        this.problem = Objects.requireNonNull(problem, "problem");
        this.fields = fields == null || fields.isEmpty() ? Map.of()
                : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        this.hostKeyChallenge = hostKeyChallenge;
    }

    /** The problem code. */
    public Problem problem() {
        return problem;
    }

    /** Extra fields for the failing init/close message; never null. */
    public Map<String, Object> fields() {
        return fields;
    }

    /** Set when the host key is unknown and the user may confirm it (docs/protocol.md §5.6). */
    public Optional<HostKeyChallenge> hostKeyChallenge() {
        return Optional.ofNullable(hostKeyChallenge);
    }

    /** The same failure with more fields (later ones win). */
    public ProblemException withFields(Map<String, ?> more) {
        Map<String, Object> all = new LinkedHashMap<>(fields);
        all.putAll(more);
        return new ProblemException(problem, getMessage(), all, hostKeyChallenge, getCause());
    }

    /** Finds the problem in a (possibly wrapped) throwable; anything else is an {@link Problem#INTERNAL_ERROR}. */
    public static ProblemException of(Throwable t) {
        Throwable c = t;
        while ((c instanceof java.util.concurrent.CompletionException
                || c instanceof java.util.concurrent.ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof ProblemException p) {
            return p;
        }
        if (c instanceof java.util.concurrent.TimeoutException) {
            return new ProblemException(Problem.TIMEOUT, "no progress in time", c);
        }
        return new ProblemException(Problem.INTERNAL_ERROR, c == null ? null : c.getClass().getSimpleName(), c);
    }
}
