package io.cockpitwsjava.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** [WebService] MaxStartups (docs/protocol.md §5.10). */
class MaxStartupsTest {

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @CsvSource(nullValues = "NULL", value = {
            "NULL, 10, 100, 10",
            "'', 10, 100, 10",
            "'   ', 10, 100, 10",
            "10, 10, 100, 10",
            "' 7 ', 7, 100, 7",
            "0, 0, 100, 0",
            "20:50:200, 20, 50, 200",
            "5:100:5, 5, 100, 5",
            "20:50, 20, 100, 20",        // upstream: two numbers → first is the hard limit
            "bad, 10, 100, 10",
            "-1, 10, 100, 10",
            "10:101:20, 10, 100, 10",    // rate above 100
            "10:0:20, 10, 100, 10",      // rate below 1 (upstream rejects it)
            "30:50:20, 10, 100, 10",     // start above full
            "a:b:c, 10, 100, 10",
            ":5, 10, 100, 10",
            "1.5, 10, 100, 10",
    })
    void parse(String spec, int start, int rate, int full) {
        assertEquals(new MaxStartups(start, rate, full), MaxStartups.parse(spec));
    }

    @Test
    void hardLimit() {
        MaxStartups m = MaxStartups.parse("3");
        Random r = new Random(1);
        for (int inFlight = 0; inFlight < 3; inFlight++) {
            assertTrue(m.admits(inFlight, r), "inFlight " + inFlight);
        }
        for (int inFlight = 3; inFlight < 10; inFlight++) {
            assertFalse(m.admits(inFlight, r), "inFlight " + inFlight);
        }
    }

    @Test
    void zeroIsUnlimited() {
        MaxStartups m = MaxStartups.parse("0");
        Random r = new Random(2);
        for (int inFlight = 0; inFlight < 10_000; inFlight += 997) {
            assertTrue(m.admits(inFlight, r));
        }
    }

    @Test
    void randomEarlyDropRisesLinearly() {
        long seed = 0x5eedL;
        Random r = new Random(seed);
        MaxStartups m = MaxStartups.parse("10:30:20");
        for (int inFlight = 0; inFlight < 10; inFlight++) {
            assertTrue(m.admits(inFlight, r), "below start, seed " + seed);
        }
        for (int inFlight = 20; inFlight < 25; inFlight++) {
            assertFalse(m.admits(inFlight, r), "at/above full, seed " + seed);
        }
        int trials = 20_000;
        double previousRefusal = 0;
        for (int inFlight = 10; inFlight < 20; inFlight++) {
            int refused = 0;
            for (int i = 0; i < trials; i++) {
                if (!m.admits(inFlight, r)) {
                    refused++;
                }
            }
            double refusal = refused / (double) trials;
            double expected = (30 + 70.0 * (inFlight - 10) / 10) / 100;
            assertEquals(expected, refusal, 0.02, "inFlight " + inFlight + ", seed " + seed);
            assertTrue(refusal > previousRefusal, "refusal rises, inFlight " + inFlight + ", seed " + seed);
            previousRefusal = refusal;
        }
    }
}
