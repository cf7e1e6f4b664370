package io.cockpitwsjava.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.cockpitwsjava.testing.SshdTarget;

/**
 * Load driver (not a test): runs the same workload against our gateway — once per JVM flag set — and against
 * Cockpit's C {@code cockpit-ws} when it is installed, each as a separate process, and prints one table.
 *
 * <p>Run it with {@code src/scripts/benchmark}. System properties: {@code bench.jvm-flags} (flag sets separated by
 * {@code |}; an empty set means the JVM's defaults), {@code bench.logins} (default 20), {@code bench.echoes}
 * (default 2000), {@code bench.sessions} (default {@code 1,10,50,100}), {@code bench.cockpit-ws} ({@code false} to leave it out), {@code bench.jar}.
 */
public final class GatewayBenchmark {
    static final String DEFAULT_FLAG_SETS = "-XX:+UseSerialGC -Xmx512m||-XX:+UseSerialGC -Xmx512m -XX:+UseCompactObjectHeaders";

    private GatewayBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(System.getProperty("bench.jar", "target/quarkus-app/quarkus-run.jar")).toAbsolutePath();
        Path javaHome = Path.of(System.getenv().getOrDefault("JAVA_HOME", System.getProperty("java.home")));
        List<List<String>> flagSets = new ArrayList<>();
        for (String set : System.getProperty("bench.jvm-flags", DEFAULT_FLAG_SETS).split("\\|", -1)) {
            flagSets.add(set.isBlank() ? List.of() : Arrays.asList(set.trim().split("\\s+")));
        }
        int logins = Integer.getInteger("bench.logins", 20);
        int echoes = Integer.getInteger("bench.echoes", 2000);
        boolean withCockpitWs = Boolean.parseBoolean(System.getProperty("bench.cockpit-ws", "true"));
        if (!Files.isRegularFile(jar)) {
            System.err.println("no fast-jar at " + jar + ": build it with ./mvnw -B -q package -DskipTests -DskipITs");
            System.exit(2);
        }
        Path work = Files.createTempDirectory("cockpit-bench-");
        Path conf = bastionConfig(work);
        List<String> preface = new ArrayList<>();
        preface.add("date: " + Instant.now());
        preface.add("machine: " + Machine.describe());
        preface.add("java for our gateway: " + javaHome + " (" + Machine.javaVersion(javaHome) + ")");
        preface.add("cockpit.conf (both gateways, via XDG_CONFIG_DIRS): " + Files.readString(conf.resolve("cockpit/cockpit.conf"))
                .strip().replace("\n", " ⏎ "));
        preface.add("workload: " + logins + " logins per target (+1 warm-up), " + echoes + " echo round trips (+" + Workload.ECHO_WARM_UP + " warm-up), "
                + "stream " + Workload.STREAM_BYTES + " bytes (+64 MiB warm-up), sessions " + Arrays.toString(Workload.SESSION_COUNTS));
        preface.add("logs: " + work);

        List<Results> all = new ArrayList<>();
        try (SshdTarget installed = new SshdTarget(SshdTarget.RemotePath.INSTALLED).start();
                SshdTarget beiboot = new SshdTarget(SshdTarget.RemotePath.PYTHON_ONLY).start()) {
            preface.add("targets: real /usr/sbin/sshd on 127.0.0.1, user " + installed.user()
                    + "; installed = PATH with cockpit-bridge 337, beiboot = PATH with only python3 ("
                    + Machine.pythonVersion() + ")");
            HeapProbe heap = new HeapProbe(javaHome);
            for (int i = 0; i < flagSets.size(); i++) {
                String label = "ours-" + (char) ('A' + i);
                try (GatewayProcess g = GatewayProcess.ours(label, javaHome, flagSets.get(i), jar, conf, work)) {
                    preface.add(label + ": " + g.description());
                    all.add(new Workload(g, installed, beiboot, heap, logins, echoes).run());
                }
            }
            if (!withCockpitWs) {
                preface.add("cockpit-ws: left out (-Dbench.cockpit-ws=false)");
            } else if (!Files.isExecutable(GatewayProcess.COCKPIT_WS)) {
                preface.add("cockpit-ws: not measured, " + GatewayProcess.COCKPIT_WS
                        + " is not installed (Debian: apt-get install -t bookworm-backports cockpit-ws)");
            } else {
                try (GatewayProcess g = GatewayProcess.cockpitWs(conf, work)) {
                    preface.add("cockpit-ws: " + Machine.cockpitWsVersion() + ", " + g.description()
                            + " (spawns python3 -m cockpit.beiboot + ssh per session; counted)");
                    all.add(new Workload(g, installed, beiboot, heap, logins, echoes).run());
                }
            }
        }
        StringBuilder out = new StringBuilder();
        preface.forEach(p -> out.append("- ").append(p).append('\n'));
        out.append('\n').append(ResultTable.render(all));
        for (Results r : all) {
            for (String n : r.notes) {
                out.append("\nnote [").append(r.label).append("]: ").append(n);
            }
        }
        out.append('\n');
        System.out.println();
        System.out.print(out);
        Path report = work.resolve("result.md");
        Files.writeString(report, out);
        System.out.println("\n(also written to " + report + ")");
        System.exit(0); // the fixture's and clients' non-daemon threads must not keep the driver alive
    }

    /** A bastion configuration like the upstream cockpit/ws container's default-bastion.conf. */
    private static Path bastionConfig(Path work) throws IOException {
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

    static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }
}
