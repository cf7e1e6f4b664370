package io.cockpitwsjava.ssh;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.password.PasswordIdentityProvider;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.future.AuthFuture;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.PropertyResolverUtils;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelListener;
import org.apache.sshd.common.kex.KexProposalOption;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.common.signature.Signature;
import org.apache.sshd.common.signature.SignatureFactoriesManager;
import org.apache.sshd.client.auth.keyboard.UserInteraction;
import org.apache.sshd.core.CoreModuleProperties;
import org.jboss.logging.Logger;

import io.cockpitwsjava.protocol.HostTarget;
import io.cockpitwsjava.protocol.LogText;
import io.cockpitwsjava.protocol.Problem;
import io.cockpitwsjava.protocol.ProblemException;

/**
 * The gateway's one MINA {@link SshClient}, hardened (architecture rule 5): a per-login host-key check (never
 * accept-all), no default identities, no {@code ~/.ssh/config}, password offered once, heartbeats, OpenSSH-like
 * host-key algorithm order, and the host access policy checked on the very addresses it connects to. Its sockets send
 * without Nagle's algorithm and acknowledge at once ({@link QuickAckIo}). Each login's steps are noted in a
 * {@link LoginTimeline}.
 * {@link #connect} returns an authenticated {@link ClientSession} or a {@link ProblemException}.
 */
public final class SshConnector implements AutoCloseable {
    static {
        // Use Bouncy Castle as a provider instance, never via a global Security.addProvider: a JVM-wide "BC"
        // registered by one class loader breaks Ed25519 in another (Quarkus dev/test restarts, plain tests).
        if (System.getProperty("org.apache.sshd.security.provider.BC.useNamed") == null) {
            System.setProperty("org.apache.sshd.security.provider.BC.useNamed", "false");
        }
    }


    private static final Logger LOG = Logger.getLogger(SshConnector.class);

    /** OpenSSH's host-key preference: Ed25519, then ECDSA, then RSA with SHA-2 (no SHA-1 {@code ssh-rsa}, no DSA). */
    /**
     * AES-GCM first: the JVM runs it on the CPU's AES instructions, while MINA's chacha20-poly1305 is pure Java and
     * cost about 3x the gateway CPU per relayed GB. All three are OpenSSH defaults; CBC modes are not offered.
     */
    static final List<org.apache.sshd.common.cipher.BuiltinCiphers> CIPHER_ORDER = List.of(
            org.apache.sshd.common.cipher.BuiltinCiphers.aes128gcm, org.apache.sshd.common.cipher.BuiltinCiphers.aes256gcm,
            org.apache.sshd.common.cipher.BuiltinCiphers.cc20p1305_openssh,
            org.apache.sshd.common.cipher.BuiltinCiphers.aes128ctr, org.apache.sshd.common.cipher.BuiltinCiphers.aes192ctr,
            org.apache.sshd.common.cipher.BuiltinCiphers.aes256ctr);

    static final List<BuiltinSignatures> ALGORITHM_ORDER = List.of(
            BuiltinSignatures.ed25519,
            BuiltinSignatures.nistp256, BuiltinSignatures.nistp384, BuiltinSignatures.nistp521,
            BuiltinSignatures.rsaSHA512, BuiltinSignatures.rsaSHA256,
            BuiltinSignatures.sk_ssh_ed25519, BuiltinSignatures.sk_ecdsa_sha2_nistp256);

    /**
     * Key exchanges tried first, in this order, before the rest of MINA's list: OpenSSH 10's own preference. MINA puts
     * {@code sntrup761x25519-sha512} first, whose key pair costs ≈ 53 ms of gateway CPU per login, where
     * {@code mlkem768x25519-sha256} (also post-quantum, OpenSSH ≥ 9.9) costs under 1 ms (docs/PERFORMANCE.md, "Logins").
     * Servers without ML-KEM still get sntrup761 or curve25519 as before.
     */
    static final List<String> KEX_FIRST = List.of("mlkem768x25519-sha256", "sntrup761x25519-sha512",
            "sntrup761x25519-sha512@openssh.com", "curve25519-sha256", "curve25519-sha256@libssh.org");

