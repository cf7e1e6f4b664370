package io.cockpitwsjava.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The soak's verdict on its samples: steady passes; growing live heap, threads or descriptors fail. */
class SoakJudgementTest {

    private static final Soak.Settings LIMITS = new Soak.Settings(10, Duration.ofMinutes(1), Duration.ofSeconds(10),
            List.of(), 8, 8, 16, List.of("127.0.0.2"));

    private static List<Soak.Sample> samples(double heapStep, int threadStep, int fdStep) {
        List<Soak.Sample> s = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            // a little noise on every sample; the step is the growth per sample
            double noise = i % 2 == 0 ? 0.4 : -0.4;
            s.add(new Soak.Sample(Duration.ofSeconds(10L * i), 10, 100L * i, 10L * i, 25L * i, 50 + noise + heapStep * i,
                    300 + i, 60 + threadStep * i, 100 + fdStep * i));
        }
        return s;
    }

    @Test
    void aSteadyGatewayPasses() {
        Soak.Judgement j = Soak.judge(samples(0, 0, 0), LIMITS);
        assertEquals(List.of(), j.problems(), j.verdict());
    }

    @Test
    void growingHeapThreadsOrDescriptorsFail() {
        // medians of the first and last three samples are 7 steps apart: 7 × 1.5 MiB (+ noise) > 8 MiB
        assertTrue(Soak.judge(samples(1.5, 0, 0), LIMITS).problems().get(0).startsWith("live heap grew by 11.3 MiB"));
        assertTrue(Soak.judge(samples(0, 2, 0), LIMITS).problems().get(0).startsWith("threads grew by 14"));
        assertTrue(Soak.judge(samples(0, 0, 3), LIMITS).problems().get(0).startsWith("open file descriptors grew by 21"));
        // just below the limit still passes
        assertEquals(List.of(), Soak.judge(samples(1.0, 1, 2), LIMITS).problems());
    }

    @Test
    void tooFewSamplesAreNotAPass() {
        assertEquals(1, Soak.judge(samples(0, 0, 0).subList(0, 3), LIMITS).problems().size());
    }
}
