package io.cockpitwsjava.fuzz;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Command line for {@code src/scripts/fuzz}:
 * <ul>
 * <li>{@code list} — {@code name harness-class} of the default targets;</li>
 * <li>{@code corpus DIR COUNT SEED [target…]} — COUNT generated inputs per target into {@code DIR/<name>/}, the
 * seed corpus Jazzer starts from, and the target's tokens as a libFuzzer dictionary {@code DIR/<name>.dict};</li>
 * <li>{@code seeded RUNS SEED CRASH_DIR [target…]} — our own engine: RUNS inputs per target, findings saved under
 * CRASH_DIR, exit status 1 if there was any.</li>
 * </ul>
 */
public final class FuzzMain {

    private FuzzMain() {
    }

    public static void main(String[] args) throws Exception {
        switch (args.length == 0 ? "" : args[0]) {
            case "list" -> FuzzTargets.DEFAULT.forEach(t -> System.out.println(t.name() + " " + t.harness().getName()));
            case "corpus" -> corpus(Path.of(args[1]), Integer.parseInt(args[2]), Long.parseLong(args[3]),
                    targets(args, 4));
            case "seeded" -> System.exit(seeded(Long.parseLong(args[1]), Long.parseLong(args[2]), Path.of(args[3]),
                    targets(args, 4)));
            default -> {
                System.err.println("usage: FuzzMain list | corpus DIR COUNT SEED [target…] | seeded RUNS SEED CRASH_DIR [target…]");
                System.exit(2);
            }
        }
    }

    private static List<FuzzTarget> targets(String[] args, int from) {
        if (args.length <= from) {
            return FuzzTargets.DEFAULT;
        }
        List<FuzzTarget> out = new ArrayList<>();
        for (int i = from; i < args.length; i++) {
            String name = args[i];
            out.add(FuzzTargets.named(name).orElseThrow(() -> new IllegalArgumentException("no target " + name)));
        }
        return out;
    }

    private static void corpus(Path dir, int count, long seed, List<FuzzTarget> targets) throws Exception {
        Random random = new Random(seed);
        for (FuzzTarget t : targets) {
            Path d = dir.resolve(t.name());
            Files.createDirectories(d);
            for (int i = 0; i < count; i++) {
                Files.write(d.resolve("gen-" + seed + "-" + i), t.generator().apply(random));
            }
            StringBuilder dict = new StringBuilder();
            for (String token : t.dictionary()) {
                dict.append('"');
                for (byte b : token.getBytes(StandardCharsets.UTF_8)) {
                    int c = b & 0xff;
                    dict.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? String.valueOf((char) c)
                            : String.format("\\x%02X", c));
                }
                dict.append("\"\n");
            }
            Files.writeString(dir.resolve(t.name() + ".dict"), dict);
        }
    }

    private static int seeded(long runs, long seed, Path crashDir, List<FuzzTarget> targets) throws Exception {
        long total = 0;
        int findings = 0;
        for (FuzzTarget t : targets) {
            SeededFuzz.Result r = SeededFuzz.run(t, seed, runs);
            total += r.runs();
            findings += r.findings().size();
            System.out.printf("seeded %-24s %,10d inputs  %,8d/s  %d finding(s)%n", t.name(), r.runs(),
                    r.runs() * 1_000_000_000L / Math.max(1, r.nanos()), r.findings().size());
            for (SeededFuzz.Finding f : r.findings()) {
                System.out.println("  " + f.summary());
                System.out.println("  " + f.stack().lines().limit(8).reduce((a, b) -> a + "\n  " + b).orElse(""));
            }
            if (!r.findings().isEmpty()) {
                SeededFuzz.save(r, crashDir);
            }
        }
        System.out.printf("seeded total: %,d inputs, %d finding(s), seed %d%n", total, findings, seed);
        return findings == 0 ? 0 : 1;
    }
}
