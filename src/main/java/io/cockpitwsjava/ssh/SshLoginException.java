package io.cockpitwsjava.ssh;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A failed SSH login, classified by a Cockpit problem code (ws-contract §10) such as {@code authentication-failed},
 * {@code unknown-hostkey}, {@code invalid-hostkey}, {@code unknown-host}, {@code timeout}, {@code terminated} or
 * {@code internal-error}.
 *
 * <p>For {@code unknown-hostkey} with asking allowed, {@link #hostKeyQuestion()} holds the question for the user;
 * the caller asks it (X-Conversation) and, if the answer equals the fingerprint, calls
 * {@link SshConnector#connect} again with {@link SshCredentials#withConfirmedKey} (beiboot §13.4, "reject and
 * reconnect").
 */
public final class SshLoginException extends Exception {

    public static final String AUTHENTICATION_FAILED = "authentication-failed";
    public static final String UNKNOWN_HOSTKEY = "unknown-hostkey";
    public static final String INVALID_HOSTKEY = "invalid-hostkey";
    public static final String UNKNOWN_HOST = "unknown-host";
    public static final String TIMEOUT = "timeout";
    public static final String TERMINATED = "terminated";
    public static final String INTERNAL_ERROR = "internal-error";

    private final String problem;
    private final HostKeyQuestion hostKeyQuestion;
    private final Map<String, String> authMethodResults;
    private final String knownHosts;

    public SshLoginException(String problem, String message, HostKeyQuestion hostKeyQuestion,
            Map<String, String> authMethodResults, String knownHosts, Throwable cause) {
        super(message, cause);
        this.problem = Objects.requireNonNull(problem, "problem");
        this.hostKeyQuestion = hostKeyQuestion;
        this.authMethodResults = authMethodResults == null ? Map.of() : Map.copyOf(authMethodResults);
        this.knownHosts = knownHosts == null ? "" : knownHosts;
    }

    public SshLoginException(String problem, String message) {
        this(problem, message, null, null, null, null);
    }

    public SshLoginException(String problem, String message, Throwable cause) {
        this(problem, message, null, null, null, cause);
    }

    /** The Cockpit problem code. */
    public String problem() {
        return problem;
    }

    /** Set for {@code unknown-hostkey} when the credentials allowed asking. */
    public Optional<HostKeyQuestion> hostKeyQuestion() {
        return Optional.ofNullable(hostKeyQuestion);
    }

    /**
     * For {@code authentication-failed}: {@code method -> result} (beiboot §13.5), e.g. {@code password -> denied},
     * {@code not-tried}, {@code not-provided} or {@code no-server-support}; {@code publickey} and
     * {@code keyboard-interactive} are informational. Empty for other problems.
     */
    public Map<String, String> authMethodResults() {
        return authMethodResults;
    }

    /**
     * Trusted known-hosts lines for this host when a key was accepted in this attempt before it failed
     * (ws-contract §5.6.6: the failure JSON carries them as {@code known-hosts}); empty otherwise.
     */
    public String knownHosts() {
        return knownHosts;
    }

    /** A human-readable message (never contains secrets). */
    public String message() {
        return getMessage();
    }
}
