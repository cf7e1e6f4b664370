package io.cockpitwsjava.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** The gateway-wide budget for large partial frames: who is ended when it is used up. */
class BufferBudgetTest {
    static final long MIB = 1 << 20;

    @Test
    void withinTheBudgetEverythingIsTakenAndGivenBack() {
        BufferBudget budget = new BufferBudget(10 * MIB);
        BufferBudget.Account a = budget.open("a", () -> { throw new AssertionError("evicted"); });
        assertTrue(a.take(6 * MIB));
        assertTrue(a.take(4 * MIB));
        assertEquals(10 * MIB, budget.used());
        a.give(10 * MIB);
        assertEquals(0, budget.used());
    }

    @Test
    void theBiggestOtherHolderIsEndedAndTheAskerGoesOn() {
        BufferBudget budget = new BufferBudget(10 * MIB);
        AtomicInteger bigEvicted = new AtomicInteger();
        AtomicInteger smallEvicted = new AtomicInteger();
        BufferBudget.Account big = budget.open("big", bigEvicted::incrementAndGet);
        BufferBudget.Account small = budget.open("small", smallEvicted::incrementAndGet);
        BufferBudget.Account honest = budget.open("honest", () -> { throw new AssertionError("evicted"); });
        assertTrue(big.take(7 * MIB));
        assertTrue(small.take(2 * MIB));
        assertTrue(honest.take(2 * MIB), "the asker holds less than the biggest: it goes on");
        assertEquals(1, bigEvicted.get());
        assertEquals(0, smallEvicted.get());
        // the evicted bridge drops its decoder: its bytes come back
        big.give(7 * MIB);
        assertEquals(4 * MIB, budget.used());
    }

    @Test
    void theAskerThatHoldsTheMostIsRefused() {
        BufferBudget budget = new BufferBudget(10 * MIB);
        AtomicInteger evicted = new AtomicInteger();
        BufferBudget.Account other = budget.open("other", evicted::incrementAndGet);
        BufferBudget.Account greedy = budget.open("greedy", () -> { });
        assertTrue(other.take(3 * MIB));
        assertTrue(greedy.take(6 * MIB));
        assertFalse(greedy.take(4 * MIB), "10 MiB against 3: the greedy one is refused");
        assertEquals(0, evicted.get());
        assertEquals(9 * MIB, budget.used(), "a refused request is not counted");
        assertEquals(6 * MIB, greedy.held());
    }

    @Test
    void anEvictedHolderIsNotEndedTwice() {
        BufferBudget budget = new BufferBudget(10 * MIB);
        AtomicInteger evicted = new AtomicInteger();
        BufferBudget.Account big = budget.open("big", evicted::incrementAndGet);
        BufferBudget.Account a = budget.open("a", () -> { });
        BufferBudget.Account b = budget.open("b", () -> { });
        assertTrue(big.take(9 * MIB));
        assertTrue(a.take(2 * MIB));
        // big has not given its bytes back yet: the next asker finds no other holder to end and bigger than itself
        assertFalse(b.take(2 * MIB));
        assertEquals(1, evicted.get());
    }
}
