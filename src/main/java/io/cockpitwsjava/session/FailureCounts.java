package io.cockpitwsjava.session;

import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * Failed logins per key (a client address or a target user) in fixed windows: the first failure of a key opens a
 * window of {@code window} nanoseconds; once {@code limit} failures fall into it, the key is blocked until it
 * closes. Memory is bounded: at most {@code capacity} keys are remembered; closed windows are dropped as time goes
 * on, and when the table is full the key whose window opened first is forgotten (so someone rotating through more
 * keys than that only makes the oldest records expire early; it never grows the table or blocks anyone). Not
 * thread-safe: the caller locks.
 */
final class FailureCounts {
    /** One open window. */
    private static final class Window {
        final long opened;
        int failures;

        Window(long opened) {
            this.opened = opened;
        }
    }

    private final int limit;
    private final long windowNanos;
    private final int capacity;
    /** Insertion order is the order in which the windows opened (a key whose window closed is re-inserted). */
    private final LinkedHashMap<String, Window> windows = new LinkedHashMap<>();

    /**
     * @param limit       failures within a window that block the key; 0 or less turns counting off
     * @param windowNanos length of a window
     * @param capacity    keys remembered at most
     */
    FailureCounts(int limit, long windowNanos, int capacity) {
        this.limit = limit;
        this.windowNanos = windowNanos;
        this.capacity = capacity;
    }

    /** Whether the key has reached the limit in a window that is still open at {@code now}. */
    boolean blocked(String key, long now) {
        if (limit <= 0) {
            return false;
        }
        Window w = windows.get(key);
        return w != null && now - w.opened < windowNanos && w.failures >= limit;
    }

    /** Counts one failure; true if this failure made the key blocked. */
    boolean record(String key, long now) {
        if (limit <= 0) {
            return false;
        }
        expire(now);
        Window w = windows.get(key);
        if (w == null) {
            w = new Window(now);
            windows.put(key, w);
            if (windows.size() > capacity) {
                Iterator<String> oldest = windows.keySet().iterator();
                oldest.next();
                oldest.remove();
            }
        }
        w.failures++;
        return w.failures == limit;
    }

    /** Keys remembered now (for tests and the memory bound). */
    int size() {
        return windows.size();
    }

    /** Drops windows that have closed: they are at the head, in opening order. */
    private void expire(long now) {
        Iterator<Window> it = windows.values().iterator();
        while (it.hasNext()) {
            if (now - it.next().opened >= windowNanos) {
                it.remove();
            } else {
                return;
            }
        }
    }
}
