package io.cockpitwsjava.session;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cockpitwsjava.bridge.BridgeConnection;
import io.cockpitwsjava.bridge.BridgeLauncher;
import io.cockpitwsjava.config.GatewaySettings;
import io.cockpitwsjava.protocol.HostKeyChallenge;
import io.cockpitwsjava.protocol.HostTarget;
import io.cockpitwsjava.protocol.LoginConversation;
import io.cockpitwsjava.protocol.Problem;
import io.cockpitwsjava.protocol.ProblemException;
import io.cockpitwsjava.protocol.Prompt;

/**
 * The login protocol (ws-contract §5): Basic credentials with known_hosts after the NUL, X-Conversation rounds
 * for host keys (reject and reconnect, nothing parked while the user reads) and extra prompts, then the bridge
 * (started by the {@link BridgeLauncher}) and the session. Every request gets the next outcome of its attempt or a
 * timeout. Also starts the bridges of multi-host peers ({@link PeerConnector}).
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
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong attemptIds = new AtomicLong();
    private final ScheduledExecutorService timers = newTimers();
    private final LoginMetrics metrics;

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
    }

    /** The parsed login request headers. */
    public record Request(Application app, String authorization, String superuser, boolean connectUnknownHosts,
            String remoteAddress) {
    }

    /** Handles one {@code GET /<app>/login} (the already-logged-in case is handled by the caller). */
    public CompletableFuture<LoginOutcome> login(Request req) {
        String auth = req.authorization();
        if (auth == null || auth.isBlank()) {
            return done(LoginFailures.plain(401, "Authentication required"));
        }
        String[] parts = auth.strip().split(" ");
        String scheme = parts[0].toLowerCase(Locale.ROOT);
        if (scheme.equals("x-conversation")) {
            if (parts.length != 3) {
                return done(LoginFailures.plain(401, "Invalid conversation token"));
            }
            Attempt attempt = conversations.remove(parts[1]);
            if (attempt == null) {
                return done(LoginFailures.plain(401, "Invalid conversation token"));
            }
            String answer;
            try {
                answer = new String(Base64.getMimeDecoder().decode(parts[2]), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                answer = "";
            }
            return attempt.answer(answer);
        }
        if (!scheme.equals("basic") || settings.basicDisabled()) {
            return done(LoginFailures.plain(401, "Authentication disabled"));
        }
        if (req.app().isHost() && !settings.loginTo()) {
            return done(LoginFailures.plain(401, "Direct remote login is disabled"));
        }
        if (!req.app().isHost() && settings.requireHost()) {
            return done(LoginFailures.plain(403, "Host required"));
        }
        BasicCredentials creds = BasicCredentials.parse(parts.length > 1 ? parts[1] : "");
        if (creds == null) {
            return done(LoginFailures.plain(400, "Bad request"));
        }
        if (!settings.maxStartups().admits(inFlight.get(), RANDOM)) {
            creds.wipe();
            return done(LoginFailures.plain(500, "Connection closed by host"));
        }
        String spec = req.app().isHost() ? req.app().host() : settings.defaultHost();
        HostTarget target;
        try {
            target = HostTarget.parse(spec);
        } catch (IllegalArgumentException e) {
            creds.wipe();
            return done(LoginFailures.problem(Problem.UNKNOWN_HOST, null, null));
        }
        String user = target.user() != null ? target.user() : creds.user();
        if (user == null || user.isEmpty()) {
            creds.wipe();
            return done(LoginFailures.problem(Problem.AUTHENTICATION_FAILED, null,
                    Map.of("auth-method-results", Map.of())));
        }
        String superuser = req.superuser() == null || req.superuser().isBlank() ? "none" : req.superuser().strip();
        boolean mayAsk = req.connectUnknownHosts() || settings.connectToUnknownHosts();
        Attempt attempt = new Attempt(req.app(), target, user, creds.password(), creds.knownHosts(), superuser, mayAsk);
        return attempt.begin();
    }

    /** A bridge for a multi-host peer of a session: the same launcher, strict host keys, no prompts. */
    @Override
    public CompletableFuture<BridgeLauncher.Launched> connect(BridgeLauncher.Launch launch) {
        return launcher.launch(launch);
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
        private BridgeLauncher.Launch launch;
        private volatile CompletableFuture<LoginOutcome> next;
        private volatile HostKeyChallenge pendingHostKey;
        private volatile CompletableFuture<String> pendingAnswer;
        private volatile String pendingConversationId;
        private volatile ScheduledFuture<?> answerTimer;
        private final AtomicBoolean finished = new AtomicBoolean();

        Attempt(Application app, HostTarget target, String user, char[] password, String knownHosts, String superuser,
                boolean mayAsk) {
            this.app = app;
            this.target = target;
            this.user = user;
            boolean retainPassword = !user.equals("root") && (!superuser.equals("none") || app.isHost());
            this.launch = new BridgeLauncher.Launch(target, user, password, knownHosts, null, mayAsk, this,
                    "localhost", superuser, retainPassword, user + "@" + target.display());
        }

        CompletableFuture<LoginOutcome> begin() {
            inFlight.incrementAndGet();
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
                    LOG.infof("login %d: no progress within %d s", id, t.toSeconds());
                    finish(LoginFailures.timeout());
                }
            }, t.toMillis(), TimeUnit.MILLISECONDS);
            f.whenComplete((o, e) -> deadline.cancel(false));
            return f;
        }

        private void connect() {
            launcher.launch(launch).whenComplete((launched, err) -> {
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
                LOG.warnf("login %d: unexpected failure: %s", id, String.valueOf(e.getCause()));
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

        private void challenge(String prompt, ObjectNode body) {
            String cid = newConversationId();
            pendingConversationId = cid;
            conversations.put(cid, this);
            answerTimer = timers.schedule(() -> {
                if (conversations.remove(cid, this)) {
                    LOG.infof("login %d: prompt not answered within %d s", id, settings.responseTimeout().toSeconds());
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
            HostKeyChallenge q = pendingHostKey;
            if (q != null) {
                pendingHostKey = null;
                if (q.isConfirmedBy(text)) {
                    launch = launch.confirming(q.knownHostsLine());
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
            ObjectNode loginData = JsonNodeFactory.instance.objectNode();
            loginData.put("known-hosts", launched.knownHostsForLoginData());
            var started = launched.started();
            var local = started.beibootMode() ? Optional.of(assets.packages().select(started.existingFiles()))
                    : Optional.<io.cockpitwsjava.packages.LocalPackages>empty();
            WebSession session = new WebSession("s" + id, app.name(), app.cookieName(), SessionRegistry.newCookieValue(),
                    SessionRegistry.newCsrfToken(), user, app.isHost() ? app.host() : settings.defaultHost(),
                    loginData, started.init(), bridge, local, registry::remove,
                    settings.allowMultiHost() ? LoginService.this : null, assets.packages()::select,
                    settings.limits().channelsPerSession());
            registry.add(session);
            bridge.attach(session);
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.put("csrf-token", session.csrfToken());
            body.set("login-data", loginData);
            metrics.loginSucceeded(started.beibootMode(), System.nanoTime() - startNanos);
            LOG.infof("login %d: %s logged into %s (%s bridge), session %s", id, user, target.display(),
                    started.beibootMode() ? "beibooted" : "installed", session.id());
            finish(new LoginOutcome.Success(session, body));
        }

        private void emit(LoginOutcome o) {
            CompletableFuture<LoginOutcome> f = next;
            if (f != null) {
                f.complete(o);
            }
        }

        /** Final outcome (null = aborted silently): wipes the password and frees the conversation. */
        private void finish(LoginOutcome o) {
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            inFlight.decrementAndGet();
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
                metrics.loginFailed(fail.problem());
                LOG.infof("login %d: %s at %s failed: %s", id, user, target.display(), fail.reason());
            }
            if (o != null) {
                emit(o);
            } else {
                CompletableFuture<LoginOutcome> f = next;
                if (f != null) {
                    f.complete(LoginFailures.timeout());
                }
            }
        }
    }

    /** Attempts currently running (for MaxStartups and metrics). */
    public int loginsInFlight() {
        return inFlight.get();
    }

    @PreDestroy
    void shutdown() {
        timers.shutdownNow();
        launcher.close();
    }
}
