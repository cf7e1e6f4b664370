package io.cockpitwsjava.audit;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Everything the audit log records, one record type per event (schema in docs/audit.md). Callers fill in
 * these records and nothing else, so no event carries a field the schema does not name; the time stamp is added by
 * {@link AuditLog}. Fields documented as optional may be null. No field may hold a secret: no password, token,
 * cookie, key or channel data.
 */
public sealed interface AuditEvent {

    /** The {@code event} value in the JSON line. */
    String type();

    /** How someone signed in to the gateway. */
    enum SignInMethod {
        /** The provider's browser flow. */
        OIDC("oidc"),
        /** A bearer access token on a request. */
        BEARER("bearer"),
        /** User name and password (the users file, or a password login to a host). */
        PASSWORD("password");

        private final String json;

        SignInMethod(String json) {
            this.json = json;
        }

        public String json() {
            return json;
        }
    }

    /** What a channel gives the browser. */
    enum ChannelKind {
        /** A process on a pty: Cockpit's Terminal. */
        TERMINAL("terminal"),
        /** A process without a pty (a {@code spawn} of any page). */
        PROCESS("process");

        private final String json;

        ChannelKind(String json) {
            this.json = json;
        }

        public String json() {
            return json;
        }
    }

    /**
     * A sign-in to the gateway, successful or not.
     *
     * @param identity the signed-in user name, or on failure the name that was tried (optional)
     * @param client   the client address (optional)
     * @param problem  why it failed, a Cockpit problem code such as {@code authentication-failed} (optional)
     */
    record SignIn(Outcome outcome, SignInMethod method, String identity, String client, String problem)
            implements AuditEvent {
        public SignIn {
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(method, "method");
        }

        @Override
        public String type() {
            return "sign-in";
        }
    }

    /**
     * A sign-out (the user's, or the gateway ending the sign-in session).
     *
     * @param client the client address (optional)
     */
    record SignOut(String identity, String client) implements AuditEvent {
        public SignOut {
            Objects.requireNonNull(identity, "identity");
        }

        @Override
        public String type() {
            return "sign-out";
        }
    }

    /**
     * A login to a host (a certificate login in fleet mode, or a password login).
     *
     * @param sshUser           the account on the host
     * @param certificateSerial the certificate's serial, when one was issued (also in the host's sshd log)
     * @param rule              the access rule that granted it (optional)
     * @param client            the client address (optional)
     * @param problem           why it failed: a Cockpit problem code (optional)
     * @param session           the web session (optional: absent when the login failed before one existed)
     */
    record HostLogin(Outcome outcome, String identity, String host, String sshUser, OptionalLong certificateSerial,
            OptionalInt rule, String client, String problem, SessionTag session) implements AuditEvent {
        public HostLogin {
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(identity, "identity");
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(certificateSerial, "certificateSerial");
            Objects.requireNonNull(rule, "rule");
        }

        @Override
        public String type() {
            return "host-login";
        }
    }

    /**
     * Administrative access requested for a session: granted or refused.
     *
     * @param problem why it was refused (optional)
     */
    record Superuser(boolean granted, String identity, String host, String problem, SessionTag session)
            implements AuditEvent {
        public Superuser {
            Objects.requireNonNull(identity, "identity");
            Objects.requireNonNull(host, "host");
        }

        @Override
        public String type() {
            return "superuser";
        }
    }

    /** How administrative access changed during a session. */
    enum SuperuserChange {
        /** A superuser bridge started: administrative access is on. */
        ON("on"),
        /** The superuser bridge stopped: access is limited again. */
        OFF("off"),
        /** A start was tried and ended without access (wrong password, cancelled, no right to it). */
        FAILED("failed");

        private final String json;

        SuperuserChange(String json) {
            this.json = json;
        }

        public String json() {
            return json;
        }
    }

    /**
     * Administrative access switched during a session, after the login (Cockpit's "Limited access" /
     * "Administrative access" button).
     *
     * @param bridge the superuser bridge that started, e.g. {@code sudo} (optional: only with {@link SuperuserChange#ON})
     */
    record SuperuserSwitch(SuperuserChange change, String bridge, String identity, String host, SessionTag session)
            implements AuditEvent {
        public SuperuserSwitch {
            Objects.requireNonNull(change, "change");
            Objects.requireNonNull(identity, "identity");
            Objects.requireNonNull(host, "host");
        }

        @Override
        public String type() {
            return "superuser-switch";
        }
    }

    /**
     * A terminal or process channel opened; never its arguments, environment or data.
     *
     * @param payload   the Cockpit channel payload type, e.g. {@code stream}
     * @param command   the program's name: the last path segment of the first {@code spawn} word (optional)
     * @param superuser whether the channel asked for administrative rights ({@code superuser} {@code require} or
     *                  {@code try})
     */
    record ChannelOpened(ChannelKind kind, String payload, String command, boolean superuser, String identity,
            String host, SessionTag session) implements AuditEvent {
        public ChannelOpened {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(payload, "payload");
            Objects.requireNonNull(identity, "identity");
            Objects.requireNonNull(host, "host");
        }

        @Override
        public String type() {
            return "channel-open";
        }
    }

    /**
     * A session with a host ended.
     *
     * @param duration       from host login to end
     * @param bytesToHost    bytes relayed from the browser to the host
     * @param bytesToBrowser bytes relayed from the host to the browser
     */
    record SessionEnded(String identity, String host, Duration duration, long bytesToHost, long bytesToBrowser,
            SessionTag session) implements AuditEvent {
        public SessionEnded {
            Objects.requireNonNull(identity, "identity");
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(duration, "duration");
            if (duration.isNegative() || bytesToHost < 0 || bytesToBrowser < 0) {
                throw new IllegalArgumentException("negative duration or byte count");
            }
        }

        @Override
        public String type() {
            return "session-end";
        }
    }
}
