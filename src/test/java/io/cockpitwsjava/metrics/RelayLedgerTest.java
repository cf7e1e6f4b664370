package io.cockpitwsjava.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** {@link RelayLedger}: totals stay exact and monotonic while connections come, grow and go. */
class RelayLedgerTest {

    /** A connection's two counters. */
    static final class Conn {
        long in;
        long out;
    }

    @Test
    void endedConnectionsKeepTheirFinalCounts() {
        List<Conn> live = new ArrayList<>();
        RelayLedger<Conn> ledger = new RelayLedger<>(() -> live, c -> c.in, c -> c.out);
        Conn a = new Conn();
        live.add(a);
        a.in = 10;
        a.out = 3;
        assertEquals(new RelayLedger.Totals(10, 3), ledger.sweep());
        // traffic after the last sweep, then the connection ends: its final counts still count
        a.in = 25;
        a.out = 4;
        live.remove(a);
        assertEquals(new RelayLedger.Totals(25, 4), ledger.sweep());
        assertEquals(0, ledger.tracked());
        // a gone connection is not counted twice
        a.in = 1000;
        assertEquals(new RelayLedger.Totals(25, 4), ledger.sweep());
    }

    @Test
    void retiredConnectionsShorterThanASweepAreCountedOnce() {
        List<Conn> live = new ArrayList<>();
        RelayLedger<Conn> ledger = new RelayLedger<>(() -> live, c -> c.in, c -> c.out);
        Conn quick = new Conn();
        quick.in = 7;
        quick.out = 2;
        ledger.retire(quick); // never seen by a sweep
        assertEquals(new RelayLedger.Totals(7, 2), ledger.sweep());
        // a stale live list that still names it, and a second retire, do not count it again
        live.add(quick);
        assertEquals(new RelayLedger.Totals(7, 2), ledger.sweep());
        ledger.retire(quick);
        assertEquals(new RelayLedger.Totals(7, 2), ledger.sweep());

        Conn seen = new Conn();
        live.clear();
        live.add(seen);
        seen.in = 5;
        assertEquals(new RelayLedger.Totals(12, 2), ledger.sweep());
        seen.in = 9; // traffic before the end, then retired while still listed
        ledger.retire(seen);
        assertEquals(new RelayLedger.Totals(16, 2), ledger.sweep());
        assertEquals(0, ledger.tracked());
    }

    @Test
    void randomLifecyclesAreExactAndMonotonic() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        List<Conn> live = new ArrayList<>();
        RelayLedger<Conn> ledger = new RelayLedger<>(() -> live, c -> c.in, c -> c.out);
        long endedIn = 0;
        long endedOut = 0;
        RelayLedger.Totals last = ledger.sweep();
        for (int step = 0; step < 2000; step++) {
            int op = random.nextInt(4);
            if (op == 0 || live.isEmpty()) {
                live.add(new Conn());
            } else if (op == 1) {
                Conn c = live.get(random.nextInt(live.size()));
                c.in += random.nextInt(5000);
                c.out += random.nextInt(500);
            } else if (op == 2) {
                // ends after having been seen by at least one sweep (the sweep below runs every step)
                Conn c = live.remove(random.nextInt(live.size()));
                c.in += random.nextInt(100);
                endedIn += c.in;
                endedOut += c.out;
            }
            RelayLedger.Totals t = ledger.sweep();
            long liveIn = live.stream().mapToLong(c -> c.in).sum();
            long liveOut = live.stream().mapToLong(c -> c.out).sum();
            assertEquals(endedIn + liveIn, t.in(), "seed " + seed + " step " + step);
            assertEquals(endedOut + liveOut, t.out(), "seed " + seed + " step " + step);
            assertTrue(t.in() >= last.in() && t.out() >= last.out(), "not monotonic, seed " + seed + " step " + step);
            last = t;
        }
    }
}
