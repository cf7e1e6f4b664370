package io.cockpitwsjava.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.cockpitwsjava.testing.SshdTarget;

/**
 * Load driver (not a test): the same phases against our gateway — once per JVM flag set — and against Cockpit's C
 * {@code cockpit-ws}, each phase on freshly started gateway processes, every phase repeated with the gateway order
 * rotated per repetition; prints a header and one table (median and min–max over the repetitions) and writes both as
 * Markdown. Exits 1 when any phase failed (listed at the end), 2 when it could not start.
 *
 * <p>Run it with {@code src/scripts/benchmark}; settings are {@code bench.*} system properties ({@link BenchConfig},
 * docs/PERFORMANCE.md).
 */
public final class GatewayBenchmark {

    private GatewayBenchmark() {
    }

    /** A phase that failed for one gateway in one repetition. */
    record Failure(String label, int rep, String phase, String message) {
    }

    public static void main(String[] args) throws Exception {
        BenchConfig c;
        try {
            c = BenchConfig.fromSystemProperties();
        } catch (IllegalArgumentException e) {
            System.err.println("benchmark: " + e.getMessage());
            System.exit(2);
            return;
        }
        Path javaHome = Path.of(System.getenv().getOrDefault("JAVA_HOME", System.getProperty("java.home")));
        if (!Files.isRegularFile(c.jar())) {
            System.err.println("benchmark: no fast-jar at " + c.jar() + ": build it with ./mvnw -B -q package -DskipTests -DskipITs");
            System.exit(2);
        }
        if (c.cockpitWs() && !Files.isExecutable(GatewayProcess.COCKPIT_WS)) {
            System.err.println("benchmark: " + GatewayProcess.COCKPIT_WS + " is not installed (Debian: apt-get install "
                    + "-t bookworm-backports cockpit-ws); or leave it out with -Dbench.cockpit-ws=false");
            System.exit(2);
        }
        Path work = Files.createTempDirectory("cockpit-bench-");
        Path conf = bastionConfig(work);
        List<GatewaySpec> gateways = c.gateways();
        List<Phase> phases = new ArrayList<>();
        for (Phase p : List.of(new LoginPhase(), new ThroughputPhase(), new SessionsPhase(), new BrowserPhase())) {
            if (c.phases().contains(p.name())) {
                phases.add(p);
            }
        }
        Map<String, List<Results>> runs = new LinkedHashMap<>();
        gateways.forEach(g -> runs.put(g.label(), new ArrayList<>()));
        List<Failure> failures = new ArrayList<>();
        List<String> orders = new ArrayList<>();
        String started = Instant.now().toString();
        String loadBefore = ProcessTree.loadAverage();
        Map<String, String> descriptions;
        SshAlgorithms algorithms;
        String browserTarget = null;
        System.err.println("benchmark: logs in " + work);

        Target installed;
        Target beiboot;
        try {
            installed = Target.of(Testbed.INSTALLED,
                    new SshdTarget(SshdTarget.RemotePath.INSTALLED).withLogLevel("DEBUG1").start());
            beiboot = Target.of(Testbed.BEIBOOT,
                    new SshdTarget(SshdTarget.RemotePath.PYTHON_ONLY).withLogLevel("DEBUG1").start());
        } catch (RuntimeException e) {
            System.err.println("benchmark: cannot start the sshd targets (run as root): " + e.getMessage());
            System.exit(2);
            return;
        }
        try (installed; beiboot; Testbed bed = new Testbed(c, new GatewayProcess.Launch(javaHome, c.jar(), conf, work),
                installed, beiboot, new HeapProbe(javaHome))) {
            algorithms = new SshAlgorithms(List.of(installed.sshd(), beiboot.sshd()));
            for (int rep = 1; rep <= c.repeat(); rep++) {
                List<GatewaySpec> order = new ArrayList<>(gateways);
                Collections.rotate(order, -(rep - 1)); // each gateway takes each position in turn
                orders.add("rep " + rep + ": " + String.join(", ", order.stream().map(GatewaySpec::label).toList()));
                Map<String, Results> results = new LinkedHashMap<>();
                for (GatewaySpec g : gateways) {
                    results.put(g.label(), new Results(g.label(), rep));
                }
                for (Phase phase : phases) {
                    for (GatewaySpec spec : order) {
                        if (!phase.runsOn(spec)) {
                            continue;
                        }
                        runPhase(phase, spec, bed, results.get(spec.label()), algorithms, failures);
                    }
                }
                results.forEach((label, r) -> runs.get(label).add(r));
            }
            descriptions = new LinkedHashMap<>(bed.gatewayDescriptions);
            if (!bed.browserTargets().isEmpty()) {
                browserTarget = String.join(", ", bed.browserTargets().stream().map(t -> t.image() + " at "
                        + t.address()).toList()) + " (systemd, sshd on port 22, user "
                        + io.cockpitwsjava.testing.SystemdTarget.USER + ")";
            }
        }

        List<String> header = new ArrayList<>();
        header.add("date: " + started + " – " + Instant.now());
        header.add("machine: " + Machine.describe());
        header.add("load average (1/5/15 min) at start: " + loadBefore + ", at end: " + ProcessTree.loadAverage()
                + " (a shared machine: other work disturbs the numbers)");
        header.add("java for our gateway: " + javaHome + " (" + Machine.javaVersion(javaHome) + ")");
        for (GatewaySpec g : gateways) {
            String d = descriptions.getOrDefault(g.label(), "(never started)");
            header.add(g.label() + ": " + (g.isCockpitWs() ? Machine.cockpitWsVersion() + ", " : "") + d);
        }
        for (GatewaySpec g : gateways) {
            header.add("SSH negotiated by " + g.label() + " (sshd DEBUG1 log of the two sshd targets, per connection): "
                    + algorithms.describe(g.label()));
        }
        header.add("cockpit.conf (both gateways, via XDG_CONFIG_DIRS): " + Files.readString(conf.resolve("cockpit/cockpit.conf"))
                .strip().replace("\n", " ⏎ "));
        header.add("targets: real /usr/sbin/sshd on 127.0.0.1 (" + Machine.openSshVersion() + ", LogLevel DEBUG1), user "
                + installed.sshd().user() + "; installed = PATH with cockpit-bridge (" + Machine.bridgeVersion()
                + "), beiboot = PATH with only python3 (" + Machine.pythonVersion() + "; also the Python of cockpit-ws's "
                + "beiboot helper)");
        header.add("phases: " + String.join(", ", c.phases()) + "; " + c.repeat() + " repetitions, each phase on freshly "
                + "started gateway processes; gateway order " + String.join("; ", orders));
        header.add("CPU and process accounting: " + ProcessGroup.accounting() + "; driver = this JVM alone");
        header.add("cells: median over the repetitions (min–max of the per-repetition values); a repetition's value is "
                + "itself a median/p99/rate over its samples; ratio = our median / cockpit-ws's median");
        header.add("fresh = gateway just started + harness warm-up (per target one login and " + c.harnessEchoes()
                + " echo round trips); warmed = after one more " + c.streamBytes() + "-byte stream, then "
                + c.warmEchoes() + " more echo round trips (in the throughput phase also after the fresh measurements)");
        header.add("workload: " + c.logins() + " logins per target and state; " + c.echoes() + " measured echo round trips "
                + "(~50 bytes) and one " + c.streamBytes() + "-byte stream (head -c N /dev/zero) per target and state; "
                + "sessions " + java.util.Arrays.toString(c.sessionCounts()) + " on the installed target, "
                + c.rampConcurrency() + " logins in flight, memory reserve " + c.memReserveMib() + " MiB, "
                + c.allAtOnceRounds() + " all-at-once echo rounds");
        header.add("client source addresses: " + c.sourceAddresses().get(0) + " … "
                + c.sourceAddresses().get(c.sourceAddresses().size() - 1) + " (" + c.sourceAddresses().size()
                + ", round robin per login)");
        if (c.phases().contains("browser")) {
            header.add("browser: " + Machine.chromiumVersion() + " headless, chromedriver via Selenium; target "
                    + (browserTarget == null ? "(not started)" : browserTarget) + "; our login page: "
                    + c.browserLoginPage() + "; per target " + c.browserLogins() + " measured logins with an emptied "
                    + "browser cache and as many with the cache of the previous login (+1 warm-up), and "
                    + c.browserCommands() + " terminal commands, per gateway and repetition; per-request tables in "
                    + "the logs' browser-requests/");
        }
        header.add("logs: " + work);

        StringBuilder out = new StringBuilder();
        header.forEach(h -> out.append("- ").append(h).append('\n'));
        List<ResultTable.Row> rows = new ArrayList<>();
        phases.forEach(p -> rows.addAll(p.rows(c)));
        out.append('\n').append(ResultTable.render(rows, runs));
        for (List<Results> rs : runs.values()) {
            for (Results r : rs) {
                for (String n : r.notes) {
                    out.append("\nnote [").append(r.label).append(" rep ").append(r.rep).append("]: ").append(n);
                }
            }
        }
        if (!failures.isEmpty()) {
            out.append("\n\n**FAILED: ").append(failures.size()).append(" phase run(s); the numbers above are incomplete.**\n");
            for (Failure f : failures) {
                out.append("\n- ").append(f.phase()).append(" phase, ").append(f.label()).append(", rep ").append(f.rep())
                        .append(": ").append(f.message().replace("\n", "\n  "));
            }
        }
        out.append('\n');
        System.out.println();
        System.out.print(out);
        Path report = c.out() != null ? c.out() : work.resolve("result.md");
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.writeString(report, out);
        System.out.println("\n(Markdown written to " + report + ")");
        if (!failures.isEmpty()) {
            System.err.println();
            System.err.println("!!! BENCHMARK FAILED: " + failures.size() + " phase run(s) failed:");
            failures.forEach(f -> System.err.println("!!!   " + f.phase() + " / " + f.label() + " / rep " + f.rep() + ": "
                    + f.message().lines().findFirst().orElse("")));
        }
        // the fixtures' and clients' non-daemon threads must not keep the driver alive
        System.exit(failures.isEmpty() ? 0 : 1);
    }

