package io.cockpitwsjava.fleet;

import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.sshd.client.session.ClientSession;
import org.jboss.logging.Logger;

import io.cockpitwsjava.ssh.KeyLogin;
import io.cockpitwsjava.ssh.KnownHosts;
import io.cockpitwsjava.ssh.SshConnector;
import io.cockpitwsjava.ssh.SshLogin;

/**
 * The status prober: keeps one SSH connection per inventory host and runs the {@link StatusCommand} over it every
 * interval (the inventory's {@code probe.interval}), writing each result to the {@link FleetStatus}.
 *
 * <p>How the pieces fit:
 * <ul>
 * <li>Connecting: a fresh certificate per connection ({@link CertificateRequest#probe}: the probe account as
 * principal, the status command as {@code force-command}), so the connection can run nothing else. sshd checks a
 * certificate only while logging in, so a kept connection outlives it; a new connection gets a new one. Host keys:
 * the inventory's pinned key, else the global known_hosts file (plain keys and {@code @cert-authority} host CAs);
 * nothing else, never a first-contact trust.</li>
 * <li>Timing: each host runs on its own schedule, the next run one interval after the start of the last one, less a
 * random share of up to {@value #JITTER_PERCENT} % (hosts spread out and never wait longer than one interval). A run
 * has {@link ProberLimits#runTimeout()}; a host that stops answering is down at most one interval plus that timeout
 * after its last answer. A connection that drops between runs (the host went away, sshd restarted) is probed again
 * at once, at most once per interval.</li>
 * <li>Bounds: at most {@link ProberLimits#concurrency()} hosts are being connected to at once (runs on kept
 * connections do not wait for that), output is cut at {@link ProberLimits#maxOutputBytes()}, and the connector is
 * this prober's own, with its own few I/O threads, so a slow or hostile VM takes nothing from logins.</li>
 * <li>Threads: all state lives on one scheduler thread; MINA's callbacks hand their results over to it.</li>
 * </ul>
 */
