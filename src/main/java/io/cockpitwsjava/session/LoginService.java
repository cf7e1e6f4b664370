package io.cockpitwsjava.session;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cockpitwsjava.audit.AuditTrail;
import io.cockpitwsjava.audit.LoginSubject;
import io.cockpitwsjava.audit.SessionAudit;
import io.cockpitwsjava.bridge.BridgeConnection;
import io.cockpitwsjava.bridge.BridgeLauncher;
import io.cockpitwsjava.config.GatewaySettings;
import io.cockpitwsjava.protocol.HostKeyChallenge;
import io.cockpitwsjava.protocol.HostTarget;
import io.cockpitwsjava.protocol.LogText;
import io.cockpitwsjava.protocol.LoginConversation;
import io.cockpitwsjava.protocol.Problem;
import io.cockpitwsjava.protocol.ProblemException;
import io.cockpitwsjava.protocol.Prompt;

/**
 * The login protocol (docs/protocol.md §5): Basic credentials with known_hosts after the NUL, X-Conversation rounds
 * for host keys (reject and reconnect, nothing parked while the user reads) and extra prompts, then the bridge
 * (started by the {@link BridgeLauncher}) and the session. Every request gets the next outcome of its attempt or a
 * timeout. Also starts the bridges of multi-host peers ({@link PeerConnector}). Every attempt and peer goes through
 * the {@link LoginAdmission}; every log line names the client address, and client-chosen text in it is escaped
 * ({@link LogText}).
 */
