package io.cockpitwsjava.fleet;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

import org.jboss.logging.Logger;

/**
 * The status cache: the last {@link HostStatus} of every inventory host, by name. The prober writes it; the fleet API
 * and the metrics read it. A host without an entry is {@link HostState#UNKNOWN}.
 */
public final class FleetStatus {

    private static final Logger LOG = Logger.getLogger(FleetStatus.class);

    private final Clock clock;
    private final Map<String, HostStatus> byName = new ConcurrentHashMap<>();
    private final List<BiConsumer<String, HostStatus>> listeners = new CopyOnWriteArrayList<>();

    public FleetStatus(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public FleetStatus() {
        this(Clock.systemUTC());
    }

    /** The status of host {@code name}: unknown if nothing was recorded. */
    public HostStatus get(String name) {
        HostStatus s = byName.get(name);
        return s != null ? s : HostStatus.unknown(Instant.EPOCH, Optional.empty());
    }

    /** Records {@code status} for {@code name} and tells the listeners. */
    public void put(String name, HostStatus status) {
        byName.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(status, "status"));
        for (BiConsumer<String, HostStatus> l : listeners) {
            try {
                l.accept(name, status);
            } catch (RuntimeException e) {
                LOG.errorf(e, "fleet status listener failed");
            }
        }
    }

    /** Forgets hosts that are no longer in the inventory (no event: the inventory change itself is the news). */
    public void retain(java.util.Collection<String> names) {
        byName.keySet().retainAll(Set.copyOf(names));
    }

    /** Called with every recorded status, on the thread that recorded it (keep it short, never block). */
    public void onChange(BiConsumer<String, HostStatus> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Removes a listener given to {@link #onChange}. */
    public void removeListener(BiConsumer<String, HostStatus> listener) {
        listeners.remove(listener);
    }

    /** How many of {@code inventory}'s hosts are in each state. */
    public Map<HostState, Integer> counts(Inventory inventory) {
        Map<HostState, Integer> out = new EnumMap<>(HostState.class);
        for (HostState s : HostState.values()) {
            out.put(s, 0);
        }
        for (FleetHost h : inventory.hosts()) {
            out.merge(get(h.name()).state(), 1, Integer::sum);
        }
        return out;
    }

    /** Now, on this cache's clock. */
    Instant now() {
        return clock.instant();
    }
}