public final class Prober implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Prober.class);
    static final int JITTER_PERCENT = 20;
    /** No host is probed more often than this, whatever goes wrong. */
    static final Duration MIN_DELAY = Duration.ofSeconds(1);

    private final CertificateSigner signer;
    private final SshConnector connector;
    private final ProberLimits limits;
    private final Supplier<KnownHosts> globalKnownHosts;
    private final FleetStatus status;
    private final ProbeObserver observer;
    private final Clock clock;
    private final Random random = new Random();
    private final ScheduledThreadPoolExecutor timer;

    // only touched on the timer thread
    private final Map<String, HostProbe> probes = new HashMap<>();
    private final ArrayDeque<HostProbe> waiting = new ArrayDeque<>();
    private int connecting;
    private Duration interval = ProbeSettings.DEFAULT_INTERVAL;
    private boolean closed;

    /**
     * @param connector        this prober's own connector (closed with the prober); its environment should hold no
     *                         key files or agent, so that only the certificate is offered
     * @param globalKnownHosts the known_hosts lines for hosts without a pinned key (asked at every connection)
     */
    public Prober(CertificateSigner signer, SshConnector connector, ProberLimits limits,
            Supplier<KnownHosts> globalKnownHosts, FleetStatus status, ProbeObserver observer, Clock clock) {
        this.signer = Objects.requireNonNull(signer, "signer");
        this.connector = Objects.requireNonNull(connector, "connector");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.globalKnownHosts = Objects.requireNonNull(globalKnownHosts, "globalKnownHosts");
        this.status = Objects.requireNonNull(status, "status");
        this.observer = Objects.requireNonNull(observer, "observer");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "fleet-prober");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
    }

    /**
     * Follows {@code inventory} from now on: new and changed hosts are probed at once, removed ones are forgotten and
     * their connections closed; without a {@code probe:} section nothing is probed. Returns at once.
     */
    public void follow(Inventory inventory) {
        Objects.requireNonNull(inventory, "inventory");
        onTimer(() -> reconcile(inventory));
    }

    private void reconcile(Inventory inventory) {
        if (closed) {
            return;
        }
        Instant now = clock.instant();
        Map<String, HostProbe> next = new HashMap<>();
        Optional<ProbeSettings> probe = inventory.probe();
        Duration newInterval = probe.map(ProbeSettings::interval).orElse(interval);
        boolean intervalChanged = !newInterval.equals(interval);
        interval = newInterval;
        for (FleetHost h : inventory.hosts()) {
            HostProbe old = probes.remove(h.name());
            Optional<String> user = probe.isPresent() ? inventory.probeUser(h) : Optional.empty();
            if (user.isEmpty()) {
                if (old != null) {
                    retire(old);
                }
                status.put(h.name(), HostStatus.unknown(now, Optional.of(probe.isEmpty()
                        ? "the inventory has no probe section"
                        : "no access rule selects this host, so there is no account to probe it with")));
                continue;
            }
            if (old != null && old.sameTarget(h, user.get())) {
                next.put(h.name(), old);
                if (intervalChanged && !old.running) {
                    schedule(old, firstDelay());
                }
                continue;
            }
            if (old != null) {
                retire(old);
            }
            HostProbe p = new HostProbe(h, user.get());
            next.put(h.name(), p);
            status.put(h.name(), HostStatus.unknown(now, Optional.empty()));
            start(p);
        }
        probes.values().forEach(this::retire); // hosts no longer in the inventory
        probes.clear();
        probes.putAll(next);
        status.retain(inventory.hosts().stream().map(FleetHost::name).toList());
    }

    private void start(HostProbe p) {
        if (closed || p.retired || p.running) {
            return;
        }
        p.cancelNext();
        p.running = true;
        ClientSession s = p.session;
        if (s != null && s.isOpen() && !s.isClosing()) {
            begin(p, false);
            run(p, s);
            return;
        }
        p.session = null;
        queueConnect(p);
    }

    private void begin(HostProbe p, boolean connects) {
        p.startedAt = clock.instant();
        p.startNanos = System.nanoTime();
        p.connecting = connects;
    }

    private void queueConnect(HostProbe p) {
        if (connecting < limits.concurrency()) {
            connect(p);
        } else {
            waiting.add(p);
        }
    }

    private void pump() {
        while (connecting < limits.concurrency() && !waiting.isEmpty()) {
            HostProbe p = waiting.poll();
            if (!p.retired) {
                connect(p);
            }
        }
    }

    private void connect(HostProbe p) {
        begin(p, true);
        UserCertificate cert;
        try {
            cert = signer.sign(CertificateRequest.probe(p.user, StatusCommand.text()));
        } catch (GeneralSecurityException | RuntimeException e) {
            LOG.errorf("cannot make a probe certificate for %s: %s", p.name(), e.toString());
            finish(p, null, new ProbeFailure(ProbeProblem.INTERNAL, "cannot make a certificate"));
            return;
        }
        KnownHosts hostKeys = p.host.trustedKeys(p.host.hostKey().isPresent() ? KnownHosts.EMPTY
                : globalKnownHosts.get());
        connecting++;
        connector.connect(p.host.address(), new KeyLogin(p.user, cert.keyPair(), hostKeys))
                .whenComplete((login, error) -> {
                    if (!onTimer(() -> connected(p, login, error)) && login != null) {
                        login.session().close(true);
                    }
                });
    }

    private void connected(HostProbe p, SshLogin login, Throwable error) {
        connecting--;
        pump();
        if (closed || p.retired) {
            if (login != null) {
                login.session().close(true);
            }
            return;
        }
        if (error != null) {
            finish(p, null, ProbeFailure.connecting(error));
            return;
        }
        ClientSession s = login.session();
        p.session = s;
        s.addCloseFutureListener(f -> onTimer(() -> sessionClosed(p, s)));
        run(p, s);
    }

    private void run(HostProbe p, ClientSession s) {
        StatusRun.start(s, StatusCommand.REQUEST, limits.maxOutputBytes(), limits.runTimeout(), timer)
                .whenComplete((report, error) -> onTimer(() -> ran(p, s, report, error)));
    }

    private void ran(HostProbe p, ClientSession s, StatusReport report, Throwable error) {
        if (closed || p.retired) {
            return;
        }
        if (error != null) {
            ProbeFailure f = error instanceof ProbeFailure pf ? pf
                    : error.getCause() instanceof ProbeFailure pf ? pf
                    : new ProbeFailure(ProbeProblem.INTERNAL, error.toString());
            if (f.problem() == ProbeProblem.CLOSED && !p.connecting) {
                // the kept connection was gone before we noticed: that is no verdict yet, connect anew
                p.session = null;
                queueConnect(p);
                return;
            }
            if (f.problem() != ProbeProblem.BAD_OUTPUT && p.session == s) {
                // a hung or flooding host: drop the connection, the next run starts afresh
                p.dropSession();
            }
            finish(p, null, f);
            return;
        }
        finish(p, report.withUpdates(p.lastUpdates), null);
        if (updatesDue(p) && p.session == s) {
            countUpdates(p, s);
        }
    }

    private boolean updatesDue(HostProbe p) {
        return !limits.updatesInterval().isZero() && !p.updating && p.runs > 1 && (p.lastUpdatesAt == null
                || !clock.instant().isBefore(p.lastUpdatesAt.plus(limits.updatesInterval())));
    }

    /**
     * Asks for the pending updates in a run of its own beside the status runs, right after a status run answered:
     * the package manager may take a while, and that must neither delay nor decide the host's state. A failed count
     * is simply not known until the next try, one updates interval later.
     */
    private void countUpdates(HostProbe p, ClientSession s) {
        p.updating = true;
        p.lastUpdatesAt = clock.instant();
        StatusRun.start(s, StatusCommand.REQUEST_WITH_UPDATES, limits.maxOutputBytes(),
                limits.runTimeout().plus(ProberLimits.UPDATES_EXTRA), timer)
                .whenComplete((report, error) -> onTimer(() -> {
                    p.updating = false;
                    if (closed || p.retired) {
                        return;
                    }
                    p.lastUpdates = report == null ? OptionalInt.empty() : report.updates();
                    HostStatus now = status.get(p.name());
                    if (now.state() == HostState.UP) {
                        status.put(p.name(), now.withUpdates(p.lastUpdates));
                    }
                    if (error != null) {
                        LOG.debugf("fleet host %s: no update count: %s", p.name(), error.getMessage());
                    }
                }));
    }

    private void finish(HostProbe p, StatusReport report, ProbeFailure failure) {
        p.running = false;
        p.runs++;
        Instant now = clock.instant();
        Duration took = Duration.ofNanos(System.nanoTime() - p.startNanos);
        HostStatus before = status.get(p.name());
        HostStatus after = failure == null ? before.up(report, now) : before.down(failure.problem(), describe(failure), now);
        status.put(p.name(), after);
        if (before.state() != after.state()) {
            if (after.state() == HostState.DOWN) {
                LOG.infof("fleet host %s is down: %s", p.name(), describe(failure));
            } else if (before.state() == HostState.DOWN) {
                LOG.infof("fleet host %s is up again", p.name());
            }
        }
        try {
            observer.probed(took, p.connecting, Optional.ofNullable(failure).map(ProbeFailure::problem));
        } catch (RuntimeException e) {
            LOG.errorf(e, "probe observer failed");
        }
        Duration delay = p.runs == 1 ? firstDelay() : jittered();
        Duration elapsed = Duration.between(p.startedAt, now);
        Duration remaining = delay.minus(elapsed);
        schedule(p, remaining.compareTo(MIN_DELAY) < 0 ? MIN_DELAY : remaining);
    }

    private void sessionClosed(HostProbe p, ClientSession s) {
        if (p.session != s) {
            return; // closed by the prober itself, or already replaced
        }
        p.session = null;
        if (closed || p.retired || p.running) {
            return; // a run under way finds out by itself
        }
        Instant now = clock.instant();
        if (p.lastEarly != null && now.isBefore(p.lastEarly.plus(interval))) {
            return;
        }
        p.lastEarly = now;
        LOG.debugf("connection to fleet host %s closed; probing it again now", p.name());
        start(p);
    }

    private void schedule(HostProbe p, Duration delay) {
        p.cancelNext();
        if (closed || p.retired) {
            return;
        }
        p.next = timer.schedule(() -> start(p), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Interval minus a random share of up to {@link #JITTER_PERCENT} %. */
    private Duration jittered() {
        long ms = interval.toMillis();
        return Duration.ofMillis(ms - (long) (random.nextDouble() * ms * JITTER_PERCENT / 100));
    }

    /** After a host's first probe: half to one interval, so hosts that started together spread out at once. */
    private Duration firstDelay() {
        long ms = interval.toMillis();
        return Duration.ofMillis(ms / 2 + (long) (random.nextDouble() * ms / 2));
    }

    private void retire(HostProbe p) {
        p.retired = true;
        p.cancelNext();
        waiting.remove(p);
        p.dropSession();
    }

    /** The API's reason: the problem in words, with the timeout where one applies. */
    private String describe(ProbeFailure f) {
        return switch (f.problem()) {
            case TIMEOUT -> "no answer within " + (f.getMessage().contains("status command")
                    ? limits.runTimeout().toSeconds() : limits.connectTimeout().toSeconds()) + " s";
            case BAD_OUTPUT, OUTPUT_TOO_LARGE -> f.problem().text() + ": " + f.getMessage();
            default -> f.problem().text();
        };
    }

    /** Runs {@code task} on the prober's thread; false if the prober is closed. */
    private boolean onTimer(Runnable task) {
        try {
            timer.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    // the prober thread must survive anything a host makes happen
                    LOG.errorf(e, "fleet prober task failed");
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private <T> T call(Supplier<T> query) {
        Object[] box = new Object[1];
        CountDownLatch done = new CountDownLatch(1);
        if (!onTimer(() -> {
            box[0] = query.get();
            done.countDown();
        })) {
            return query.get();
        }
        try {
            if (!done.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the prober thread did not answer");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        @SuppressWarnings("unchecked")
        T t = (T) box[0];
        return t;
    }

    /** Closes every connection and the connector; waits briefly for the prober thread. */
    @Override
    public void close() {
        onTimer(() -> {
            closed = true;
            probes.values().forEach(this::retire);
            probes.clear();
            waiting.clear();
        });
        timer.shutdown();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timer.shutdownNow();
        connector.close();
    }

    /** The hosts being probed (tests). */
    List<String> hostNames() {
        return call(() -> List.copyOf(probes.keySet()));
    }
}
