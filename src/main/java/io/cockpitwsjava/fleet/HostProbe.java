package io.cockpitwsjava.fleet;

import java.security.PublicKey;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ScheduledFuture;

import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;

/**
 * The prober's state for one host: the kept connection, the next run, and whether a probe is under way. Touched only
 * on the prober's thread.
 */
final class HostProbe {

    final FleetHost host;
    final String user;

    /** The kept session, or null; set back to null before the prober closes it, so its close is not news. */
    ClientSession session;
    /** A probe is under way (queued for a connection slot, connecting, or running). */
    boolean running;
    /** Removed from the prober: callbacks that arrive later do nothing. */
    boolean retired;
    ScheduledFuture<?> next;
    /** When the probe under way started (after any wait for a connection slot). */
    Instant startedAt;
    long startNanos;
    /** Whether the probe under way had to connect. */
    boolean connecting;
    /** Probes finished so far. */
    int runs;
    /** Last early re-probe after a dropped connection (at most one per interval). */
    Instant lastEarly;
    /** An update count is under way on the kept session. */
    boolean updating;
    Instant lastUpdatesAt;
    OptionalInt lastUpdates = OptionalInt.empty();

    HostProbe(FleetHost host, String user) {
        this.host = Objects.requireNonNull(host, "host");
        this.user = Objects.requireNonNull(user, "user");
    }

    /** True if {@code other} as {@code otherUser} would be probed exactly like this (labels do not matter). */
    boolean sameTarget(FleetHost other, String otherUser) {
        return host.address().equals(other.address()) && user.equals(otherUser)
                && sameKey(host.hostKey(), other.hostKey());
    }

    private static boolean sameKey(Optional<PublicKey> a, Optional<PublicKey> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return a.isEmpty() && b.isEmpty();
        }
        return KeyUtils.compareKeys(a.get(), b.get());
    }

    /** Detaches and closes the kept session, if any. */
    void dropSession() {
        ClientSession s = session;
        session = null;
        if (s != null) {
            s.close(true);
        }
    }

    void cancelNext() {
        if (next != null) {
            next.cancel(false);
            next = null;
        }
    }

    String name() {
        return host.name();
    }
}
