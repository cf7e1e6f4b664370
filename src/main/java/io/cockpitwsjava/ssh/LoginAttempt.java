package io.cockpitwsjava.ssh;

import io.cockpitwsjava.protocol.HostTarget;
import java.net.InetSocketAddress;
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
import org.jboss.logging.Logger;

import io.cockpitwsjava.protocol.HostKeyChallenge;
import io.cockpitwsjava.protocol.LogText;
import io.cockpitwsjava.protocol.Problem;
import io.cockpitwsjava.protocol.ProblemException;

/**
 * The state of one {@link SshConnector#connect} call, reachable from MINA callbacks through the session's connection
 * context. It binds the host-key check and the password to this login only.
 */
final class LoginAttempt {

    static final AttributeRepository.AttributeKey<LoginAttempt> KEY = new AttributeRepository.AttributeKey<>();
    private static final Logger LOG = Logger.getLogger(LoginAttempt.class);

    final HostTarget target;
    final SshCredentials creds;
    /** Browser lines plus the global file; set before the connection is opened. */
    volatile KnownHosts trusted;
    final SshSettings settings;
    final CompletableFuture<SshLogin> result = new CompletableFuture<>();
    /** When each step happened (DEBUG log, per-step timers). */
    final LoginTimeline timeline;
    /** Set for {@link SshConnector#connect(HostTarget, KeyLogin)}: its key only, its host keys only. */
    volatile KeyLogin keyLogin;
    /** The host access policy of this login; null = the connector's. */
    volatile HostAccessPolicy access;

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
    /** The checked address being connected to; a host-key challenge pins the login to it. */
    volatile InetSocketAddress address;
    /** Why the host could not be reached (for the log); set once, the answer waits for the deadline. */
    private volatile String unreachable;
    private volatile Throwable unreachableCause;

    private final ScheduledExecutorService timer;
    private ScheduledFuture<?> deadline;

    LoginAttempt(HostTarget target, SshCredentials creds, SshSettings settings, ScheduledExecutorService timer,
            LoginTimeline timeline) {
        this.target = target;
        this.timeline = timeline;
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

    /**
     * (Re)starts the progress timer. On expiry before the server has shown its host key the host counts as
     * unreachable ({@code unknown-host}, like a closed port: a filtered port must look like any other), after it
     * the attempt fails with {@code timeout}.
     */
    synchronized void arm(Duration d) {
        disarm();
        if (!result.isDone()) {
            deadline = timer.schedule(() -> {
                if (!kexDone && hostKeyProblem == null) {
                    String why = "no SSH server answered within " + d.toSeconds() + " s";
                    unreachable(why, new java.net.SocketTimeoutException(why));
                    fail(unreachableProblem());
                } else {
                    fail(new ProblemException(Problem.TIMEOUT,
                            "no progress from " + target.display() + " within " + d.toSeconds() + " s"));
                }
            }, d.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * The host cannot be reached (not resolvable, refused by policy, closed, not SSH, closed before the key
     * exchange). The connection is dropped now, but the answer — always the same {@code unknown-host} — is given only
     * when the connect deadline armed at the start runs out, so that neither the answer nor its timing tells a
     * closed port from a filtered one, a denied address or a name that does not resolve.
     */
    void unreachable(String why, Throwable cause) {
        boolean answerNow;
        synchronized (this) {
            if (unreachable != null || result.isDone()) {
                return;
            }
            unreachable = why;
            unreachableCause = cause;
            // never armed: nothing to wait for; a key login (the fleet prober) has no person to hide anything from
            answerNow = deadline == null || keyLogin != null;
        }
        String at = address == null ? "" : " at " + address;
        // the prober (a key login) logs a host's state changes itself, not every failed check
        LOG.logf(keyLogin == null ? Logger.Level.INFO : Logger.Level.DEBUG, "cannot reach %s%s: %s",
                LogText.quoted(target.display()), at, why);
        ClientSession s = session;
        if (s != null) {
            s.close(true);
        }
        if (answerNow) {
            fail(unreachableProblem());
        }
    }

    private ProblemException unreachableProblem() {
        if (keyLogin != null) {
            // nobody who could map a network with it reads this: the prober tells refused from timed out
            return new ProblemException(Problem.UNKNOWN_HOST, "cannot reach " + target.display() + ": " + unreachable,
                    unreachableCause);
        }
        return new ProblemException(Problem.UNKNOWN_HOST, "cannot reach " + target.display());
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
        // a cancelled attempt (the login gave up) must drop its connection too
        if (result.completeExceptionally(e) || result.isCancelled()) {
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

    /** The lines to report on failure: only when a key was accepted in this attempt (docs/protocol.md §5.6.6). */
    String knownHostsOnFailure() {
        return acceptedLine == null ? "" : knownHostsForLoginData();
    }

    boolean isConfirmed(java.security.PublicKey key) {
        String confirmed = creds.confirmedKey();
        // compare the key's known_hosts line for this target: SSH wire encoding, exactly "the same key"
        return confirmed != null && confirmed.strip().equals(KnownHosts.line(target, key));
    }

    /** {@code auth-method-results} (docs/beiboot.md §13.5) from what was offered and tried. */
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
