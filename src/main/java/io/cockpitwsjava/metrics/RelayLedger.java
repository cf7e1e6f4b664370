package io.cockpitwsjava.metrics;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Monotonic byte totals over connections that come and go: the sum over live connections plus the final counts of
 * connections that have gone. A connection's final count is read from the object itself (its counters stay
 * readable after it closed), so nothing is lost as long as a connection was seen by one {@link #sweep()} while
 * live; a connection that starts and ends between two sweeps is not counted.
 *
 * @param <T> the connection type, compared by identity
 */
public final class RelayLedger<T> {
    /** Both directions at one instant. */
    public record Totals(long in, long out) {
    }

    private final Supplier<? extends Iterable<? extends T>> live;
    private final ToLongFunction<T> in;
    private final ToLongFunction<T> out;
    private final Map<T, Boolean> seen = new IdentityHashMap<>();
    /** Connections already moved to the gone totals by {@link #retire}; weak so they can be collected. */
    private final Set<T> retired = Collections.newSetFromMap(new java.util.WeakHashMap<>());
    private long goneIn;
    private long goneOut;

    public RelayLedger(Supplier<? extends Iterable<? extends T>> live, ToLongFunction<T> in, ToLongFunction<T> out) {
        this.live = live;
        this.in = in;
        this.out = out;
    }

    /** Moves connections that are no longer live into the totals of gone ones and returns the current totals. */
    public synchronized Totals sweep() {
        Set<T> now = Collections.newSetFromMap(new IdentityHashMap<>());
        long liveIn = 0;
        long liveOut = 0;
        for (T t : live.get()) {
            if (t != null && !retired.contains(t) && now.add(t)) {
                liveIn += in.applyAsLong(t);
                liveOut += out.applyAsLong(t);
            }
        }
        for (Iterator<T> it = seen.keySet().iterator(); it.hasNext();) {
            T t = it.next();
            if (!now.contains(t)) {
                goneIn += in.applyAsLong(t);
                goneOut += out.applyAsLong(t);
                it.remove();
            }
        }
        for (T t : now) {
            seen.put(t, Boolean.TRUE);
        }
        return new Totals(goneIn + liveIn, goneOut + liveOut);
    }

    /**
     * A connection has ended: its final counts go to the gone totals now, so connections shorter than the sweep
     * interval are counted too. Later sweeps ignore it even if a stale live list still names it.
     */
    public synchronized void retire(T t) {
        if (t == null || !retired.add(t)) {
            return;
        }
        seen.remove(t);
        goneIn += in.applyAsLong(t);
        goneOut += out.applyAsLong(t);
    }

    /** Connections tracked as live since the last sweep. */
    public synchronized int tracked() {
        return seen.size();
    }
}
