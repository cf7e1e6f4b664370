package io.cockpitwsjava.fleet;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

/**
 * The inventory file in use, reloaded when its content changes. The file is polled (content hash) rather than watched:
 * a Kubernetes ConfigMap mount replaces a {@code ..data} symlink, which file watchers report unreliably or not at all.
 *
 * <p>Each reload swaps one immutable {@link Inventory}, so readers see the old or the new file, never a mix. A file
 * that cannot be read or is invalid leaves the previous inventory in force and sets {@link InventoryStatus#error()};
 * if the very first read fails, the inventory is {@link Inventory#EMPTY} (nothing is reachable) until the file is
 * fixed.
 */
public final class InventoryFile implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(InventoryFile.class);

    private final Path file;
    private final Clock clock;
    private final AtomicReference<Inventory> current = new AtomicReference<>(Inventory.EMPTY);
    private final AtomicReference<InventoryStatus> status;
    private final List<Consumer<Inventory>> listeners = new CopyOnWriteArrayList<>();
    /** Hash of the content last examined, valid or not (null after a read failure): unchanged content is skipped. */
    private String examined;
    /** Hash of the content in use. */
    private String loaded;
    private ScheduledExecutorService poller;

    InventoryFile(Path file, Clock clock) {
        this.file = Objects.requireNonNull(file, "file");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.status = new AtomicReference<>(new InventoryStatus(file, Optional.empty(), Optional.empty(), 0, 0,
                List.of(), Optional.empty()));
    }

    /**
     * Reads {@code file} now and then checks it every {@code checkInterval} on a daemon thread of its own. Never throws
     * for a bad file: see {@link #status()}.
     */
    public static InventoryFile open(Path file, Duration checkInterval) {
        if (checkInterval.isNegative() || checkInterval.isZero()) {
            throw new IllegalArgumentException("inventory check interval must be positive");
        }
        InventoryFile f = new InventoryFile(file, Clock.systemUTC());
        f.check();
        f.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fleet-inventory");
            t.setDaemon(true);
            return t;
        });
        long millis = checkInterval.toMillis();
        f.poller.scheduleWithFixedDelay(f::checkQuietly, millis, millis, TimeUnit.MILLISECONDS);
        return f;
    }

    /** The inventory in force. */
    public Inventory current() {
        return current.get();
    }

    /** Whether the file on disk is in force, and if not why. */
    public InventoryStatus status() {
        return status.get();
    }

    /** Called with each newly applied inventory (on the polling thread; keep it short). */
    public void onChange(Consumer<Inventory> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Reads the file and applies it if its content changed and is valid.
     *
     * @return true if a new inventory was applied
     */
    public synchronized boolean check() {
        byte[] bytes;
        try {
            bytes = InventoryFormat.readBounded(file);
        } catch (IOException e) {
            examined = null;
            fail("cannot read " + file + ": " + e.getMessage(), List.of());
            return false;
        }
        String hash = sha256(bytes);
        if (hash.equals(examined)) {
            return false;
        }
        examined = hash;
        if (hash.equals(loaded)) {
            // back to the content in force (e.g. after a failed edit was reverted)
            InventoryStatus s = status.get();
            if (s.error().isPresent()) {
                LOG.infof("inventory %s is back to the version in use", file);
                status.set(new InventoryStatus(file, s.loadedAt(), s.sha256(), s.hosts(), s.rules(), s.warnings(),
                        Optional.empty()));
            }
            return false;
        }
        Inventory next;
        try {
            next = InventoryFormat.parse(InventoryFormat.decode(bytes));
        } catch (InvalidInventoryException e) {
            fail("invalid inventory " + file + ": " + e.getMessage(), e.problems());
            return false;
        }
        apply(next, hash);
        return true;
    }

    private void apply(Inventory next, String hash) {
        List<String> warnings = next.warnings();
        current.set(next);
        loaded = hash;
        status.set(new InventoryStatus(file, Optional.of(clock.instant()), Optional.of(hash), next.hosts().size(),
                next.access().rules().size(), warnings, Optional.empty()));
        LOG.infof("inventory %s loaded: %d hosts, %d access rules%s", file, next.hosts().size(),
                next.access().rules().size(), next.probe().map(p -> ", probe every " + p.interval()).orElse(""));
        warnings.forEach(w -> LOG.warnf("inventory %s: %s", file, w));
        for (Consumer<Inventory> l : listeners) {
            try {
                l.accept(next);
            } catch (RuntimeException e) {
                LOG.errorf(e, "inventory listener failed");
            }
        }
    }

    private void fail(String message, List<String> problems) {
        InventoryStatus s = status.get();
        if (s.error().isPresent() && s.error().get().message().equals(message)) {
            return; // already reported
        }
        Instant now = clock.instant();
        status.set(new InventoryStatus(file, s.loadedAt(), s.sha256(), s.hosts(), s.rules(), s.warnings(),
                Optional.of(new InventoryStatus.Failure(message, problems, now))));
        LOG.errorf("%s; %s", message, s.loadedAt().isPresent()
                ? "keeping the inventory loaded at " + s.loadedAt().get()
                : "no hosts are reachable until it is fixed");
    }

    private void checkQuietly() {
        try {
            check();
        } catch (RuntimeException e) {
            // the poller must survive anything: a dead poller would freeze the inventory silently
            LOG.errorf(e, "inventory check failed");
        }
    }

    @Override
    public void close() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