    /** {@code factories} with those named in {@link #KEX_FIRST} moved to the front, in that order; none added. */
    static <F extends org.apache.sshd.common.NamedResource> List<F> kexOrder(List<F> factories) {
        List<F> out = new java.util.ArrayList<>(factories.size());
        for (String name : KEX_FIRST) {
            factories.stream().filter(f -> f.getName().equals(name)).findFirst().ifPresent(out::add);
        }
        factories.stream().filter(f -> !KEX_FIRST.contains(f.getName())).forEach(out::add);
        return out;
    }

    /** Name resolution: the JVM's resolver in production; tests give one whose answers they control. */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final SshSettings settings;
    private final HostAccessPolicy access;
    private final Resolver resolver;
    private final SshClient client;
    private final ScheduledExecutorService timer;
    private final ExecutorService starter;

    /**
     * @param access which hosts may be reached; checked on the resolved addresses, and the connection goes to the
     *               checked address (no second lookup)
     */
    public SshConnector(SshSettings settings, HostAccessPolicy access) {
        this(settings, access, InetAddress::getAllByName);
    }

    SshConnector(SshSettings settings, HostAccessPolicy access, Resolver resolver) {
        this.settings = settings;
        this.access = java.util.Objects.requireNonNull(access, "access");
        this.resolver = java.util.Objects.requireNonNull(resolver, "resolver");
        if (!BuiltinSignatures.ed25519.isSupported()) {
            // bcprov on the class path makes MINA register its Bouncy Castle EdDSA support
            LOG.warn("Ed25519 is not available to MINA SSHD: Ed25519-only hosts will fail key exchange");
        }
        ScheduledThreadPoolExecutor loginTimer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "ssh-login-timer");
            t.setDaemon(true);
            return t;
        });
        // a cancelled deadline must not stay queued until it would have fired: it holds the LoginAttempt and with
        // it the whole (often already closed) SSH session for the full connect/auth timeout
        loginTimer.setRemoveOnCancelPolicy(true);
        this.timer = loginTimer;
        this.starter = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("ssh-connect-", 0).factory());
        this.client = createClient(settings);
        client.addSessionListener(new AttemptListener());
        client.addChannelListener(new ChannelListener() {
            @Override
            public void channelOpenSuccess(Channel channel) {
                LoginAttempt a = LoginAttempt.of(channel.getSession());
                if (a != null) {
                    a.timeline.mark(LoginTimeline.Step.EXEC_OPEN);
                }
            }
        });
        client.start();
    }

    private static SshClient createClient(SshSettings settings) {
        SshClient c = SshClient.setUpDefaultClient();
        // immediate ACKs: sshd's Nagle would hold the channel-open confirmation behind its host-keys message
        c.setIoServiceFactoryFactory(new QuickAckIo());
        c.setServerKeyVerifier(new HostKeyCheck());
        c.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        c.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        c.setPasswordIdentityProvider(PasswordIdentityProvider.EMPTY_PASSWORDS_PROVIDER);
        c.setFilePasswordProvider(FilePasswordProvider.EMPTY);
        // an ssh-agent of the gateway's environment (e.g. a socket mounted into the container) lends its keys
        String agentSocket = settings.env().get("SSH_AUTH_SOCK");
        c.setAgentFactory(agentSocket == null || agentSocket.isBlank() ? null
                : new UnixSocketAgentFactory(java.nio.file.Path.of(agentSocket)));
        c.setUserInteraction(new LoginInteraction());
        c.setUserAuthFactories(TrackedAuthMethods.factories());
        c.setSignatureFactories(supported(ALGORITHM_ORDER));
        c.setCipherFactories(new java.util.ArrayList<>(CIPHER_ORDER.stream().filter(f -> f.isSupported()).toList()));
        // host certificates are judged by HostKeyCheck with the names the login knows the host by
        c.setKeyExchangeFactories(HostCertificateKex.of(kexOrder(c.getKeyExchangeFactories())));

        CoreModuleProperties.PASSWORD_PROMPTS.set(c, 1);
        // our LoginInteraction decides which keyboard-interactive prompt gets the password
        PropertyResolverUtils.updateProperty(c, UserInteraction.AUTO_DETECT_PASSWORD_PROMPT, false);
        CoreModuleProperties.IO_CONNECT_TIMEOUT.set(c, settings.connectTimeout());
        // MINA's own auth timer is only a backstop; LoginAttempt enforces authTimeout excluding prompt time
        CoreModuleProperties.AUTH_TIMEOUT.set(c,
                settings.connectTimeout().plus(settings.authTimeout()).plus(settings.responseTimeout().multipliedBy(4)));
        // sessions live as long as the browser session; dead peers are found by heartbeats, not idleness
        CoreModuleProperties.IDLE_TIMEOUT.set(c, Duration.ZERO);
        if (!settings.heartbeat().isZero()) {
            CoreModuleProperties.HEARTBEAT_INTERVAL.set(c, settings.heartbeat());
            CoreModuleProperties.HEARTBEAT_REQUEST.set(c, "keepalive@openssh.com");
            CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(c, 4);
        }
        CoreModuleProperties.NIO_WORKERS.set(c, settings.nioWorkers());
        // interactive traffic (echo, terminal keystrokes) must not wait for Nagle's algorithm and the peer's
        // delayed ACK: with MINA's default (off), small round trips took ~40 ms whenever two writes were in flight
        CoreModuleProperties.TCP_NODELAY.set(c, true);
        return c;
    }

    /**
     * Connects to {@code target} and authenticates with {@code login}'s key alone, accepting only its host keys (see
     * {@link KeyLogin}). Like {@link #connect(HostTarget, SshCredentials)}: never blocks, the host access policy is
     * checked on the resolved addresses, and the future fails with {@link ProblemException}.
     */
    public CompletableFuture<SshLogin> connect(HostTarget target, KeyLogin login) {
        return connect(target, login, null);
    }

    /**
     * {@link #connect(HostTarget, KeyLogin)} under {@code policy} instead of the connector's own host access policy
     * (null: the connector's): an inventory host is reachable because the inventory names it, not because it
     * matches {@code allowed-hosts}.
     */
    public CompletableFuture<SshLogin> connect(HostTarget target, KeyLogin login, HostAccessPolicy policy) {
        return connect(target, login, policy, new LoginTimeline());
    }

    /**
     * {@link #connect(HostTarget, KeyLogin, HostAccessPolicy)}, noting its steps up to {@code AUTHENTICATED} in
     * {@code timeline}.
     */
    public CompletableFuture<SshLogin> connect(HostTarget target, KeyLogin login, HostAccessPolicy policy,
            LoginTimeline timeline) {
        HostTarget effective;
        try {
            effective = target.withUser(login.user());
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new ProblemException(Problem.AUTHENTICATION_FAILED,
                    "no usable user name: " + e.getMessage()));
        }
        SshCredentials none = new SshCredentials(login.user(), null, login.hostKeys(), null, false, null);
        LoginAttempt a = new LoginAttempt(effective, none, settings, timer, timeline);
        a.keyLogin = login;
        return begin(a, policy);
    }

    public SshSettings settings() {
        return settings;
    }

    /**
     * Connects to {@code target} and authenticates. Never blocks the calling thread: name resolution and reading key
     * files run on a virtual thread, the rest on MINA's I/O threads. The user is {@code target.user()} if set, else
     * {@code creds.user()}.
     *
     * @return completes with the login, or exceptionally with {@link ProblemException}; cancelling it aborts the
     *     attempt
     */
    public CompletableFuture<SshLogin> connect(HostTarget target, SshCredentials creds) {
        return connect(target, creds, null);
    }

    /**
     * {@link #connect(HostTarget, SshCredentials)} under {@code policy} instead of the connector's own host access
     * policy (null: the connector's).
     */
    public CompletableFuture<SshLogin> connect(HostTarget target, SshCredentials creds, HostAccessPolicy policy) {
        return connect(target, creds, policy, new LoginTimeline());
    }

    /**
     * {@link #connect(HostTarget, SshCredentials, HostAccessPolicy)}, noting its steps up to {@code AUTHENTICATED} in
     * {@code timeline}.
     */
    public CompletableFuture<SshLogin> connect(HostTarget target, SshCredentials creds, HostAccessPolicy policy,
            LoginTimeline timeline) {
        String user = target.user() != null ? target.user() : creds.user();
        HostTarget effective;
        try {
            if (user == null || user.isEmpty()) {
                throw new IllegalArgumentException("no user name");
            }
            effective = target.withUser(user);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new ProblemException(Problem.AUTHENTICATION_FAILED,
                    "no usable user name: " + e.getMessage()));
        }
        return begin(new LoginAttempt(effective, creds, settings, timer, timeline), policy);
    }

    /** Starts {@code a} under {@code policy} (null: the connector's); cancelling its future aborts it. */
    private CompletableFuture<SshLogin> begin(LoginAttempt a, HostAccessPolicy policy) {
        a.access = policy;
        a.result.whenComplete((login, error) -> {
            if (error instanceof CancellationException) {
                a.fail(new ProblemException(Problem.TERMINATED, "login cancelled"));
            }
        });
        starter.execute(() -> start(a));
        return a.result;
    }

    /**
     * Resolves once, checks, and connects to a checked address. Until the server has shown its host key every failure
     * is "unreachable" and answered only when the connect timeout has run out (see {@link LoginAttempt#unreachable}).
     */
    private void start(LoginAttempt a) {
        try {
            a.arm(settings.connectTimeout());
            List<InetSocketAddress> addresses = checkedAddresses(a);
            if (addresses.isEmpty()) {
                a.unreachable("refused by the host access policy or not resolvable", null);
                return;
            }
            a.trusted = a.creds.trusted().plus(globalKnownHosts());
            List<KeyPair> keys = userKeys(a);
            a.timeline.mark(LoginTimeline.Step.RESOLVED);
            connectTo(a, addresses, 0, keys);
        } catch (IOException | RuntimeException e) {
            a.unreachable(describe(e), e);
        }
    }

    /**
     * The addresses this login may connect to, all of them checked by the policy: the pinned address of a
     * confirmed host key (no new lookup: a changed DNS answer cannot redirect the login the user confirmed), else
     * every address of one lookup. Empty = refused or unresolvable.
     */
    private List<InetSocketAddress> checkedAddresses(LoginAttempt a) {
        HostTarget target = a.target;
        HostAccessPolicy access = a.access != null ? a.access : this.access;
        InetSocketAddress pinned = a.creds.pinnedAddress();
        if (pinned != null) {
            boolean ok = pinned.getAddress() != null && pinned.getPort() == target.port()
                    && access.permits(target.host(), target.port(), new InetAddress[] {pinned.getAddress()});
            return ok ? List.of(new InetSocketAddress(withoutName(pinned.getAddress()), pinned.getPort())) : List.of();
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(target.host());
        } catch (UnknownHostException | SecurityException e) {
            return List.of();
        }
        if (addresses == null || !access.permits(target.host(), target.port(), addresses)) {
            return List.of();
        }
        List<InetSocketAddress> out = new ArrayList<>(addresses.length);
        for (InetAddress address : addresses) {
            out.add(new InetSocketAddress(withoutName(address), target.port()));
        }
        return out;
    }

    /**
     * The same address without the host name it was resolved from. MINA's {@code SshClient.connect(SocketAddress)}
     * takes {@link InetSocketAddress#getHostString()} and resolves it again: with the name still attached, that
     * would be a second DNS lookup after the policy check (rebinding); with a bare address it is a literal.
     */
    static InetAddress withoutName(InetAddress a) {
        try {
            return a instanceof Inet6Address v6 && v6.getScopeId() != 0
                    ? Inet6Address.getByAddress(null, v6.getAddress(), v6.getScopeId())
                    : InetAddress.getByAddress(a.getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of 4 or 16 bytes is always valid", e);
        }
    }

    /** Connects to {@code addresses[i]}; one that refuses at once hands over to the next, as OpenSSH does. */
    private void connectTo(LoginAttempt a, List<InetSocketAddress> addresses, int i, List<KeyPair> keys)
            throws IOException {
        a.address = addresses.get(i);
        ConnectFuture connecting = client.connect(a.target.user(), addresses.get(i),
                AttributeRepository.ofKeyValuePair(LoginAttempt.KEY, a), null);
        connecting.addListener(f -> {
            if (f.isConnected() || i + 1 >= addresses.size() || a.result.isDone()) {
                onConnected(a, f, keys);
                return;
            }
            LOG.debugf("cannot connect to %s at %s (%s); trying the next address", a.target.display(),
                    addresses.get(i), describe(f.getException()));
            try {
                connectTo(a, addresses, i + 1, keys);
            } catch (IOException | RuntimeException e) {
                a.unreachable(describe(e), e);
            }
        });
    }

    private KnownHosts globalKnownHosts() {
        try {
            return KnownHosts.load(settings.globalKnownHosts());
        } catch (IOException e) {
            LOG.warnf("cannot read %s: %s", settings.globalKnownHosts(), e.toString());
            return KnownHosts.EMPTY;
        }
    }

    private List<KeyPair> userKeys(LoginAttempt a) {
        if (a.keyLogin != null) {
            return List.of(a.keyLogin.identity());
        }
        Path file = UserKeyFile.pathFor(settings.env(), a.target);
        if (file == null) {
            return List.of();
        }
        try {
            List<KeyPair> keys = UserKeyFile.load(file, a.creds.password());
            a.keysConfigured = true;
            return keys;
        } catch (Exception e) {
            // wrong passphrase or unreadable file: go on with the other methods, report publickey=error
            a.keyProblem = e.getClass().getSimpleName();
            LOG.warnf("cannot use private key %s: %s", file, e.getClass().getSimpleName());
            return List.of();
        }
    }

    private void onConnected(LoginAttempt a, ConnectFuture f, List<KeyPair> keys) {
        if (!f.isConnected()) {
            a.unreachable(describe(f.getException()), f.getException());
            return;
        }
        ClientSession s = f.getClientSession();
        a.session = s;
        if (a.result.isDone()) {
            s.close(true);
            return;
        }
        keys.forEach(s::addPublicKeyIdentity);
        s.addCloseFutureListener(closed -> ended(a, null));
        try {
            AuthFuture auth = s.auth();
            auth.addListener(done -> {
                if (done.isSuccess()) {
                    a.timeline.mark(LoginTimeline.Step.AUTHENTICATED);
                    LOG.debugf("logged in to %s", a.target.display());
                    a.succeed(new SshLogin(s, a.knownHostsForLoginData(), a.target));
                } else {
                    ended(a, done.getException());
                }
            });
        } catch (IOException | RuntimeException e) {
            ended(a, e);
        }
    }

    /**
     * The connection ended or authentication failed. Before the server showed its host key (a port that is not
     * SSH, garbage, a close before the key exchange) that is "unreachable", like a closed port; after it, a login
     * failure that may show the key.
     */
    private static void ended(LoginAttempt a, Throwable t) {
        if (a.hostKeyProblem == null && !a.kexDone) {
            a.unreachable(t == null ? "closed before the key exchange finished" : describe(t), t);
        } else {
            a.fail(loginFailure(a, t));
        }
    }

    /** For logs only (never for the client): the exception's class and its message, escaped (a peer may write it). */
    static String describe(Throwable t) {
        if (t == null) {
            return "connection failed";
        }
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + LogText.quoted(m));
    }

    /** Failures after the server showed its host key: host key, authentication, or the server closing on us. */
    static ProblemException loginFailure(LoginAttempt a, Throwable t) {
        Problem hostKeyProblem = a.hostKeyProblem;
        java.util.Map<String, Object> fields = new java.util.LinkedHashMap<>();
        String knownHosts = a.knownHostsOnFailure();
        if (hostKeyProblem != null) {
            boolean unknown = hostKeyProblem == Problem.UNKNOWN_HOSTKEY;
            String msg = unknown ? "host key of " + a.target.knownHostsName() + " is unknown"
                    : "host key of " + a.target.knownHostsName() + " does not match";
            if (!knownHosts.isEmpty()) {
                fields.put("known-hosts", knownHosts);
            }
            return new ProblemException(hostKeyProblem, msg, fields, unknown ? a.hostKeyChallenge : null, t);
        }
        // only reached after the key exchange (see ended): the server closing on us now is an authentication end
        fields.put("auth-method-results", a.authMethodResults());
        if (!knownHosts.isEmpty()) {
            fields.put("known-hosts", knownHosts);
        }
        return new ProblemException(Problem.AUTHENTICATION_FAILED,
                "authentication to " + a.target.display() + " failed", fields, null, t);
    }

    /** The supported subset of {@code order}, as MINA factories. */
    private static List<NamedFactory<Signature>> supported(List<BuiltinSignatures> order) {
        List<NamedFactory<Signature>> out = new ArrayList<>();
        for (BuiltinSignatures s : order) {
            if (s.isSupported()) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * Key types already trusted for the host go first, as OpenSSH does: a host known by its ECDSA key is then not
     * "changed" just because it also has an Ed25519 key.
     */
    static List<NamedFactory<Signature>> preferring(Set<String> keyTypes) {
        List<BuiltinSignatures> first = new ArrayList<>();
        List<BuiltinSignatures> rest = new ArrayList<>();
        for (BuiltinSignatures s : ALGORITHM_ORDER) {
            (keyTypes.contains(KeyUtils.getCanonicalKeyType(s.getName())) ? first : rest).add(s);
        }
        first.addAll(rest);
        return supported(first);
    }

    /** OpenSSH's host certificate algorithms, in its order: asked for first when a host CA is known for the host. */
    static final List<BuiltinSignatures> HOST_CERTIFICATE_ORDER = List.of(BuiltinSignatures.ed25519_cert,
            BuiltinSignatures.nistp256_cert, BuiltinSignatures.nistp384_cert, BuiltinSignatures.nistp521_cert,
            BuiltinSignatures.rsaSHA512_cert, BuiltinSignatures.rsaSHA256_cert);

    /**
     * Certificates first, then the plain keys as {@link #preferring}: with a {@code @cert-authority} line for the host,
     * OpenSSH asks for host certificates before plain keys, and a server without one answers with its plain key.
     */
    static List<NamedFactory<Signature>> certificatesFirst(Set<String> keyTypes) {
        List<NamedFactory<Signature>> out = supported(HOST_CERTIFICATE_ORDER);
        out.addAll(preferring(keyTypes));
        return out;
    }

    /**
     * Per-session hooks: algorithm order before KEXINIT, the switch from connect to auth timeout, and the steps of
     * the login's timeline.
     */
    private final class AttemptListener implements SessionListener {
        @Override
        public void sessionCreated(Session session) {
            LoginAttempt a = LoginAttempt.of(session);
            if (a != null) {
                a.timeline.mark(LoginTimeline.Step.CONNECTED);
            }
            if (a == null || a.trusted == null) {
                return;
            }
            Set<String> types = new LinkedHashSet<>(a.hostKeys().keyTypesFor(a.target));
            String confirmed = a.creds.confirmedKey();
            if (confirmed != null) {
                String[] parts = confirmed.strip().split("\\s+");
                if (parts.length >= 2) {
                    types.add(KeyUtils.getCanonicalKeyType(parts[1]));
                }
            }
            boolean certificates = a.hostKeys().hasCertificateAuthorityFor(a.target);
            if ((certificates || !types.isEmpty()) && session instanceof SignatureFactoriesManager m) {
                m.setSignatureFactories(certificates ? certificatesFirst(types) : preferring(types));
            }
        }

        @Override
        public void sessionPeerIdentificationReceived(Session session, String version, List<String> extraLines) {
            LoginAttempt a = LoginAttempt.of(session);
            if (a != null) {
                a.timeline.mark(LoginTimeline.Step.SERVER_VERSION);
            }
        }

        @Override
        public void sessionNegotiationEnd(Session session, Map<KexProposalOption, String> clientProposal,
                Map<KexProposalOption, String> serverProposal, Map<KexProposalOption, String> negotiated,
                Throwable reason) {
            LoginAttempt a = LoginAttempt.of(session);
            if (a != null && reason == null) {
                a.timeline.mark(LoginTimeline.Step.NEGOTIATED);
            }
        }

        @Override
        public void sessionEvent(Session session, Event event) {
            LoginAttempt a = LoginAttempt.of(session);
            if (a != null && event == Event.KeyEstablished) {
                a.timeline.mark(LoginTimeline.Step.KEX_DONE);
            }
            // MINA signals KexCompleted once our side of the exchange is sent, before the server's reply
            if (a != null && event == Event.KexCompleted && !a.kexDone) {
                a.timeline.mark(LoginTimeline.Step.KEY_SENT);
                a.kexDone = true;
                a.arm(settings.authTimeout());
            }
        }
    }

    @Override
    public void close() {
        try {
            client.stop();
        } finally {
            timer.shutdownNow();
            starter.shutdownNow();
        }
    }
}