    private static void runPhase(Phase phase, GatewaySpec spec, Testbed bed, Results r, SshAlgorithms algorithms,
            List<Failure> failures) {
        long t0 = System.nanoTime();
        System.err.printf("[%s rep %d] %s ...%n", spec.label(), r.rep, phase.name());
        long[] mark = algorithms.mark();
        try {
            phase.run(spec, bed, r);
            bed.awaitTargetsQuiet("the " + phase.name() + " phase");
            System.err.printf("[%s rep %d] %s done in %.1f s%n", spec.label(), r.rep, phase.name(),
                    (System.nanoTime() - t0) / 1e9);
        } catch (Exception | Error e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            Path file = bed.launch.workDir().resolve(spec.label() + ".rep" + r.rep + "." + phase.name() + ".failure.txt");
            try {
                Files.writeString(file, trace.toString());
            } catch (IOException ignored) {
                // the message below is what matters
            }
            String message = e + (e.getCause() != null && e.getCause() != e ? " (cause: " + e.getCause() + ")" : "")
                    + " [stack trace: " + file + "]";
            failures.add(new Failure(spec.label(), r.rep, phase.name(), message));
            System.err.println();
            System.err.println("!!! PHASE FAILED: " + phase.name() + " / " + spec.label() + " / rep " + r.rep + ": " + message);
            System.err.println();
            try {
                bed.awaitTargetsQuiet("the failed " + phase.name() + " phase");
            } catch (RuntimeException stillBusy) {
                System.err.println("!!! " + stillBusy.getMessage());
            }
        } finally {
            algorithms.collect(mark, spec.label());
        }
    }

    /** A bastion configuration like the upstream cockpit/ws container's default-bastion.conf. */
    static Path bastionConfig(Path work) throws IOException {
        Path dir = work.resolve("xdg");
        Files.createDirectories(dir.resolve("cockpit"));
        // the container's [Ssh-Login] Command is a wrapper that ends in "python3 -m cockpit.beiboot <host>"
        // (RemoteBridge auto) when no key is configured; this is that command without the wrapper
        Files.writeString(dir.resolve("cockpit/cockpit.conf"), """
                [WebService]
                ProtocolHeader = X-Forwarded-Proto
                LoginTitle = Cockpit Bastion
                RequireHost = true

                [Negotiate]
                action = none

                [Ssh-Login]
                Command = /usr/bin/python3 -m cockpit.beiboot --remote-bridge=auto
                """);
        return dir;
    }
}
