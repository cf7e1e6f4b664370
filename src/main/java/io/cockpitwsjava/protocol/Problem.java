package io.cockpitwsjava.protocol;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Cockpit "problem" codes (ws-contract §10) as sent in {@code init}/{@code close} messages and login replies.
 * Every failure the gateway reports is mapped to one of these.
 */
public enum Problem {
    AUTHENTICATION_FAILED("authentication-failed"),
    AUTHENTICATION_UNAVAILABLE("authentication-unavailable"),
    AUTHENTICATION_NOT_SUPPORTED("authentication-not-supported"),
    UNKNOWN_HOSTKEY("unknown-hostkey"),
    INVALID_HOSTKEY("invalid-hostkey"),
    UNKNOWN_HOST("unknown-host"),
    NO_HOST("no-host"),
    NO_COCKPIT("no-cockpit"),
    NOT_SUPPORTED("not-supported"),
    ACCESS_DENIED("access-denied"),
    TERMINATED("terminated"),
    DISCONNECTED("disconnected"),
    TIMEOUT("timeout"),
    NO_SESSION("no-session"),
    INTERNAL_ERROR("internal-error"),
    PROTOCOL_ERROR("protocol-error"),
    UNSUPPORTED_SHELL("unsupported-shell"),
    NO_FORWARDING("no-forwarding"),
    TOO_LARGE("too-large"),
    NOT_FOUND("not-found");

    private static final Map<String, Problem> BY_WIRE_NAME = new HashMap<>();

    static {
        for (Problem p : values()) {
            BY_WIRE_NAME.put(p.wireName, p);
        }
    }

    private final String wireName;

    Problem(String wireName) {
        this.wireName = wireName;
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
