package io.cockpitwsjava.bridge;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import io.cockpitwsjava.protocol.FrameDecoder;

/**
 * One budget, for the whole gateway, for the large partial frames that bridges make it hold
 * ({@code cockpit.limits.target-buffer-bytes}; docs/SECURITY.md, "Resource limits"). Each bridge's frame decoder is
 * one {@link Account}. When a bridge asks for more than is left, the bridge that holds the most (if it holds more
 * than the asker would) is ended with {@code too-large} and the asker goes on, briefly over the budget until the
 * ended bridge's buffer is dropped; when the asker itself is the biggest, its frame is refused and it ends instead.
 * So hostile targets cannot add up to more than the budget (plus one buffer growth), and an honest session with a
 * large frame is not the one that pays while a bigger holder exists.
 */
public final class BufferBudget {
    private static final Logger LOG = Logger.getLogger(BufferBudget.class);

    /** No limit (tests that build bridges without a gateway). */
    public static final BufferBudget UNLIMITED = new BufferBudget(Long.MAX_VALUE);

    private final long limit;
    private final AtomicLong used = new AtomicLong();
    private final Set<Account> holders = ConcurrentHashMap.newKeySet();

    /** @param limit bytes of counted partial frames the gateway holds at most (plus one buffer growth) */
    public BufferBudget(long limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        this.limit = limit;
    }

    /** Half the JVM's heap limit: the default of {@code cockpit.limits.target-buffer-bytes}. */
    public static long defaultLimit() {
        return Runtime.getRuntime().maxMemory() / 2;
    }

    public long limit() {
        return limit;
    }

    /** Bytes counted now, over all accounts. */
    public long used() {
        return used.get();
    }

    /**
     * An account for one bridge.
     *
     * @param name  the bridge's name, for the log
     * @param evict ends that bridge with {@code too-large} (called at most once, from another bridge's thread)
     */
    public Account open(String name, Runnable evict) {
        return new Account(name, evict);
    }

    /** One bridge's share: what its decoder counts. */
    public final class Account implements FrameDecoder.Budget {
        private final String name;
        private final Runnable evict;
        private final AtomicLong held = new AtomicLong();
        private final AtomicBoolean evicted = new AtomicBoolean();

        private Account(String name, Runnable evict) {
            this.name = name;
            this.evict = evict;
        }

        @Override
        public boolean take(long bytes) {
            long mine = held.addAndGet(bytes);
            holders.add(this);
            if (used.addAndGet(bytes) <= limit) {
                return true;
            }
            Account biggest = null;
            for (Account a : holders) {
                if (a != this && !a.evicted.get() && (biggest == null || a.held.get() > biggest.held.get())) {
                    biggest = a;
                }
            }
            if (biggest != null && biggest.held.get() > mine && biggest.evicted.compareAndSet(false, true)) {
                LOG.infof("bridge %s holds %d MiB of partial frames while the gateway's buffer budget of %d MiB"
                        + " (cockpit.limits.target-buffer-bytes) is used up: it is ended", biggest.name,
                        biggest.held.get() >> 20, limit >> 20);
                biggest.evict.run();
                return true;
            }
            give(bytes);
            LOG.infof("bridge %s would hold %d MiB of partial frames while the gateway's buffer budget of %d MiB"
                    + " (cockpit.limits.target-buffer-bytes) is used up: its frame is refused", name, mine >> 20,
                    limit >> 20);
            return false;
        }

        @Override
        public void give(long bytes) {
            used.addAndGet(-bytes);
            if (held.addAndGet(-bytes) <= 0) {
                holders.remove(this);
            }
        }

        /** Bytes this bridge holds now. */
        public long held() {
            return held.get();
        }
    }
}
