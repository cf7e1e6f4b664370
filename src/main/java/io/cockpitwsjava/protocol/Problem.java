package io.cockpitwsjava.protocol;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Cockpit "problem" codes (docs/protocol.md §10) as sent in {@code init}/{@code close} messages and login replies.
 * Every failure the gateway reports is mapped to one of these; the HTTP statuses they map to are listed here, in
 * one place.
 */
public enum Problem {
    AUTHENTICATION_FAILED("authentication-failed", 401, 502),
    AUTHENTICATION_UNAVAILABLE("authentication-unavailable", 401, 502),
    AUTHENTICATION_NOT_SUPPORTED("authentication-not-supported", 401, 502),
    UNKNOWN_HOSTKEY("unknown-hostkey", 401, 502),
    INVALID_HOSTKEY("invalid-hostkey", 401, 502),
    UNKNOWN_HOST("unknown-host", 401, 502),
    NO_HOST("no-host", 401, 502),
    NO_COCKPIT("no-cockpit", 500, 502),
    NOT_SUPPORTED("not-supported", 500, 500),
    ACCESS_DENIED("access-denied", 403, 403),
    TERMINATED("terminated", 401, 502),
    DISCONNECTED("disconnected", 500, 502),
    TIMEOUT("timeout", 500, 504),
    NO_SESSION("no-session", 401, 401),
    INTERNAL_ERROR("internal-error", 500, 500),
    PROTOCOL_ERROR("protocol-error", 500, 500),
    UNSUPPORTED_SHELL("unsupported-shell", 500, 500),
    NO_FORWARDING("no-forwarding", 500, 500),
    TOO_LARGE("too-large", 500, 413),
    NOT_FOUND("not-found", 500, 404);

    private static final Map<String, Problem> BY_WIRE_NAME = new HashMap<>();

    static {
        for (Problem p : values()) {
            BY_WIRE_NAME.put(p.wireName, p);
        }
    }

    private final String wireName;
    private final int loginStatus;
    private final int httpStatus;

    Problem(String wireName, int loginStatus, int httpStatus) {
        this.wireName = wireName;
        this.loginStatus = loginStatus;
        this.httpStatus = httpStatus;
    }

    /** HTTP status of a failed {@code /login} with this problem (docs/protocol.md §5.8). */
    public int loginStatus() {
        return loginStatus;
    }

    /**
     * HTTP status of a request served through a bridge channel that closed with this problem before its response
     * head (package files, external channels): the target's own refusals keep their meaning (404, 403), a lost or
     * unreachable bridge is a bad gateway.
     */
    public int httpStatus() {
        return httpStatus;
    }

    /** The string used on the wire, e.g. {@code "protocol-error"}. */
    public String wireName() {
        return wireName;
    }

    /** The problem with this wire name; empty for unknown or {@code null} names (peers may send codes we don't know). */
    public static Optional<Problem> fromWire(String wireName) {
        return wireName == null ? Optional.empty() : Optional.ofNullable(BY_WIRE_NAME.get(wireName));
    }

    @Override
    public String toString() {
        return wireName;
    }
}
