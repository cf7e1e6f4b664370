package io.cockpitwsjava.fleet;

/**
 * Why a probe failed: a fixed set, so it can label a metric and a page can switch on it.
 */
public enum ProbeProblem {
    /** Nothing listens on the SSH port (TCP reset). */
    REFUSED("refused", "connection refused"),
    /** No answer in time: connecting, logging in, or the status command. */
    TIMEOUT("timeout", "no answer in time"),
    /** The address cannot be reached, does not resolve, or the host access policy forbids it. */
    UNREACHABLE("unreachable", "host unreachable"),
    /** The host's key is neither pinned in the inventory nor in the known_hosts file. */
    HOST_KEY_UNKNOWN("host-key-unknown", "host key unknown"),
    /** The host showed a different key than the pinned or known one. */
    HOST_KEY_MISMATCH("host-key-mismatch", "host key does not match"),
    /** The host refused the prober's certificate (CA not trusted, or the account does not accept the principal). */
    AUTH_FAILED("auth-failed", "authentication failed"),
    /** The connection closed during the probe. */
    CLOSED("closed", "connection closed"),
    /** The status command printed more than the gateway reads. */
    OUTPUT_TOO_LARGE("output-too-large", "status output too large"),
    /** The status command's output was not a complete, valid status (or it failed). */
    BAD_OUTPUT("bad-output", "status output not understood"),
    /** A failure in the gateway itself (e.g. the certificate could not be made). */
    INTERNAL("internal", "internal error");

    private final String code;
    private final String text;

    ProbeProblem(String code, String text) {
        this.code = code;
        this.text = text;
    }

    /** The stable name: the API's {@code reason_code} and the metric label. */
    public String code() {
        return code;
    }

    /** A short phrase for people (the API's {@code reason}). */
    public String text() {
        return text;
    }
}
