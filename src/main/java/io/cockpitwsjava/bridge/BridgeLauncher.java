package io.cockpitwsjava.bridge;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import org.jboss.logging.Logger;

import io.cockpitwsjava.config.GatewaySettings;
import io.cockpitwsjava.protocol.ControlMessage;
import io.cockpitwsjava.protocol.HostKeyChallenge;
import io.cockpitwsjava.protocol.HostTarget;
import io.cockpitwsjava.protocol.LoginConversation;
import io.cockpitwsjava.protocol.ProblemException;
import io.cockpitwsjava.ssh.HostAccessPolicy;
import io.cockpitwsjava.ssh.KeyLogin;
import io.cockpitwsjava.ssh.KnownHosts;
import io.cockpitwsjava.ssh.LoginTimeline;
import io.cockpitwsjava.ssh.SshConnector;
import io.cockpitwsjava.ssh.SshCredentials;
import io.cockpitwsjava.ssh.SshLogin;
import io.cockpitwsjava.ssh.SshSettings;

/**
 * Starts one bridge for a login or a multi-host peer, the same way for both: SSH connect and authenticate, boot the
 * bridge (installed or beibooted), wait for its {@code init}, send the gateway's {@code init} (with the superuser
 * choice when the bridge takes it) and keep the password for the bridge's {@code authorize} challenge for a bounded
 * time. Failures are {@link ProblemException}s.
 */
