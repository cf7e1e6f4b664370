package io.cockpitwsjava.fuzz;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Our seeded generate-and-mutate engine: the CI slice and a second opinion next to Jazzer. One {@link Random} per
 * run, so a run is reproduced by its seed and count. Inputs come half from the target's generator, half from
 * mutating earlier ones.
 */
public final class SeededFuzz {

    /** Inputs longer than this are cut: the slice is about variety, Jazzer covers long inputs. */
    private static final int MAX_INPUT = 16 * 1024;
    private static final int POOL = 64;

    /** A crash or broken property, with the input that caused it. */
    public record Finding(long index, byte[] input, Throwable error) {

        /** Stack trace text for reports. */
        public String stack() {
            StringWriter w = new StringWriter();
            error.printStackTrace(new PrintWriter(w));
            return w.toString();
        }

        /** One line: which input, what went wrong, the input in hex (cut). */
        public String summary() {
            byte[] shown = input.length > 256 ? java.util.Arrays.copyOf(input, 256) : input;
            return "input #" + index + " (" + input.length + " bytes): " + error + "\n    hex: "
                    + HexFormat.of().formatHex(shown) + (input.length > 256 ? "…" : "");
        }
    }

    /** What one run did. Findings are de-duplicated by exception type and top stack frame. */
    public record Result(String target, long seed, long runs, List<Finding> findings, long nanos) {
    }

    private SeededFuzz() {
    }

    /** Runs {@code runs} inputs through {@code target}. */
    public static Result run(FuzzTarget target, long seed, long runs) {
        Random random = new Random(seed);
        Mutator mutator = new Mutator(random, target.dictionary());
        List<byte[]> pool = new ArrayList<>();
        Map<String, Finding> findings = new LinkedHashMap<>();
        long start = System.nanoTime();
        for (long i = 0; i < runs; i++) {
            byte[] input;
            if (pool.size() < POOL || random.nextBoolean()) {
                input = target.generator().apply(random);
                if (pool.size() < POOL) {
                    pool.add(input);
                } else {
                    pool.set(random.nextInt(POOL), input);
                }
            } else {
                byte[] parent = pool.get(random.nextInt(pool.size()));
                input = mutator.mutate(parent, pool.get(random.nextInt(pool.size())));
                if (input.length > MAX_INPUT) {
                    input = java.util.Arrays.copyOf(input, MAX_INPUT);
                }
                if (random.nextInt(4) == 0) {
                    pool.set(random.nextInt(POOL), input);
                }
            }
            Throwable error = runOne(target, input);
            if (error != null) {
                findings.putIfAbsent(key(error), new Finding(i, input, error));
            }
        }
        return new Result(target.name(), seed, runs, List.copyOf(findings.values()), System.nanoTime() - start);
    }

    /** Runs one input; the throwable it raised, or null. */
    public static Throwable runOne(FuzzTarget target, byte[] input) {
        try {
            target.test().run(input);
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    private static String key(Throwable t) {
        StackTraceElement[] st = t.getStackTrace();
        return t.getClass().getName() + "@" + (st.length > 0 ? st[0] : "?")
                + (t instanceof FuzzFinding ? ":" + firstLine(t.getMessage()) : "");
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 80 ? line.substring(0, 80) : line;
    }

    /** Writes each finding's input and stack under {@code dir/<target>/}. */
    public static void save(Result r, Path dir) throws IOException {
        Path d = dir.resolve(r.target());
        Files.createDirectories(d);
        for (Finding f : r.findings()) {
            String base = "seed-" + r.seed() + "-input-" + f.index();
            Files.write(d.resolve(base + ".bin"), f.input());
            Files.writeString(d.resolve(base + ".txt"), f.summary() + "\n" + f.stack());
        }
    }
}
