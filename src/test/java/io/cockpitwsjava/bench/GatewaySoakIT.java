package io.cockpitwsjava.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.cockpitwsjava.testing.SshdTarget;

/**
 * The soak of {@code src/scripts/soak}, short: {@value #SESSIONS} sessions with traffic for two minutes against the
 * packaged gateway (failsafe runs after {@code package}, so {@code target/quarkus-app} exists), a sample every
 * 10 s. Fails if a session breaks or the gateway's live heap, threads or file descriptors grow past the soak's
 * limits — the live heap by more than 4 MiB here, not 8 (with 50 sessions the samples vary by about 0.5 MiB, and a
 * two-minute run has few channel cycles to reveal a leak). 50 sessions, not 200: ramping up 200 sessions (a Python bridge each on the target) takes a minute of both
 * CPUs of a small CI machine, which the rest of {@code verify} shares; 50 keep the same traffic mix and still
 * exercise thousands of channel open/close cycles. Samples and logs go to {@code target/soak-it/}.
 */
class GatewaySoakIT {
    static final int SESSIONS = 50;

    @Test
    void sessionsStayUpAndMemoryComesBackToItsLevel() throws Exception {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), "no fast-jar at " + jar + " (failsafe runs after package)");
        Path javaHome = Path.of(System.getProperty("java.home"));
        Files.createDirectories(Path.of("target/soak-it"));
        Path work = Files.createTempDirectory(Path.of("target/soak-it").toAbsolutePath(), "run-");
        Soak.Settings settings = new Soak.Settings(SESSIONS, Duration.ofMinutes(2), Duration.ofSeconds(10), List.of(),
                4, 8, 16, BenchConfig.sourceAddresses("127.0.0.2..127.0.0.11"));
        Soak.Outcome outcome;
        try (Target target = Target.of(Testbed.INSTALLED, new SshdTarget(SshdTarget.RemotePath.INSTALLED).start())) {
            outcome = new Soak(settings, new GatewayProcess.Launch(javaHome, jar, GatewayBenchmark.bastionConfig(work),
                    work), target, new HeapProbe(javaHome)).run();
        }
        StringBuilder report = new StringBuilder(Soak.header()).append('\n');
        outcome.samples().forEach(s -> report.append(Soak.row(s)).append('\n'));
        report.append(outcome.verdict()).append('\n');
        Files.writeString(work.resolve("samples.md"), report);
        System.out.println(report);
        assertTrue(outcome.passed(), "soak failed: " + outcome.problems() + "\n" + report + "logs: " + work);
    }
}
