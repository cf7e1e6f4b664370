package io.cockpitwsjava.testing;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * The live Java heap of this JVM — in a {@code @QuarkusTest} that is the gateway's heap plus the test's own small
 * share: used heap right after a full collection ({@link System#gc()} is a full, stop-the-world collection with the
 * JVM's default G1 and no {@code -XX:+ExplicitGCInvokesConcurrent}). Other threads allocate between the collection and
 * the reading, so the smallest of several readings is taken.
 */
public final class LiveHeap {
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    private static final long MIB = 1024 * 1024;

    private LiveHeap() {
    }

    /** Live heap in bytes: the smallest of three readings, each right after a full collection. */
    public static long bytes() {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            best = Math.min(best, MEMORY.getHeapMemoryUsage().getUsed());
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return best;
    }

    /** Bytes as MiB with one decimal, for messages and the docs. */
    public static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (double) MIB);
    }
}