public final class BridgeLauncher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(BridgeLauncher.class);

    /**
     * One bridge to start.
     *
     * @param target           where, with the SSH user if the "Connect to" string named one
     * @param user             the login user, used when the target names none
     * @param password         the login password (copied; the caller keeps and wipes its own array); may be null
     * @param knownHosts       the browser's known_hosts lines (or a multi-host open's {@code host-key}); may be null
     * @param confirmedHostKey the known_hosts line of a key the user confirmed in this login, or null
     * @param mayAskHostKey    whether an unknown host key becomes a challenge instead of {@code unknown-hostkey}
     * @param prompts          asks the user keyboard-interactive prompts; null = such prompts fail the login
     * @param initHost         the {@code host} of the gateway's init: {@code localhost} for a login, the host name
     *                         for a peer
     * @param superuser        {@code none} or the superuser bridge id to start at once (init {@code superuser})
     * @param retainPassword   whether the bridge may get the password for its {@code authorize} challenge
     * @param name             for logs ({@code user@host})
     * @param pinnedAddress    where the confirmed host key was seen ({@link HostKeyChallenge#address()}): the
     *                         reconnect goes there without a new name lookup; null = resolve the name
     */
    public record Launch(HostTarget target, String user, char[] password, String knownHosts, String confirmedHostKey,
            boolean mayAskHostKey, LoginConversation prompts, String initHost, String superuser,
            boolean retainPassword, String name, InetSocketAddress pinnedAddress) {

        public Launch {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(initHost, "initHost");
            superuser = superuser == null || superuser.isBlank() ? "none" : superuser;
        }

        /** A launch that resolves the host name (no pinned address). */
        public Launch(HostTarget target, String user, char[] password, String knownHosts, String confirmedHostKey,
                boolean mayAskHostKey, LoginConversation prompts, String initHost, String superuser,
                boolean retainPassword, String name) {
            this(target, user, password, knownHosts, confirmedHostKey, mayAskHostKey, prompts, initHost, superuser,
                    retainPassword, name, null);
        }

        /**
         * The same launch with the user's confirmation of a host key: it accepts exactly that key, at the address
         * that showed it.
         */
        public Launch confirming(HostKeyChallenge confirmed) {
            return new Launch(target, user, password, knownHosts, confirmed.knownHostsLine(), mayAskHostKey, prompts,
                    initHost, superuser, retainPassword, name, confirmed.address());
        }

        @Override
        public String toString() {
            return "Launch[" + name + "]";
        }
    }

    /**
     * A running bridge that already got the gateway's init.
     *
     * @param knownHostsForLoginData the trusted lines for this host (the browser's plus a newly accepted one) for
     *                               {@code login-data.known-hosts} (docs/protocol.md §5.6.5)
     * @param timeline               when each step of this start happened, up to the bridge's init
     */
    public record Launched(BridgeConnection.Started started, String knownHostsForLoginData, LoginTimeline timeline) {

        /** A bridge started elsewhere (tests): an empty timeline. */
        public Launched(BridgeConnection.Started started, String knownHostsForLoginData) {
            this(started, knownHostsForLoginData, new LoginTimeline());
        }
        public BridgeConnection bridge() {
            return started.bridge();
        }
    }

    private final SshConnector ssh;
    private final BootAssets boot;
    private final Duration startTimeout;
    private final Duration passwordRetention;
    private final ScheduledExecutorService timers;
    private final int maxFrameBytes;
    private final BufferBudget budget;

    /**
     * @param startTimeout      how long a bridge may take from the exec channel to its init
     * @param passwordRetention how long a started bridge may still get the password for its authorize challenge
     * @param maxFrameBytes     largest frame a bridge may send after its init ({@code cockpit.limits.frame-bytes})
     */
    public BridgeLauncher(SshConnector ssh, BootAssets boot, Duration startTimeout, Duration passwordRetention,
            int maxFrameBytes) {
        this(ssh, boot, startTimeout, passwordRetention, maxFrameBytes, BufferBudget.UNLIMITED);
    }

    /**
     * @param budget the gateway's budget for large partial frames ({@code cockpit.limits.target-buffer-bytes}),
     *               shared by every bridge this launcher starts
     */
    public BridgeLauncher(SshConnector ssh, BootAssets boot, Duration startTimeout, Duration passwordRetention,
            int maxFrameBytes, BufferBudget budget) {
        if (maxFrameBytes < 1 || maxFrameBytes > io.cockpitwsjava.protocol.Limits.MAX_FRAME_BYTES_READ) {
            throw new IllegalArgumentException("cockpit.limits.frame-bytes must be between 1 and "
                    + io.cockpitwsjava.protocol.Limits.MAX_FRAME_BYTES_READ + ", not " + maxFrameBytes);
        }
        this.ssh = ssh;
        this.boot = boot;
        this.budget = budget;
        this.startTimeout = startTimeout;
        this.passwordRetention = passwordRetention;
        this.maxFrameBytes = maxFrameBytes;
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "bridge-password-retention");
            thread.setDaemon(true);
            return thread;
        });
        // a cancelled or finished wipe must not keep an ended bridge reachable
        t.setRemoveOnCancelPolicy(true);
        this.timers = t;
    }

    /** The gateway's launcher: one SSH client with the configured timeouts, keys, known_hosts and host policy. */
    public static BridgeLauncher fromSettings(GatewaySettings settings, BootAssets boot) {
        SshSettings ssh = new SshSettings(settings.connectTimeout(), settings.loginTimeout(), settings.heartbeat(),
                settings.knownHostsFile(), System.getenv(), settings.nioWorkers(), settings.responseTimeout());
        HostAccessPolicy access = accessPolicy(settings);
        long budget = settings.limits().targetBufferBytes().orElse(BufferBudget.defaultLimit());
        return new BridgeLauncher(new SshConnector(ssh, access), boot, settings.loginTimeout(),
                settings.passwordRetention(), settings.limits().frameBytes(), new BufferBudget(budget));
    }

    /** {@code allowed-hosts} and {@code denied-addresses}, plus the configured default host on its own port. */
    public static HostAccessPolicy accessPolicy(GatewaySettings settings) {
        HostAccessPolicy access = new HostAccessPolicy(settings.allowedHosts(), settings.deniedAddresses());
        try {
            return access.alsoAllowing(HostTarget.parse(settings.defaultHost()));
        } catch (IllegalArgumentException e) {
            return access; // a malformed default host fails each login as an unknown host anyway
        }
    }

    /** Starts the bridge; completes with it or fails with a {@link ProblemException}. */
    public CompletableFuture<Launched> launch(Launch req) {
        char[] password = req.password() == null ? null : req.password().clone();
        SshCredentials creds = new SshCredentials(req.user(), password, KnownHosts.parseUntrusted(req.knownHosts()),
                req.confirmedHostKey(), req.mayAskHostKey(), req.prompts(), req.pinnedAddress());
        LoginTimeline timeline = new LoginTimeline();
        CompletableFuture<Launched> result = ssh.connect(req.target(), creds, null, timeline)
                .thenCompose(login -> start(req, login, password, timeline));
        return result.whenComplete((ok, err) -> {
            if (err != null && password != null) {
                Arrays.fill(password, '\0');
            }
        });
    }

    /**
     * Starts the bridge for a login without a password: {@code key} only (a fresh certificate), its host keys only,
     * under {@code policy} (null: the connector's own). Otherwise exactly as {@link #launch(Launch)}; {@code req}'s
     * password, known_hosts and prompts are not used, and no password is kept for the bridge.
     */
    public CompletableFuture<Launched> launch(Launch req, KeyLogin key, HostAccessPolicy policy) {
        LoginTimeline timeline = new LoginTimeline();
        return ssh.connect(req.target(), key, policy, timeline).thenCompose(login -> start(req, login, null, timeline));
    }

    private CompletableFuture<Launched> start(Launch req, SshLogin login, char[] password, LoginTimeline timeline) {
        var sequence = boot.newSequence();
        ExecChannelTransport transport = new ExecChannelTransport(login.session(), sequence.remoteCommand());
        return BridgeConnection.start(transport, sequence, startTimeout, req.name(), maxFrameBytes, budget)
                .handle((started, err) -> {
                    timeline.mark(LoginTimeline.Step.BRIDGE_INIT);
                    if (sequence.payloadRequestedAt() != 0) {
                        timeline.mark(LoginTimeline.Step.PAYLOAD_REQUESTED, sequence.payloadRequestedAt());
                    }
                    if (err != null) {
                        ProblemException p = ProblemException.of(err);
                        if (req.confirmedHostKey() != null) {
                            p = p.withFields(Map.of("known-hosts", login.knownHostsForLoginData()));
                        }
                        throw new java.util.concurrent.CompletionException(p);
                    }
                    sendInit(req, started, password);
                    LOG.debugf("%s: bridge started (%s): %s", req.name(),
                            started.beibootMode() ? "beibooted" : "installed", timeline);
                    return new Launched(started, login.knownHostsForLoginData(), timeline);
                });
    }

    /** The gateway's init: the host name the bridge knows itself by, and the superuser choice. */
    private void sendInit(Launch req, BridgeConnection.Started started, char[] password) {
        BridgeConnection bridge = started.bridge();
        ControlMessage init = ControlMessage.of("init").with("version", 1).with("host", req.initHost());
        boolean retain = req.retainPassword() && password != null;
        if (started.explicitSuperuser()) {
            if (req.superuser().equals("none")) {
                init.with("superuser", false);
                retain = false;
            } else {
                init.with("superuser", JsonNodeFactory.instance.objectNode().put("id", req.superuser()));
            }
        }
        if (retain) {
            bridge.keepCredential(req.target().user() != null ? req.target().user() : req.user(), password);
            var wipe = timers.schedule(bridge::wipeCredential, passwordRetention.toMillis(), TimeUnit.MILLISECONDS);
            bridge.onClose(() -> wipe.cancel(false));
        } else if (password != null) {
            Arrays.fill(password, '\0');
        }
        bridge.send(init);
    }

    @Override
    public void close() {
        timers.shutdownNow();
        ssh.close();
    }
}
