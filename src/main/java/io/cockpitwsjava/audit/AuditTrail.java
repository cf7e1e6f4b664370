package io.cockpitwsjava.audit;

import java.time.Clock;
import java.util.List;
import java.util.Objects;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.cockpitwsjava.audit.AuditEvent.SignInMethod;

/**
 * What the gateway's code calls to write the audit log (schema in docs/audit.md): one method per moment, so callers
 * never build events themselves and cannot put a secret into one.
 *
 * <ul>
 * <li>{@link #signedIn}, {@link #signInFailed} and {@link #signOut}: the gateway sign-in (web/FleetRoutes, web/OidcSignInAudit).</li>
 * <li>{@link #loggedIn} and {@link #loginFailed}: a login to a host, password or certificate ({@link LoginSubject}
 * carries the SSH user, certificate serial and rule). {@link #loggedIn} returns the {@link SessionAudit} that writes
 * the session's later lines (superuser, channels, end) under one {@link SessionTag}.</li>
 * </ul>
 * Every method returns at once and never throws for a sink that cannot be written (see {@link AuditLog}).
 */
@Singleton
public class AuditTrail {

    private final AuditLog log;

    @Inject
    public AuditTrail(AuditLog log) {
        this.log = Objects.requireNonNull(log, "log");
    }

    /** An audit trail that writes nothing (code built without the CDI container, such as unit tests). */
    public static AuditTrail none() {
        return new AuditTrail(new AuditLog(List.of(), Clock.systemUTC()));
    }

    /** Someone signed in to the gateway. */
    public void signedIn(SignInMethod method, String identity, String client) {
        log.record(new AuditEvent.SignIn(Outcome.SUCCESS, method, identity, client, null));
    }

    /**
     * A sign-in to the gateway failed.
     *
     * @param identity the name that was tried, if any (optional)
     * @param problem  a Cockpit problem code, e.g. {@code authentication-failed}
     */
    public void signInFailed(SignInMethod method, String identity, String client, String problem) {
        log.record(new AuditEvent.SignIn(Outcome.FAILURE, method, identity, client, problem));
    }

    /** Someone signed out of the gateway (or the gateway ended the sign-in). */
    public void signOut(String identity, String client) {
        log.record(new AuditEvent.SignOut(identity, client));
    }

    /** A host login succeeded: writes its line and starts the session's audit. */
    public SessionAudit loggedIn(LoginSubject subject) {
        SessionAudit session = new SessionAudit(log, subject, SessionTag.random());
        log.record(new AuditEvent.HostLogin(Outcome.SUCCESS, subject.identity(), subject.host(), subject.sshUser(),
                subject.certificateSerial(), subject.rule(), subject.client(), null, session.tag()));
        return session;
    }

    /**
     * A host login failed.
     *
     * @param problem a Cockpit problem code: {@code authentication-failed}, {@code no-host}, {@code access-denied}...
     */
    public void loginFailed(LoginSubject subject, String problem) {
        log.record(new AuditEvent.HostLogin(Outcome.FAILURE, subject.identity(), subject.host(), subject.sshUser(),
                subject.certificateSerial(), subject.rule(), subject.client(), problem, null));
    }

    /**
     * A host login with its outcome in one call (for login paths that compute the outcome first): on success the
     * session's audit, on failure {@link SessionAudit#NONE}.
     */
    public SessionAudit hostLogin(LoginSubject subject, Outcome outcome, String problem) {
        if (outcome == Outcome.SUCCESS) {
            return loggedIn(subject);
        }
        loginFailed(subject, problem);
        return SessionAudit.NONE;
    }
}
