package io.cockpitwsjava.ssh;

import io.cockpitwsjava.protocol.HostTarget;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.time.Duration;

import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.session.Session;

import io.cockpitwsjava.protocol.HostKeyChallenge;
import io.cockpitwsjava.protocol.Problem;
import io.cockpitwsjava.protocol.ProblemException;

/**
 * The state of one {@link SshConnector#connect} call, reachable from MINA callbacks through the session's connection
 * context. It binds the host-key check and the password to this login only.
 */
final class LoginAttempt {

    static final AttributeRepository.AttributeKey<LoginAttempt> KEY = new AttributeRepository.AttributeKey<>();

    final HostTarget target;
    final SshCredentials creds;
    /** Browser lines plus the global file; set before the connection is opened. */
    volatile KnownHosts trusted;
    final SshSettings settings;
    final CompletableFuture<SshLogin> result = new CompletableFuture<>();
    /** Set for {@link SshConnector#connect(HostTarget, KeyLogin)}: its key only, its host keys only. */
    volatile KeyLogin keyLogin;

    /** Methods the server let us try (tracked by our user-auth factories). */
    final Set<String> offeredMethods = ConcurrentHashMap.newKeySet();
    volatile boolean passwordUsed;
    volatile boolean keysConfigured;
    volatile String keyProblem;
    volatile String banner;

    /** Set by the host-key check when it rejects, so the session-closed failure can be classified. */
    volatile Problem hostKeyProblem;
    volatile HostKeyChallenge hostKeyChallenge;
    volatile String acceptedLine;
    volatile ClientSession session;
    volatile boolean kexDone;

    private final ScheduledExecutorService timer;
    private ScheduledFuture<?> deadline;

    LoginAttempt(HostTarget target, SshCredentials creds, SshSettings settings, ScheduledExecutorService timer) {
        this.target = target;
        this.creds = creds;
        this.settings = settings;
        this.timer = timer;
    }

    /** The host keys this attempt accepts: exactly the key login's, else the browser's lines plus the global file. */
    KnownHosts hostKeys() {
        KeyLogin k = keyLogin;
        return k != null ? k.hostKeys() : trusted;
    }

    static LoginAttempt of(Session session) {
        if (session instanceof ClientSession cs && cs.getConnectionContext() != null) {
            return cs.getConnectionContext().getAttribute(KEY);
        }
        return null;
    }

    /** (Re)starts the progress timer; on expiry the attempt fails with {@code timeout}. */
    synchronized void arm(Duration d) {
        disarm();
        if (!result.isDone()) {
            deadline = timer.schedule(() -> fail(new ProblemException(Problem.TIMEOUT,
                    "no progress from " + target.display() + " within " + d.toSeconds() + " s")),
                    d.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Stops the timer (while the user reads a prompt: that wait has its own limit). */
    synchronized void disarm() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    void succeed(SshLogin login) {
        disarm();
        if (!result.complete(login)) {
            login.session().close(true);
        }
    }

    void fail(ProblemException e) {
        disarm();
        if (result.completeExceptionally(e)) {
            ClientSession s = session;
            if (s != null) {
                s.close(true);
            }
        }
    }

    /** The lines for login-data: the browser's lines for this host plus a newly accepted one. */
    String knownHostsForLoginData() {
        String lines = creds.trusted().linesFor(target);
        String accepted = acceptedLine;
        return accepted == null ? lines : lines + accepted + "\n";
    }

    /** The lines to report on failure: only when a key was accepted in this attempt (ws-contract §5.6.6). */
    String knownHostsOnFailure() {
        return acceptedLine == null ? "" : knownHostsForLoginData();
    }

    boolean isConfirmed(java.security.PublicKey key) {
        String confirmed = creds.confirmedKey();
        // compare the key's known_hosts line for this target: SSH wire encoding, exactly "the same key"
        return confirmed != null && confirmed.strip().equals(KnownHosts.line(target, key));
    }

    /** {@code auth-method-results} (beiboot §13.5) from what was offered and tried. */
    Map<String, String> authMethodResults() {
        Map<String, String> r = new LinkedHashMap<>();
        if (keysConfigured || keyProblem != null) {
            r.put("publickey", !offeredMethods.contains("publickey") ? "no-server-support"
                    : keyProblem != null ? "error" : "denied");
        }
        boolean kbd = offeredMethods.contains("keyboard-interactive");
        boolean pw = offeredMethods.contains("password");
        if (kbd) {
            r.put("keyboard-interactive", passwordUsed && !pw ? "denied" : "not-tried");
        }
        String password;
        if (!kbd && !pw) {
            password = "no-server-support";
        } else if (!creds.hasPassword()) {
            password = "not-provided";
        } else if (passwordUsed) {
            password = "denied";
        } else {
            password = "not-tried";
        }
        r.put("password", password);
        return r;
    }
}
