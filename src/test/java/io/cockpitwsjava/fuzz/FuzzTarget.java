package io.cockpitwsjava.fuzz;

import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * One fuzz target: a harness that throws for a crash or a broken property and returns for every input the code
 * under test handles as documented, a generator of well-formed-ish inputs in the harness's {@link FuzzInput} layout,
 * and tokens worth splicing into inputs.
 *
 * @param name       short name for reports, corpus and crash directories
 * @param harness    the class with {@code public static void fuzzerTestOneInput(byte[])} (what Jazzer runs)
 * @param test       that method
 * @param generator  makes one structured input
 * @param dictionary tokens the mutator inserts (delimiters, keywords, markers)
 */
public record FuzzTarget(String name, Class<?> harness, Harness test, Function<Random, byte[]> generator,
        List<String> dictionary) {

    /** A harness entry point. */
    @FunctionalInterface
    public interface Harness {
        void run(byte[] input) throws Throwable;
    }
}
