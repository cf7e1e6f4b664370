package io.cockpitwsjava.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The benchmark's settings, read from {@code bench.*} system properties (docs/PERFORMANCE.md lists them).
 *
 * @param jar our gateway's fast-jar
 * @param flagSets one JVM flag set per "ours" gateway (A, B, …); an empty set means the JVM's defaults; none at all
 *        ({@code bench.jvm-flags=none}) measures cockpit-ws alone
 * @param cockpitWs whether Cockpit's cockpit-ws is measured too
 * @param floor whether the throughput phase also measures the floor: the driver's own SSH client straight to the
 *        installed bridge, no gateway ({@link DirectBridge})
 * @param repeat repetitions of every phase (gateway order rotated per repetition)
 * @param phases phases to run, in {@link #PHASES} order
 * @param logins measured logins per target and state in the login phase
 * @param harnessEchoes echo round trips of the harness warm-up on a fresh gateway
 * @param echoes measured echo round trips per target and state
 * @param warmEchoes echo round trips that turn a fresh gateway into a warmed one (plus one warm stream)
 * @param streamBytes size of a measured stream and of the warming stream
 * @param sessionCounts session counts sampled in the sessions phase (0 is always sampled first)
 * @param rampConcurrency logins in flight while ramping (below both gateways' default MaxStartups of 10)
 * @param memReserveMib the sessions phase stops ramping before the machine's MemAvailable drops below this
 * @param allAtOnceRounds rounds of "one echo on every session at once"
 * @param sourceAddresses loopback source addresses the sessions are spread over
 * @param browserLogins measured browser logins per gateway and repetition (after one warm-up login)
 * @param browserCommands measured terminal commands per gateway and repetition
 * @param browserImage tag of {@code localhost/browser-target} the browser phase logs into
 * @param browserBeibootImage tag of {@code localhost/browser-target} without Cockpit (the gateways beiboot the bridge);
 *        empty = only {@code browserImage}
 * @param browserLoginPage our gateway's {@code cockpit.web.login-page} in the browser phase
 * @param out Markdown report file; null = {@code result.md} in the run's log directory
 */
record BenchConfig(Path jar, List<List<String>> flagSets, boolean cockpitWs, boolean floor, int repeat, List<String> phases,
        int logins, int harnessEchoes, int echoes, int warmEchoes, long streamBytes, int[] sessionCounts,
        int rampConcurrency, long memReserveMib, int allAtOnceRounds, List<String> sourceAddresses,
        int browserLogins, int browserCommands, String browserImage, String browserBeibootImage, String browserLoginPage, Path out) {

    /** Every phase, in the order they run within a repetition. */
    static final List<String> PHASES = List.of("login", "throughput", "sessions", "browser");
    static final String DEFAULT_FLAG_SETS = "-XX:+UseSerialGC -Xmx512m|";

    static BenchConfig fromSystemProperties() {
        List<List<String>> flagSets = new ArrayList<>();
        String sets = System.getProperty("bench.jvm-flags", DEFAULT_FLAG_SETS);
        if (!sets.equals("none")) { // "none": cockpit-ws alone
            for (String set : sets.split("\\|", -1)) {
                flagSets.add(set.isBlank() ? List.of() : Arrays.asList(set.trim().split("\\s+")));
            }
        }
        List<String> phases = new ArrayList<>();
        Set<String> wanted = Set.of(System.getProperty("bench.phases", String.join(",", PHASES)).split("\\s*,\\s*"));
        for (String w : wanted) {
            if (!PHASES.contains(w)) {
                throw new IllegalArgumentException("unknown phase '" + w + "' in bench.phases; phases: " + PHASES);
            }
        }
        PHASES.stream().filter(wanted::contains).forEach(phases::add);
        int[] counts = Arrays.stream(System.getProperty("bench.sessions", "100,250,500").split(","))
                .mapToInt(x -> Integer.parseInt(x.trim())).sorted().toArray();
        String out = System.getProperty("bench.out");
        BenchConfig c = new BenchConfig(
                Path.of(System.getProperty("bench.jar", "target/quarkus-app/quarkus-run.jar")).toAbsolutePath(),
                flagSets,
                Boolean.parseBoolean(System.getProperty("bench.cockpit-ws", "true")),
                Boolean.parseBoolean(System.getProperty("bench.floor", "true")),
                Integer.getInteger("bench.repeat", 3),
                phases,
                Integer.getInteger("bench.logins", 20),
                Integer.getInteger("bench.harness-echoes", 200),
                Integer.getInteger("bench.echoes", 2000),
                Integer.getInteger("bench.warm-echoes", 20_000),
                Long.getLong("bench.stream-bytes", 512L * 1024 * 1024),
                counts,
                Integer.getInteger("bench.ramp-concurrency", 8),
                Long.getLong("bench.mem-reserve-mib", 4096),
                Integer.getInteger("bench.all-at-once-rounds", 3),
                sourceAddresses(System.getProperty("bench.source-addresses", "127.0.0.2..127.0.0.11")),
                Integer.getInteger("bench.browser-logins", 3),
                Integer.getInteger("bench.browser-commands", 5),
                System.getProperty("bench.browser-image", "bookworm-cockpit"),
                System.getProperty("bench.browser-beiboot-image", "bookworm"),
                System.getProperty("bench.browser-login-page", "cockpit"),
                out == null ? null : Path.of(out).toAbsolutePath());
        if (c.repeat < 1 || c.logins < 1 || c.echoes < 1 || c.rampConcurrency < 1 || c.sessionCounts.length == 0
                || c.sessionCounts[0] < 1 || c.browserLogins < 1 || c.browserCommands < 1) {
            throw new IllegalArgumentException("bench.repeat, bench.logins, bench.echoes, bench.ramp-concurrency, "
                    + "bench.sessions, bench.browser-logins and bench.browser-commands must be at least 1");
        }
        return c;
    }

    /**
     * {@code 127.0.0.2..127.0.0.11} (a range in the last octet) or a comma-separated list; loopback only: the
     * driver never connects from or to anything else.
     */
    static List<String> sourceAddresses(String spec) {
        List<String> out = new ArrayList<>();
        for (String part : spec.split("\\s*,\\s*")) {
            if (part.contains("..")) {
                String[] ends = part.split("\\.\\.");
                String prefix = ends[0].substring(0, ends[0].lastIndexOf('.') + 1);
                int from = Integer.parseInt(ends[0].substring(prefix.length()));
                int to = Integer.parseInt(ends[1].substring(ends[1].lastIndexOf('.') + 1));
                for (int i = from; i <= to; i++) {
                    out.add(prefix + i);
                }
            } else if (!part.isBlank()) {
                out.add(part);
            }
        }
        for (String a : out) {
            if (!a.startsWith("127.")) {
                throw new IllegalArgumentException("source address " + a + " is not a loopback address (127.0.0.0/8)");
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("bench.source-addresses is empty");
        }
        return out;
    }

    /**
     * The gateways to compare: ours-A, ours-B, … (one per flag set), the floor when asked for and the throughput
     * phase runs, then cockpit-ws unless left out.
     */
    List<GatewaySpec> gateways() {
        List<GatewaySpec> g = new ArrayList<>();
        for (int i = 0; i < flagSets.size(); i++) {
            g.add(GatewaySpec.ours("ours-" + (char) ('A' + i), flagSets.get(i)));
        }
        if (floor && phases.contains("throughput")) {
            g.add(GatewaySpec.floor());
        }
        if (cockpitWs) {
            g.add(GatewaySpec.cockpitWs());
        }
        return g;
    }
}
