package io.cockpitwsjava.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cockpitwsjava.ssh.LoginTimeline.Step;

/** {@link LoginTimeline}: steps measured from the previous step that happened, first mark wins, readable line. */
class LoginTimelineTest {
    private static final long MS = 1_000_000;

    @Test
    void stepsAreMeasuredFromThePreviousStepThatHappened() {
        LoginTimeline t = new LoginTimeline(1000 * MS);
        t.mark(Step.RESOLVED, 1001 * MS);
        t.mark(Step.CONNECTED, 1003 * MS);
        t.mark(Step.KEX_DONE, 1083 * MS);
        t.mark(Step.AUTHENTICATED, 1200 * MS);
        t.mark(Step.BRIDGE_INIT, 1400 * MS);

        Map<Step, Long> d = t.durations();
        assertEquals(List.of(Step.RESOLVED, Step.CONNECTED, Step.KEX_DONE, Step.AUTHENTICATED, Step.BRIDGE_INIT),
                List.copyOf(d.keySet()));
        assertEquals(1 * MS, d.get(Step.RESOLVED));
        assertEquals(80 * MS, d.get(Step.KEX_DONE));
        assertEquals(200 * MS, d.get(Step.BRIDGE_INIT));
        assertEquals(400 * MS, t.elapsed());
        assertTrue(t.reached(Step.KEX_DONE));
        assertFalse(t.reached(Step.PAYLOAD_REQUESTED));
        assertEquals("resolve 1.0 ms, tcp 2.0 ms, kex 80.0 ms, auth 117.0 ms, bridge 200.0 ms; total 400.0 ms",
                t.toString());
    }

    /** A repeated step (a second key exchange, a second auth method) keeps its first time. */
    @Test
    void firstMarkWins() {
        LoginTimeline t = new LoginTimeline(0);
        t.mark(Step.KEX_DONE, 50 * MS);
        t.mark(Step.KEX_DONE, 90 * MS);
        assertEquals(50 * MS, t.durations().get(Step.KEX_DONE));
    }

    /** The payload request is noted after the init it preceded: durations follow the step order, not the noting. */
    @Test
    void stepsNotedLateStillSplitTheirInterval() {
        LoginTimeline t = new LoginTimeline(0);
        t.mark(Step.EXEC_OPEN, 100 * MS);
        t.mark(Step.BRIDGE_INIT, 300 * MS);
        t.mark(Step.PAYLOAD_REQUESTED, 180 * MS);
        assertEquals(80 * MS, t.durations().get(Step.PAYLOAD_REQUESTED));
        assertEquals(120 * MS, t.durations().get(Step.BRIDGE_INIT));
    }

    @Test
    void nothingReached() {
        LoginTimeline t = new LoginTimeline(5 * MS);
        assertEquals(0, t.elapsed());
        assertEquals("total 0.0 ms", t.toString());
    }
}
