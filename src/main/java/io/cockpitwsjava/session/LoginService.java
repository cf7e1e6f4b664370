package io.cockpitwsjava.session;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
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

import io.cockpitwsjava.beiboot.BootSequence;
import io.cockpitwsjava.bridge.BridgeConnection;
import io.cockpitwsjava.bridge.BridgeFailure;
import io.cockpitwsjava.config.GatewaySettings;
import io.cockpitwsjava.protocol.ControlMessage;
import io.cockpitwsjava.ssh.HostKeyQuestion;
import io.cockpitwsjava.ssh.HostTarget;
import io.cockpitwsjava.ssh.KnownHosts;
import io.cockpitwsjava.ssh.LoginConversation;
import io.cockpitwsjava.ssh.Prompt;
import io.cockpitwsjava.ssh.SshConnector;
import io.cockpitwsjava.ssh.SshCredentials;
import io.cockpitwsjava.ssh.SshLogin;
import io.cockpitwsjava.ssh.SshLoginException;
import io.cockpitwsjava.ssh.SshSettings;

/**
 * The login protocol (ws-contract §5): Basic credentials with known_hosts after the NUL, X-Conversation rounds
 * for host keys (reject and reconnect, nothing parked while the user reads) and extra prompts, then the bridge
 * boot and the session. Every request gets the next outcome of its attempt or a timeout.
 */
@ApplicationScoped
public class LoginService {
    private static final Logger LOG = Logger.getLogger(LoginService.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final GatewaySettings settings;
    private final SessionRegistry registry;
    private final BridgeAssets assets;
    private final SshConnector connector;
    private final SshPeerConnector peerConnector;
    private final HostAccessPolicy access;
    private final Map<String, Attempt> conversations = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong attemptIds = new AtomicLong();
    private final ExecutorService resolver = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "login-resolver");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService timers = newTimers();

