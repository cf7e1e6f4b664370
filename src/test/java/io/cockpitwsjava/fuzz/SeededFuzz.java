package io.cockpitwsjava.fuzz;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Our seeded generate-and-mutate engine: the CI slice and a second opinion next to Jazzer. One {@link Random} per
 * run, so a run is reproduced by its seed and count. Inputs come half from the target's generator, half from
 * mutating earlier ones. Each input runs on a worker thread with a time limit, so a hang is a finding, not a stuck
 * build.
 */
public final class SeededFuzz {

    /** Inputs longer than this are cut: the slice is about variety, Jazzer covers long inputs. */
    private static final int MAX_INPUT = 16 * 1024;
    private static final int POOL = 64;
    /** Distinct findings kept per run; more of the same defect only add noise. */
    private static final int MAX_FINDINGS = 20;
    /** Time one input may take ({@code -Dfuzz.input-seconds}); inputs are small, so this means a hang. */
    public static final Duration INPUT_LIMIT = Duration.ofSeconds(Long.getLong("fuzz.input-seconds", 30));

    /** A crash, broken property or hang, with the input that caused it. */
    public record Finding(long index, byte[] input, Throwable error) {

        /** Stack trace text for reports. */
        public String stack() {
            StringWriter w = new StringWriter();
            error.printStackTrace(new PrintWriter(w));
            return w.toString();
        }

        /** One line: which input, what went wrong, the input in hex (cut). */
        public String summary() {
            byte[] shown = input.length > 256 ? Arrays.copyOf(input, 256) : input;
            return "input #" + index + " (" + input.length + " bytes): " + error + "\n    hex: "
                    + HexFormat.of().formatHex(shown) + (input.length > 256 ? "…" : "");
        }
    }

    /** An input that ran longer than {@link #INPUT_LIMIT}; its stack trace is where the worker was then. */
    public static final class Hang extends AssertionError {
        private static final long serialVersionUID = 1L;

        Hang(Duration limit, StackTraceElement[] where) {
            super("input still running after " + limit.toSeconds() + " s");
            setStackTrace(where);
        }
    }

    /**
     * What one run did. Findings are de-duplicated by exception type, top stack frame and (for broken properties) the
     * first line of the message, and capped at 20.
     */
    public record Result(String target, long seed, long runs, List<Finding> findings, long nanos) {
    }

    private SeededFuzz() {
    }

    /**
     * Runs {@code runs} inputs through {@code target}. A hang ends the run: the worker thread cannot be stopped (a
     * regular expression does not look at interrupts), so it is left behind as a daemon.
     */
    public static Result run(FuzzTarget target, long seed, long runs) {
        Random random = new Random(seed);
        Mutator mutator = new Mutator(random, target.dictionary());
        List<byte[]> pool = new ArrayList<>();
        Map<String, Finding> findings = new LinkedHashMap<>();
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-" + target.name());
            t.setDaemon(true);
            return t;
        });
        java.util.concurrent.atomic.AtomicReference<Thread> workerThread = new java.util.concurrent.atomic.AtomicReference<>();
        long start = System.nanoTime();
        long i = 0;
        try {
            for (; i < runs; i++) {
                byte[] input = next(target, random, mutator, pool);
                Future<Throwable> outcome = worker.submit(() -> {
                    workerThread.set(Thread.currentThread());
                    return runOne(target, input);
                });
                Throwable error;
                try {
                    error = outcome.get(INPUT_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    findings.put("hang", new Finding(i, input, new Hang(INPUT_LIMIT, workerThread.get().getStackTrace())));
                    i++;
                    break;
                } catch (ExecutionException e) {
                    error = e.getCause();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
                if (error != null && findings.size() < MAX_FINDINGS) {
                    findings.putIfAbsent(key(error), new Finding(i, input, error));
                }
            }
        } finally {
            worker.shutdown();
        }
        return new Result(target.name(), seed, i, List.copyOf(findings.values()), System.nanoTime() - start);
    }

    /** Half generated, half mutated from the pool of earlier inputs. */
    private static byte[] next(FuzzTarget target, Random random, Mutator mutator, List<byte[]> pool) {
        if (pool.size() < POOL || random.nextBoolean()) {
            byte[] input = target.generator().apply(random);
            if (pool.size() < POOL) {
                pool.add(input);
            } else {
                pool.set(random.nextInt(POOL), input);
            }
            return input;
        }
        byte[] parent = pool.get(random.nextInt(pool.size()));
        byte[] input = mutator.mutate(parent, pool.get(random.nextInt(pool.size())));
        if (input.length > MAX_INPUT) {
            input = Arrays.copyOf(input, MAX_INPUT);
        }
        if (random.nextInt(4) == 0) {
            pool.set(random.nextInt(POOL), input);
        }
        return input;
    }

    /** Runs one input on this thread; the throwable it raised, or null. */
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