@ApplicationScoped
public class LoginService implements PeerConnector {
    private static final Logger LOG = Logger.getLogger(LoginService.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final GatewaySettings settings;
    private final SessionRegistry registry;
    private final BridgeAssets assets;
    private final BridgeLauncher launcher;
    private final Map<String, Attempt> conversations = new ConcurrentHashMap<>();
    private final LoginAdmission admission;
    private final AtomicLong attemptIds = new AtomicLong();
    private final ScheduledExecutorService timers = newTimers();
    private final LoginMetrics metrics;
    /** Logins by identity (fleet mode); null where the bean is not there (tests that build this class by hand). */
    @Inject
    CertificateLogin certificates;
    /** Host logins, superuser, channels and session ends for the audit log (none for tests built by hand). */
    @Inject
    AuditTrail audit = AuditTrail.none();

    /** Cancelled deadlines leave the queue at once, so they do not keep finished logins (and sessions) reachable. */
    private static ScheduledExecutorService newTimers() {
        var t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "login-timers");
            thread.setDaemon(true);
            return thread;
        });
        t.setRemoveOnCancelPolicy(true);
        return t;
    }

    @Inject
    public LoginService(GatewaySettings settings, SessionRegistry registry, BridgeAssets assets, LoginMetrics metrics) {
        this(settings, registry, assets, metrics, BridgeLauncher.fromSettings(settings, assets.boot()));
    }

    LoginService(GatewaySettings settings, SessionRegistry registry, BridgeAssets assets, LoginMetrics metrics,
            BridgeLauncher launcher) {
        this.settings = settings;
        this.registry = registry;
        this.assets = assets;
        this.metrics = metrics;
        this.launcher = launcher;
        this.admission = new LoginAdmission(settings.maxStartups(), settings.limits(), RANDOM, System::nanoTime);
    }

    /**
     * The parsed login request headers.
     *
     * @param remoteAddress the client address (TCP peer, or the trusted proxy's ForwardedForHeader entry)
     */
    public record Request(Application app, String authorization, String superuser, boolean connectUnknownHosts,
            String remoteAddress) {
    }

    /** Handles one {@code GET /<app>/login} (the already-logged-in case is handled by the caller). */
    public CompletableFuture<LoginOutcome> login(Request req) {
        String credentials;
        switch (LoginAuthorization.parse(req.authorization())) {
            case LoginAuthorization.Missing m -> {
                return done(LoginFailures.plain(401, "Authentication required"));
            }
            case LoginAuthorization.Malformed m -> {
                return done(LoginFailures.plain(401, "Invalid conversation token"));
            }
            case LoginAuthorization.Conversation c -> {
                Attempt attempt = conversations.remove(c.id());
                if (attempt == null) {
                    return done(LoginFailures.plain(401, "Invalid conversation token"));
                }
                return attempt.answer(c.answer());
            }
            case LoginAuthorization.Unsupported u -> {
                return done(LoginFailures.plain(401, "Authentication disabled"));
            }
            case LoginAuthorization.Basic b -> {
                if (settings.basicDisabled()) {
                    return done(LoginFailures.plain(401, "Authentication disabled"));
                }
                credentials = b.credentials();
            }
        }
        if (req.app().isHost() && !settings.loginTo()) {
            return done(LoginFailures.plain(401, "Direct remote login is disabled"));
        }
        if (!req.app().isHost() && settings.requireHost()) {
            return done(LoginFailures.plain(403, "Host required"));
        }
        BasicCredentials creds = BasicCredentials.parse(credentials);
        if (creds == null) {
            return done(LoginFailures.plain(400, "Bad request"));
        }
        String client = req.remoteAddress();
        String spec = req.app().isHost() ? req.app().host() : settings.defaultHost();
        HostTarget target;
        try {
            target = HostTarget.parse(spec);
        } catch (IllegalArgumentException e) {
            creds.wipe();
            // a "Connect to" value that names no host: as unreachable, and counted against the client like one
            LoginAdmission.Ticket ticket = admission.ticket(client, null, null);
            Optional<LoginAdmission.Refusal> refused = ticket.start();
            if (refused.isPresent()) {
                return done(refusal(client, refused.get(), null, spec));
            }
            ticket.failed(false);
            ticket.release();
            LOG.infof("login from %s to %s failed: unusable host (%s)", client, LogText.quoted(spec),
                    LogText.quoted(e.getMessage()));
            return done(LoginFailures.problem(Problem.UNKNOWN_HOST, null, null));
        }
        String user = target.user() != null ? target.user() : creds.user();
        String host = new HostTarget(null, target.host(), target.port()).display();
        if (user == null || user.isEmpty()) {
            creds.wipe();
            // no auth-method-results: an empty one would read as "the server supports no method" (a fatal page)
            return done(LoginFailures.problem(Problem.AUTHENTICATION_FAILED, null, Map.of()));
        }
        LoginAdmission.Ticket ticket = admission.ticket(client, user, host);
        Optional<LoginAdmission.Refusal> refused = ticket.start();
        if (refused.isPresent()) {
            creds.wipe();
            return done(refusal(client, refused.get(), user, host));
        }
        String superuser = req.superuser() == null || req.superuser().isBlank() ? "none" : req.superuser().strip();
        boolean mayAsk = req.connectUnknownHosts() || settings.connectToUnknownHosts();
        Attempt attempt = new Attempt(req.app(), target, user, creds.password(), creds.knownHosts(), superuser, mayAsk,
                client, ticket);
        return attempt.begin();
    }

    /** Whether a signed-in person's host login can be a certificate login here ({@link #loginByIdentity}). */
    public boolean loginsByIdentity() {
        return certificates != null && certificates.enabled();
    }

    /**
     * Handles one {@code GET /cockpit+=<name>/login} of a person signed in to the gateway as {@code who}: a login to
     * inventory host {@code <name>} with a fresh certificate ({@link CertificateLogin}), answered exactly like a
     * password login. A name that is not in the inventory, or that no rule grants to {@code who}, gets the answer of
     * an unknown host (and counts against the client like one).
     */
    public CompletableFuture<LoginOutcome> loginByIdentity(Request req, io.cockpitwsjava.identity.Identity who) {
        // making the key pair and signing its certificate costs a millisecond or more of CPU: not on the event loop
        return CompletableFuture.supplyAsync(() -> certificates.decide(who, req.app().host(), req.superuser()),
                ForkJoinPool.commonPool()).thenCompose(d -> loginByIdentity(req, who, d));
    }

    private CompletableFuture<LoginOutcome> loginByIdentity(Request req, io.cockpitwsjava.identity.Identity who,
            CertificateLogin.Decision d) {
        String client = req.remoteAddress();
        String name = req.app().host();
        if (d instanceof CertificateLogin.Refused r) {
            LoginAdmission.Ticket ticket = admission.ticket(client, null, null);
            Optional<LoginAdmission.Refusal> refused = ticket.start();
            if (refused.isPresent()) {
                return done(refusal(client, refused.get(), who.user(), name));
            }
            ticket.failed(false);
            ticket.release();
            metrics.loginFailed(Problem.UNKNOWN_HOST);
            // the person and the name they asked for; the answer to them is unknown-host, the audit says why not
            audit.loginFailed(new LoginSubject(who.user(), name, null, java.util.OptionalLong.empty(),
                    java.util.OptionalInt.empty(), client), Problem.ACCESS_DENIED.wireName());
            LOG.infof("login from %s for %s to %s refused: %s", client, LogText.quoted(who.user()),
                    LogText.quoted(name), LogText.quoted(r.why()));
            return done(LoginFailures.problem(Problem.UNKNOWN_HOST, null, null));
        }
        CertificateLogin.Plan plan = (CertificateLogin.Plan) d;
        LoginAdmission.Ticket ticket = admission.ticket(client, plan.sshUser(), name);
        Optional<LoginAdmission.Refusal> refused = ticket.start();
        if (refused.isPresent()) {
            return done(refusal(client, refused.get(), plan.sshUser(), name));
        }
        return new Attempt(req.app(), plan, who, client, ticket).begin();
    }

    /** A refused request: counted, logged (below INFO: a flood of refusals must not flood the log), answered. */
    private LoginOutcome.Failure refusal(String client, LoginAdmission.Refusal r, String user, String host) {
        metrics.loginRefused(r.limit());
        LOG.debugf("login from %s refused by %s: %s at %s", client, r.limit(), LogText.quoted(user),
                LogText.quoted(host));
        return LoginFailures.plain(r.status(), r.reason());
    }

    /**
     * A bridge for a multi-host peer of a session: the same launcher, strict host keys, no prompts; it waits for a
     * working place in the admission (at most the login timeout) and holds it while it connects.
     */
    @Override
    public CompletableFuture<BridgeLauncher.Launched> connect(String clientAddress, BridgeLauncher.Launch launch) {
        LoginAdmission.Ticket ticket = admission.peerTicket(clientAddress);
        Duration wait = settings.loginTimeout();
        return ticket.startWhenFree()
                .orTimeout(wait.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionallyCompose(e -> CompletableFuture.failedFuture(new ProblemException(Problem.TIMEOUT,
                        "no free login place within " + wait.toSeconds() + " s")))
                .thenCompose(t -> {
                    try {
                        return launcher.launch(launch).whenComplete((ok, err) -> t.release());
                    } catch (RuntimeException e) {
                        t.release();
                        throw e;
                    }
                });
    }

    @Override
    public int peersPerSession() {
        return settings.limits().peersPerSession();
    }

    private static CompletableFuture<LoginOutcome> done(LoginOutcome o) {
        return CompletableFuture.completedFuture(o);
    }

    private static String newConversationId() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** One login attempt across its HTTP requests. */
    private final class Attempt implements LoginConversation {
        private final long id = attemptIds.incrementAndGet();
        private final Application app;
        private final HostTarget target;
        private final String user;
        private final long startNanos = System.nanoTime();
        private final String client;
        private final LoginAdmission.Ticket ticket;
        /** How this attempt starts its bridge: with the password (and prompts), or with a certificate. */
        private final java.util.function.Function<BridgeLauncher.Launch,
                CompletableFuture<BridgeLauncher.Launched>> launching;
        /** For logs: who asked, for a login by identity ("" for a password login). */
        private final String by;
        private BridgeLauncher.Launch launch;
        /**
         * Who logs in where, for the audit log: {@link LoginSubject#password} here; a certificate login sets
         * {@link LoginSubject#certificate} (identity, inventory name, SSH user, serial, rule).
         */
        private final LoginSubject subject;
        private volatile CompletableFuture<LoginOutcome> next;
        private volatile HostKeyChallenge pendingHostKey;
        private volatile CompletableFuture<String> pendingAnswer;
        private volatile String pendingConversationId;
        private volatile ScheduledFuture<?> answerTimer;
        private final AtomicBoolean finished = new AtomicBoolean();

        Attempt(Application app, HostTarget target, String user, char[] password, String knownHosts, String superuser,
                boolean mayAsk, String client, LoginAdmission.Ticket ticket) {
            this.app = app;
            this.target = target;
            this.user = user;
            this.client = client;
            this.ticket = ticket;
            this.subject = LoginSubject.password(user, new HostTarget(null, target.host(), target.port()).display(),
                    client);
            boolean retainPassword = !user.equals("root") && (!superuser.equals("none") || app.isHost());
            // the bridge's log lines name the login; this one says who and from where
            this.launch = new BridgeLauncher.Launch(target, user, password, knownHosts, null, mayAsk, this,
                    "localhost", superuser, retainPassword, "login " + id);
            this.launching = launcher::launch;
            this.by = "";
            LOG.debugf("login %d from %s: %s at %s", id, client, LogText.quoted(user), LogText.quoted(target.display()));
        }

        /** A login by identity: the certificate of {@code plan}, no password, no prompts, no host key questions. */
        Attempt(Application app, CertificateLogin.Plan plan, io.cockpitwsjava.identity.Identity who, String client,
                LoginAdmission.Ticket ticket) {
            this.app = app;
            this.target = plan.target();
            this.user = plan.sshUser();
            this.client = client;
            this.ticket = ticket;
            this.subject = LoginSubject.certificate(who.user(), app.host(), plan.sshUser(), plan.certificate().serial(),
                    plan.rule(), client);
            this.launch = new BridgeLauncher.Launch(plan.target(), plan.sshUser(), null, null, null, false, null,
                    "localhost", plan.superuser(), false, "login " + id);
            this.launching = l -> launcher.launch(l, plan.key(), plan.access());
            this.by = " for " + LogText.quoted(who.user()) + " at " + app.host() + " (rule " + plan.rule()
                    + ", certificate serial " + plan.certificate().serialText() + ", superuser " + plan.superuser()
                    + ")";
            LOG.debugf("login %d from %s: %s at %s%s", id, client, LogText.quoted(user),
                    LogText.quoted(target.display()), by);
        }

        CompletableFuture<LoginOutcome> begin() {
            CompletableFuture<LoginOutcome> waiter = newWaiter();
            connect();
            return waiter;
        }

        private CompletableFuture<LoginOutcome> newWaiter() {
            CompletableFuture<LoginOutcome> f = new CompletableFuture<>();
            next = f;
            Duration t = settings.loginTimeout();
            ScheduledFuture<?> deadline = timers.schedule(() -> {
                if (!f.isDone()) {
                    LOG.infof("login %d from %s: no progress within %d s", id, client, t.toSeconds());
                    finish(LoginFailures.timeout());
                }
            }, t.toMillis(), TimeUnit.MILLISECONDS);
            f.whenComplete((o, e) -> deadline.cancel(false));
            return f;
        }

        private void connect() {
            launching.apply(launch).whenComplete((launched, err) -> {
                if (err != null) {
                    onFailure(ProblemException.of(err));
                } else {
                    established(launched);
                }
            });
        }

        private void onFailure(ProblemException e) {
            Optional<HostKeyChallenge> q = e.hostKeyChallenge();
            if (q.isPresent() && launch.confirmedHostKey() == null && !finished.get()) {
                pendingHostKey = q.get();
                ObjectNode body = JsonNodeFactory.instance.objectNode();
                body.put("prompt", q.get().prompt());
                body.put("echo", false);
                body.put("default", q.get().fingerprint());
                body.put("host-key", q.get().loginHostKey());
                challenge(q.get().prompt(), body);
                return;
            }
            if (e.problem() == Problem.INTERNAL_ERROR) {
                LOG.warnf("login %d from %s: unexpected failure: %s", id, client,
                        LogText.quoted(String.valueOf(e.getCause())));
            }
            finish(LoginFailures.of(e));
        }

        /** Keyboard-interactive / password-change prompts from the SSH layer. */
        @Override
        public CompletableFuture<String> ask(Prompt prompt) {
            CompletableFuture<String> answer = new CompletableFuture<>();
            pendingAnswer = answer;
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.put("prompt", prompt.prompt());
            body.put("echo", prompt.echo());
            if (prompt.message() != null && !prompt.message().isEmpty()) {
                body.put("message", prompt.message());
            }
            challenge(prompt.prompt(), body);
            return answer;
        }

        /** Emits a prompt; the attempt moves from a working place to a prompt place, or ends if none is free. */
        private void challenge(String prompt, ObjectNode body) {
            Optional<LoginAdmission.Refusal> refused = ticket.park();
            if (refused.isPresent()) {
                CompletableFuture<String> a = pendingAnswer;
                if (a != null) {
                    a.completeExceptionally(new IllegalStateException("no room for another prompt"));
                }
                finish(refusal(client, refused.get(), user, target.display()));
                return;
            }
            String cid = newConversationId();
            pendingConversationId = cid;
            conversations.put(cid, this);
            answerTimer = timers.schedule(() -> {
                if (conversations.remove(cid, this)) {
                    LOG.infof("login %d from %s: prompt not answered within %d s", id, client,
                            settings.responseTimeout().toSeconds());
                    CompletableFuture<String> a = pendingAnswer;
                    if (a != null) {
                        a.completeExceptionally(new TimeoutException("prompt not answered"));
                    }
                    finish(null);
                }
            }, settings.responseTimeout().toMillis(), TimeUnit.MILLISECONDS);
            emit(new LoginOutcome.Challenge(cid, prompt, body));
        }

        CompletableFuture<LoginOutcome> answer(String text) {
            ScheduledFuture<?> t = answerTimer;
            if (t != null) {
                t.cancel(false);
            }
            CompletableFuture<LoginOutcome> waiter = newWaiter();
            Optional<LoginAdmission.Refusal> refused = ticket.resume();
            if (refused.isPresent()) {
                CompletableFuture<String> a = pendingAnswer;
                if (a != null) {
                    a.completeExceptionally(new IllegalStateException("no room to go on with the login"));
                }
                finish(refusal(client, refused.get(), user, target.display()));
                return waiter;
            }
            HostKeyChallenge q = pendingHostKey;
            if (q != null) {
                pendingHostKey = null;
                if (q.isConfirmedBy(text)) {
                    launch = launch.confirming(q);
                    connect();
                } else {
                    finish(LoginFailures.problem(Problem.UNKNOWN_HOSTKEY, null, null));
                }
                return waiter;
            }
            CompletableFuture<String> a = pendingAnswer;
            pendingAnswer = null;
            if (a != null) {
                a.complete(text);
            }
            return waiter;
        }

        private void established(BridgeLauncher.Launched launched) {
            BridgeConnection bridge = launched.bridge();
            if (finished.get()) {
                bridge.close();
                return;
            }
            Optional<LoginAdmission.Refusal> refused = ticket.establish();
            if (refused.isPresent()) {
                bridge.close();
                finish(refusal(client, refused.get(), user, target.display()));
                return;
            }
            ObjectNode loginData = JsonNodeFactory.instance.objectNode();
            loginData.put("known-hosts", launched.knownHostsForLoginData());
            var started = launched.started();
            var local = started.beibootMode() ? Optional.of(assets.packages().select(started.existingFiles()))
                    : Optional.<io.cockpitwsjava.packages.LocalPackages>empty();
            SessionAudit sessionAudit = audit.loggedIn(subject);
            WebSession session = new WebSession("s" + id, app.name(), app.cookieName(), SessionRegistry.newCookieValue(),
                    SessionRegistry.newCsrfToken(), user, app.isHost() ? app.host() : settings.defaultHost(), client,
                    loginData, started.init(), bridge, local, s -> {
                        sessionAudit.ended(s.bridge().bytesToBridge(), s.bridge().bytesFromBridge());
                        ticket.release();
                        registry.remove(s);
                    },
                    settings.allowMultiHost() ? LoginService.this : null, assets.packages()::select,
                    settings.limits().channelsPerSession());
            session.audit(sessionAudit);
            registry.add(session);
            bridge.attach(session);
            boolean superuserAtLogin = !launch.superuser().equals("none") && started.explicitSuperuser();
            if (superuserAtLogin) {
                SuperuserProbe.afterInit(session, sessionAudit);
            }
            SuperuserWatch.start(session, sessionAudit, superuserAtLogin);
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.put("csrf-token", session.csrfToken());
            body.set("login-data", loginData);
            metrics.loginSucceeded(started.beibootMode(), System.nanoTime() - startNanos, launched.timeline());
            LOG.infof("login %d from %s: %s logged into %s%s (%s bridge), session %s", id, client,
                    LogText.quoted(user), LogText.quoted(target.display()), by,
                    started.beibootMode() ? "beibooted" : "installed", session.id());
            finish(new LoginOutcome.Success(session, body));
        }

        private void emit(LoginOutcome o) {
            CompletableFuture<LoginOutcome> f = next;
            if (f != null) {
                f.complete(o);
            }
        }

        /**
         * Final outcome (null = aborted silently): wipes the password, frees the conversation and, unless a session
         * now holds it, the admission place; counts failed credentials and unreachable hosts against the client.
         */
        private void finish(LoginOutcome o) {
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            ScheduledFuture<?> at = answerTimer;
            if (at != null) {
                at.cancel(false);
            }
            String cid = pendingConversationId;
            if (cid != null) {
                conversations.remove(cid, this);
            }
            char[] pw = launch.password();
            if (pw != null) {
                java.util.Arrays.fill(pw, '\0');
            }
            if (o instanceof LoginOutcome.Failure fail) {
                audit.loginFailed(subject, fail.problem() == null ? null : fail.problem().wireName());
                metrics.loginFailed(fail.problem());
                LOG.infof("login %d from %s: %s at %s%s failed: %s", id, client, LogText.quoted(user),
                        LogText.quoted(target.display()), by, LogText.quoted(fail.reason()));
                if (fail.problem() == Problem.AUTHENTICATION_FAILED) {
                    ticket.failed(true);
                } else if (fail.problem() == Problem.UNKNOWN_HOST || fail.problem() == Problem.NO_HOST) {
                    ticket.failed(false);
                }
            }
            if (!(o instanceof LoginOutcome.Success)) {
                ticket.release();
            }
            if (o != null) {
                emit(o);
            } else {
                audit.loginFailed(subject, Problem.TIMEOUT.wireName());
                CompletableFuture<LoginOutcome> f = next;
                if (f != null) {
                    f.complete(LoginFailures.timeout());
                }
            }
        }
    }

    /** Attempts in progress: working on our side or waiting for the user's answer (metrics, readiness). */
    public int loginsInFlight() {
        return admission.working() + admission.prompts();
    }

    @PreDestroy
    void shutdown() {
        timers.shutdownNow();
        launcher.close();
    }
}