    /** Cancelled deadlines leave the queue at once, so they do not keep finished logins (and sessions) reachable. */
    private static ScheduledExecutorService newTimers() {
        var t = new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "login-timers");
            thread.setDaemon(true);
            return thread;
        });
        t.setRemoveOnCancelPolicy(true);
        return t;
    }
    private final LoginMetrics metrics;

    @Inject
    public LoginService(GatewaySettings settings, SessionRegistry registry, BridgeAssets assets, LoginMetrics metrics) {
        this.settings = settings;
        this.registry = registry;
        this.assets = assets;
        this.metrics = metrics;
        this.access = new HostAccessPolicy(settings.allowedHosts(), settings.deniedAddresses());
        this.connector = new SshConnector(new SshSettings(settings.loginTimeout(), settings.loginTimeout(),
                settings.heartbeat(), settings.knownHostsFile(), System.getenv(), settings.nioWorkers(),
                settings.responseTimeout()));
        this.peerConnector = new SshPeerConnector(connector, access, assets, settings, resolver);
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
            return done(LoginFailures.problem("unknown-host", null, null));
        }
        String user = target.user() != null ? target.user() : creds.user();
        if (user == null || user.isEmpty()) {
            creds.wipe();
            return done(LoginFailures.problem("authentication-failed", null,
                    Map.of("auth-method-results", Map.of())));
        }
        String superuser = req.superuser() == null || req.superuser().isBlank() ? "none" : req.superuser().strip();
        boolean mayAsk = req.connectUnknownHosts() || settings.connectToUnknownHosts();
        Attempt attempt = new Attempt(req.app(), target, user, creds.password(), creds.knownHosts(), superuser, mayAsk);
        return attempt.begin();
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
        private final String superuser;
        private final boolean mayAsk;
        private final String browserKnownHosts;
        private final long startNanos = System.nanoTime();
        private char[] password;
        private volatile java.security.PublicKey confirmedKey;
        private volatile CompletableFuture<LoginOutcome> next;
        private volatile HostKeyQuestion pendingHostKey;
        private volatile CompletableFuture<String> pendingAnswer;
        private volatile String pendingConversationId;
        private volatile ScheduledFuture<?> answerTimer;
        private final AtomicBoolean finished = new AtomicBoolean();

        Attempt(Application app, HostTarget target, String user, char[] password, String knownHosts, String superuser,
                boolean mayAsk) {
            this.app = app;
            this.target = target;
            this.user = user;
            this.password = password;
            this.browserKnownHosts = knownHosts;
            this.superuser = superuser;
            this.mayAsk = mayAsk;
        }

        CompletableFuture<LoginOutcome> begin() {
            inFlight.incrementAndGet();
            CompletableFuture<LoginOutcome> waiter = newWaiter();
            CompletableFuture.supplyAsync(() -> access.permits(target.host()), resolver).whenComplete((ok, err) -> {
                if (err != null || !Boolean.TRUE.equals(ok)) {
                    LOG.infof("login %d: %s refused by the host policy or not resolvable", id, target.display());
                    finish(LoginFailures.problem("unknown-host", null, null));
                } else {
                    connect();
                }
            });
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
            SshCredentials creds = new SshCredentials(user, password, KnownHosts.parse(browserKnownHosts),
                    confirmedKey, mayAsk, this);
            connector.connect(target, creds).whenComplete((login, err) -> {
                if (err != null) {
                    onSshFailure(unwrap(err));
                } else {
                    boot(login);
                }
            });
        }

        private void onSshFailure(Throwable err) {
            if (err instanceof SshLoginException e) {
                Optional<HostKeyQuestion> q = e.hostKeyQuestion();
                if (q.isPresent() && confirmedKey == null) {
                    pendingHostKey = q.get();
                    ObjectNode body = JsonNodeFactory.instance.objectNode();
                    body.put("prompt", q.get().prompt());
                    body.put("echo", false);
                    body.put("default", q.get().fingerprint());
                    body.put("host-key", q.get().hostKeyField());
                    challenge(q.get().prompt(), body);
                    return;
                }
                java.util.LinkedHashMap<String, Object> extra = new java.util.LinkedHashMap<>();
                if (e.problem().startsWith("authentication")) {
                    extra.put("auth-method-results", e.authMethodResults());
                }
                if (e.knownHosts() != null) {
                    extra.put("known-hosts", e.knownHosts());
                }
                finish(LoginFailures.problem(e.problem(), e.message(), extra));
                return;
            }
            LOG.warnf("login %d: unexpected SSH failure: %s", id, err.toString());
            finish(LoginFailures.problem("internal-error", err.getMessage(), null));
        }

        /** Keyboard-interactive / password-change prompts from the SSH layer (called on a MINA thread). */
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
            HostKeyQuestion q = pendingHostKey;
            if (q != null) {
                pendingHostKey = null;
                if (text.equals(q.fingerprint()) || text.equalsIgnoreCase("yes")) {
                    confirmedKey = q.key();
                    connect();
                } else {
                    finish(LoginFailures.problem("unknown-hostkey", null, null));
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

        private void boot(SshLogin login) {
            if (finished.get()) {
                login.session().close(true);
                return;
            }
            BootSequence boot = new BootSequence(assets.mode(), assets.payload(), assets.reportFiles(), assets.osPolicy());
            BridgeConnection.start(login.session(), boot, settings.loginTimeout(), user + "@" + target.display())
                    .whenComplete((started, err) -> {
                        if (err != null) {
                            Throwable e = unwrap(err);
                            var extra = new java.util.LinkedHashMap<String, Object>();
                            String message = null;
                            String problem = "internal-error";
                            if (e instanceof BridgeFailure bf) {
                                problem = bf.problem();
                                message = bf.detail();
                                extra.putAll(bf.fields());
                            } else if (e instanceof TimeoutException) {
                                finish(LoginFailures.timeout());
                                return;
                            }
                            if (confirmedKey != null) {
                                extra.put("known-hosts", login.knownHostsForLoginData());
                            }
                            finish(LoginFailures.problem(problem, message, extra));
                        } else {
                            established(login, started);
                        }
                    });
        }

        private void established(SshLogin login, BridgeConnection.Started started) {
            BridgeConnection bridge = started.bridge();
            if (finished.get()) {
                bridge.close();
                return;
            }
            boolean explicitSuperuser = started.init().node().path("capabilities").path("explicit-superuser").asBoolean(false);
            ControlMessage init = ControlMessage.of("init").with("version", 1).with("host", "localhost");
            boolean keepPassword = !user.equals("root") && (!superuser.equals("none") || app.isHost());
            if (explicitSuperuser) {
                if (!superuser.equals("none")) {
                    init.with("superuser", JsonNodeFactory.instance.objectNode().put("id", superuser));
                } else {
                    init.with("superuser", false);
                    keepPassword = false;
                }
            }
            bridge.send(init);

            ObjectNode loginData = JsonNodeFactory.instance.objectNode();
            loginData.put("known-hosts", login.knownHostsForLoginData());
            var local = started.beibootMode() ? Optional.of(assets.packages().select(started.existingFiles()))
                    : Optional.<io.cockpitwsjava.packages.LocalPackages>empty();
            char[] kept = keepPassword && password != null ? password.clone() : null;
            WebSession session = new WebSession("s" + id, app.name(), app.cookieName(), SessionRegistry.newCookieValue(),
                    SessionRegistry.newCsrfToken(), user, app.isHost() ? app.host() : settings.defaultHost(), kept,
                    loginData, started.init(), bridge, local, registry::remove,
                    settings.allowMultiHost() ? peerConnector : null, assets.packages()::select);
            registry.add(session);
            bridge.attach(session);
            if (kept != null) {
                session.onEnd(timers.schedule(session::wipePassword, settings.passwordRetention().toMillis(),
                        TimeUnit.MILLISECONDS));
            }
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
            if (password != null) {
                java.util.Arrays.fill(password, '\0');
                password = null;
            }
            if (o instanceof LoginOutcome.Failure fail) {
                metrics.loginFailed(fail.json() == null ? fail.reason() : fail.json().path("problem").asText());
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

    static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** Attempts currently running (for MaxStartups and metrics). */
    public int loginsInFlight() {
        return inFlight.get();
    }

    @PreDestroy
    void shutdown() {
        timers.shutdownNow();
        resolver.shutdownNow();
        try {
            connector.close();
        } catch (Exception e) {
            LOG.debug("closing the SSH client", e);
        }
    }
}
