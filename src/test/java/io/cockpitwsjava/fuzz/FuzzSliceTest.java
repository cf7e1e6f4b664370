package io.cockpitwsjava.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The CI slice of the fuzzing (docs/SECURITY.md "Fuzzing"): every default target, a seeded run of our own
 * generate-and-mutate engine plus the stored regression inputs. {@code -Dfuzz.seed=N} and {@code -Dfuzz.runs=N}
 * reproduce or widen a run; the big run is {@code src/scripts/fuzz}.
 */
class FuzzSliceTest {

    private static final long SEED = Long.getLong("fuzz.seed", 20261204L);
    private static final long RUNS = Long.getLong("fuzz.runs", 1000L);
    /** Loggers that warn once per bad input; quiet during the slice, restored afterwards. */
    private static final List<String> NOISY = List.of("io.cockpitwsjava.config.CockpitConf");

    @TestFactory
    Stream<DynamicTest> seededSlice() {
        return FuzzTargets.DEFAULT.stream().map(t -> DynamicTest.dynamicTest(t.name(), () -> {
            SeededFuzz.Result r = quietly(() -> SeededFuzz.run(t, SEED, RUNS));
            System.out.printf("fuzz slice %s: %d inputs, seed %d, %d ms%n", t.name(), r.runs(), r.seed(),
                    r.nanos() / 1_000_000);
            if (!r.findings().isEmpty()) {
                SeededFuzz.save(r, Path.of("target", "fuzz-crashes", "slice"));
            }
            assertEquals(List.of(), r.findings().stream().map(f -> f.summary() + "\n" + f.stack()).toList(),
                    t.name() + ", seed " + SEED + " (inputs saved under target/fuzz-crashes/slice)");
        }));
    }

    /** Inputs under {@code src/test/resources/io/cockpitwsjava/fuzz/regressions/<target>/}: crashes fixed or guarded. */
    @TestFactory
    Stream<DynamicTest> storedRegressions() throws IOException, URISyntaxException {
        List<DynamicTest> tests = new ArrayList<>();
        for (FuzzTarget t : FuzzTargets.DEFAULT) {
            URL dir = FuzzSliceTest.class.getResource("regressions/" + t.name());
            if (dir == null) {
                continue;
            }
            try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
                for (Path f : files.sorted().toList()) {
                    tests.add(DynamicTest.dynamicTest(t.name() + "/" + f.getFileName(), () -> {
                        byte[] input;
                        try (InputStream in = Files.newInputStream(f)) {
                            input = in.readAllBytes();
                        }
                        Throwable error = quietly(() -> SeededFuzz.runOne(t, input));
                        if (error != null) {
                            throw new AssertionError(t.name() + " fails on stored input " + f.getFileName(), error);
                        }
                    }));
                }
            }
        }
        return tests.stream();
    }

    private interface Body<T> {
        T get() throws Exception;
    }

    private static <T> T quietly(Body<T> body) throws Exception {
        List<Level> levels = new ArrayList<>();
        List<Logger> loggers = NOISY.stream().map(Logger::getLogger).toList();
        for (Logger l : loggers) {
            levels.add(l.getLevel());
            l.setLevel(Level.SEVERE);
        }
        try {
            return body.get();
        } finally {
            for (int i = 0; i < loggers.size(); i++) {
                loggers.get(i).setLevel(levels.get(i));
            }
        }
    }
}
