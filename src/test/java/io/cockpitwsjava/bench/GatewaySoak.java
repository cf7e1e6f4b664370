package io.cockpitwsjava.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import io.cockpitwsjava.testing.SshdTarget;

/**
 * Soak driver (not a test): {@link Soak} against our gateway for {@code soak.duration} (default 30 minutes) with
 * {@code soak.sessions} sessions (default 200); prints the samples and the verdict and exits 1 if a session broke
 * or memory grew past the limits. Run it with {@code src/scripts/soak}; settings in docs/PERFORMANCE.md.
 */
public final class GatewaySoak {

    private GatewaySoak() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(System.getProperty("soak.jar", "target/quarkus-app/quarkus-run.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            System.err.println("soak: no fast-jar at " + jar + ": build it with ./mvnw -B -q package -DskipTests -DskipITs");
            System.exit(2);
        }
        Path javaHome = Path.of(System.getenv().getOrDefault("JAVA_HOME", System.getProperty("java.home")));
        String flags = System.getProperty("soak.jvm-flags", "");
        Soak.Settings settings = new Soak.Settings(
                Integer.getInteger("soak.sessions", 200),
                Duration.parse("PT" + System.getProperty("soak.duration", "30m").toUpperCase()),
                Duration.parse("PT" + System.getProperty("soak.interval", "30s").toUpperCase()),
                flags.isBlank() ? List.of() : Arrays.asList(flags.trim().split("\\s+")),
                Double.parseDouble(System.getProperty("soak.heap-growth-mib", "8")),
                Integer.getInteger("soak.thread-growth", 8),
                Integer.getInteger("soak.fd-growth", 16),
                BenchConfig.sourceAddresses(System.getProperty("soak.source-addresses", "127.0.0.2..127.0.0.11")));
        Path work = Files.createTempDirectory("cockpit-soak-");
        Soak.Outcome outcome;
        try (Target target = Target.of(Testbed.INSTALLED, new SshdTarget(SshdTarget.RemotePath.INSTALLED).start())) {
            System.err.println("soak: " + settings + "; logs in " + work);
            outcome = new Soak(settings, new GatewayProcess.Launch(javaHome, jar, GatewayBenchmark.bastionConfig(work), work),
                    target, new HeapProbe(javaHome)).run();
        }
        System.out.println();
        System.out.println("- machine: " + Machine.describe() + "; load average at end " + ProcessTree.loadAverage());
        System.out.println("- gateway: java " + String.join(" ", settings.jvmFlags()) + " -jar quarkus-run.jar ("
                + Machine.javaVersion(javaHome) + ")");
        System.out.println("- " + settings.sessions() + " sessions for " + settings.duration() + "; per session about one "
                + "cycle a second: an echo round trip, every " + Soak.CHURN_EVERY + "th cycle an echo channel opened, "
                + "used and closed, every " + Soak.STREAM_EVERY + "th a " + Soak.STREAM_BYTES + "-byte stream");
        System.out.println("- logs: " + work);
        System.out.println();
        System.out.println(Soak.header());
        outcome.samples().forEach(s -> System.out.println(Soak.row(s)));
        System.out.println();
        System.out.println(outcome.verdict());
        if (outcome.passed()) {
            System.out.println("SOAK PASSED");
        } else {
            System.out.println("SOAK FAILED:");
            outcome.problems().forEach(p -> System.out.println("  - " + p));
        }
        System.exit(outcome.passed() ? 0 : 1);
    }
}
