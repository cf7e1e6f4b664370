package io.cockpitwsjava.fleet;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.cockpitwsjava.config.FleetConfig;
import io.cockpitwsjava.config.GatewaySettings;
import io.cockpitwsjava.ssh.HostAccessPolicy;
import io.cockpitwsjava.ssh.KnownHosts;
import io.cockpitwsjava.ssh.SshConnector;
import io.cockpitwsjava.ssh.SshSettings;
import io.quarkus.runtime.StartupEvent;

/**
 * Fleet mode's running parts in this gateway: the inventory file (when {@code cockpit.fleet.inventory} is set), the
 * status cache, and the status prober (when {@code cockpit.fleet.user-ca-key} is set as well; it probes while the
 * inventory has a {@code probe:} section). Everything is optional: without the settings this bean holds nothing.
 */
@Singleton
public class FleetMode {

    private static final Logger LOG = Logger.getLogger(FleetMode.class);
    /** How often the inventory file's status is looked at for changes (an invalid file is news for the page). */
    private static final long STATUS_POLL_MILLIS = 1000;

    private final FleetStatus status = new FleetStatus();
    private final List<ProbeObserver> observers = new CopyOnWriteArrayList<>();
    private final List<Consumer<InventoryStatus>> statusListeners = new CopyOnWriteArrayList<>();
    private volatile InventoryFile inventory;
    private volatile Prober prober;
    private volatile CertificateSigner signer;
    private volatile KnownHostsFile knownHosts;
    private volatile HostAccessPolicy hostAccess;
    private ScheduledExecutorService statusPoll;

    @Inject
    FleetConfig config;
    @Inject
    GatewaySettings settings;

    /**
     * Probing starts once the gateway has started: the first round connects to every host at once, and a JVM still
     * busy starting would make fast hosts miss their connect timeout.
     */
    void onStart(@Observes StartupEvent event) {
        Prober p = prober;
        InventoryFile f = inventory;
        if (p != null && f != null) {
            p.follow(f.current());
            f.onChange(p::follow);
        }
    }

    @PostConstruct
    void start() {
        Optional<java.nio.file.Path> file = config.inventory();
        if (file.isEmpty()) {
            return;
        }
        InventoryFile f = InventoryFile.open(file.get(), config.inventoryCheckInterval());
        inventory = f;
        watchStatus(f);
        knownHosts = new KnownHostsFile(settings.knownHostsFile());
        hostAccess = new HostAccessPolicy(List.of("*:*"), settings.deniedAddresses());
        if (config.userCaKey().isEmpty()) {
            LOG.warn("cockpit.fleet.user-ca-key is not set: no status prober, no logins by identity");
            return;
        }
        CertificateSigner signer;
        try {
            signer = new CertificateSigner(UserCaKey.load(config.userCaKey().get()), config.certificate().validity(),
                    config.certificate().clockSkew());
        } catch (Exception e) {
            LOG.errorf("cannot use the user CA key: %s; no status prober, no logins by identity", e.getMessage());
            return;
        }
        this.signer = signer;
        FleetConfig.Prober p = config.prober();
        ProberLimits limits = new ProberLimits(p.concurrency(), p.connectTimeout(), p.runTimeout(), p.maxOutputBytes(),
                p.updatesInterval());
        prober = start(signer, limits, p.nioWorkers(), settings);
    }

    /**
     * A prober with its own connector: few I/O threads, no key files or agent. It connects only to the inventory's
     * addresses, so {@code allowed-hosts} (what people may type into "Connect to") does not apply to it;
     * {@code denied-addresses} does, on every address an inventory name resolves to.
     */
    private Prober start(CertificateSigner signer, ProberLimits limits, int nioWorkers, GatewaySettings gateway) {
        SshSettings ssh = new SshSettings(limits.connectTimeout(), limits.connectTimeout(), gateway.heartbeat(),
                gateway.knownHostsFile(), Map.of(), nioWorkers);
        SshConnector connector = new SshConnector(ssh,
                new HostAccessPolicy(List.of("*:*"), gateway.deniedAddresses()));
        return new Prober(signer, connector, limits, knownHosts, status,
                (took, fresh, problem) -> observers.forEach(o -> o.probed(took, fresh, problem)), Clock.systemUTC());
    }

    private void watchStatus(InventoryFile f) {
        statusPoll = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fleet-inventory-status");
            t.setDaemon(true);
            return t;
        });
        InventoryStatus[] last = {f.status()};
        statusPoll.scheduleWithFixedDelay(() -> {
            InventoryStatus now = f.status();
            if (now != last[0]) {
                last[0] = now;
                for (Consumer<InventoryStatus> l : statusListeners) {
                    try {
                        l.accept(now);
                    } catch (RuntimeException e) {
                        LOG.errorf(e, "inventory status listener failed");
                    }
                }
            }
        }, STATUS_POLL_MILLIS, STATUS_POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The inventory file, when fleet mode is configured. */
    public Optional<InventoryFile> inventory() {
        return Optional.ofNullable(inventory);
    }

    /** The status of every inventory host (all unknown without a prober). */
    public FleetStatus status() {
        return status;
    }

    /** The user CA's certificate signer, when {@code cockpit.fleet.user-ca-key} is set and usable. */
    public Optional<CertificateSigner> signer() {
        return Optional.ofNullable(signer);
    }

    /**
     * The host keys accepted from inventory host {@code host}: its pinned key, else the global known_hosts file (read
     * again when it changes). Never a first-contact question.
     */
    public KnownHosts trustedKeys(FleetHost host) {
        KnownHostsFile file = knownHosts;
        return host.trustedKeys(host.hostKey().isPresent() || file == null ? KnownHosts.EMPTY : file.get());
    }

    /**
     * Where inventory hosts may be reached: anywhere the inventory says, as the inventory is the allow-list, except
     * the {@code denied-addresses} on every address a name resolves to. {@code allowed-hosts} (what people may type
     * into "Connect to") does not apply.
     */
    public HostAccessPolicy hostAccess() {
        HostAccessPolicy h = hostAccess;
        return h != null ? h : new HostAccessPolicy(List.of(), settings.deniedAddresses());
    }

    /** The prober, when it runs. */
    public Optional<Prober> prober() {
        return Optional.ofNullable(prober);
    }

    /** Adds an observer of every finished probe (the metrics). */
    public void observeProbes(ProbeObserver o) {
        observers.add(Objects.requireNonNull(o, "o"));
    }

    /** Called (within about a second) whenever the inventory file's status changes: loaded, invalid, fixed. */
    public void onInventoryStatus(Consumer<InventoryStatus> listener) {
        statusListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @PreDestroy
    void stop() {
        if (statusPoll != null) {
            statusPoll.shutdownNow();
        }
        Prober p = prober;
        if (p != null) {
            p.close();
        }
        InventoryFile f = inventory;
        if (f != null) {
            f.close();
        }
    }
}
