package io.cockpitwsjava.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FailureCountsTest {
    static final long MINUTE = 60_000_000_000L;

    @Test
    void aKeyIsBlockedAtTheLimitUntilItsWindowCloses() {
        FailureCounts f = new FailureCounts(3, 5 * MINUTE, 100);
        assertFalse(f.record("a", 0));
        assertFalse(f.record("a", MINUTE));
        assertFalse(f.blocked("a", MINUTE));
        assertTrue(f.record("a", 2 * MINUTE), "the failure that reaches the limit says so (for one log line)");
        assertTrue(f.blocked("a", 2 * MINUTE));
        assertFalse(f.blocked("b", 2 * MINUTE));
        assertTrue(f.blocked("a", 5 * MINUTE - 1));
        assertFalse(f.blocked("a", 5 * MINUTE), "the window opened at the first failure");
        // a new window starts with the next failure
        assertFalse(f.record("a", 5 * MINUTE));
        assertFalse(f.blocked("a", 5 * MINUTE));
    }

    @Test
    void closedWindowsAreForgotten() {
        FailureCounts f = new FailureCounts(3, MINUTE, 100);
        for (int i = 0; i < 50; i++) {
            f.record("k" + i, i);
        }
        assertEquals(50, f.size());
        f.record("late", 2 * MINUTE);
        assertEquals(1, f.size());
    }

    @Test
    void rotatingKeysNeverGrowTheTableBeyondItsCapacity() {
        FailureCounts f = new FailureCounts(3, 5 * MINUTE, 1000);
        for (int i = 0; i < 100_000; i++) {
            f.record("10.0." + (i >> 8) + "." + (i & 0xff), i);
            assertTrue(f.size() <= 1000);
        }
        assertEquals(1000, f.size());
        // the newest keys are the ones remembered
        f.record("10.0.99.1", 100_001);
        f.record("10.0.99.1", 100_002);
        assertFalse(f.blocked("10.0.99.1", 100_003));
        f.record("10.0.99.1", 100_004);
        assertTrue(f.blocked("10.0.99.1", 100_005));
    }

    @Test
    void zeroTurnsCountingOff() {
        FailureCounts f = new FailureCounts(0, MINUTE, 10);
        for (int i = 0; i < 100; i++) {
            assertFalse(f.record("a", i));
        }
        assertFalse(f.blocked("a", 100));
        assertEquals(0, f.size());
    }
}
