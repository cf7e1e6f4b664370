package io.cockpitwsjava.bench;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.cockpitwsjava.testing.NetnsFleet;

/**
 * Fleet prober benchmark (not a test): the real gateway (fast-jar, its own process) in fleet mode against a fleet of
 * real sshd "VMs" in network namespaces, as {@code FleetProberIT} builds them, with the default prober settings.
 * Measures, from the gateway's own Prometheus metrics and {@code /proc}:
 * <ul>
 * <li>time from the gateway's start to every host's status ("full status");</li>
 * <li>the gateway's CPU and memory while it probes every host each interval, against the same gateway without a
 * fleet;</li>
 * <li>how long a host that dies (every process killed: the kernel resets the connection) and one that falls silent
 * (link down: packets are lost) take to show as down;</li>
 * <li>the fleet page in headless Chromium: first paint of the host table and time until every row shows "Up", each
 * on a newly started gateway ({@link FleetPagePhase}).</li>
 * </ul>
 * Run it with {@code src/scripts/fleet-benchmark} (root). System properties: {@code bench.fleet.hosts} (200),
 * {@code bench.fleet.interval} (seconds, 30), {@code bench.fleet.intervals} (measured intervals, 4),
 * {@code bench.fleet.page-reps} (gateway starts with the fleet page, 3; 0 leaves the page out),
 * {@code bench.fleet.page-reloads} (reloads per start once every host is up, 2),
 * {@code bench.jvm-flags} ({@code -XX:+UseSerialGC -Xmx512m}), {@code bench.jar}.
 */
public final class FleetBenchmark {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? ([-+0-9.eE]+|NaN)$");
    private static final int DEAD = 3;
    /**
     * Used heap in {@code GC.heap_info}: Serial GC's "DefNew total 116160K, used 31021K" and "Tenured …", or G1's
     * "garbage-first heap total …, used …".
     */
    private static final Pattern USED = Pattern.compile(
            "(?m)^\\s*(?:DefNew|Tenured|garbage-first heap)\\s+total \\d+K, used (\\d+)K");

    private final Path javaHome;
    private final Path jar;
    private final List<String> jvmFlags;
    private final Path work;
    private final int pageReps;
    private final int pageReloads;

    private FleetBenchmark(Path javaHome, Path jar, List<String> jvmFlags, Path work, int pageReps,
            int pageReloads) {
        this.javaHome = javaHome;
        this.jar = jar;
        this.jvmFlags = jvmFlags;
        this.work = work;
        this.pageReps = pageReps;
        this.pageReloads = pageReloads;
    }

    public static void main(String[] args) throws Exception {
        int hosts = Integer.getInteger("bench.fleet.hosts", 200);
        Duration interval = Duration.ofSeconds(Integer.getInteger("bench.fleet.interval", 30));
        int intervals = Integer.getInteger("bench.fleet.intervals", 4);
        List<String> flags = Arrays.asList(System.getProperty("bench.jvm-flags", "-XX:+UseSerialGC -Xmx512m").trim()
                .split("\\s+"));
        Path jar = Path.of(System.getProperty("bench.jar", "target/quarkus-app/quarkus-run.jar")).toAbsolutePath();
        Path javaHome = Path.of(System.getenv().getOrDefault("JAVA_HOME", System.getProperty("java.home")));
        if (!Files.isRegularFile(jar)) {
            System.err.println("no fast-jar at " + jar + ": build it with ./mvnw -B -q package -DskipTests -DskipITs");
            System.exit(2);
        }
        if (hosts < 2 * DEAD + 1) {
            System.err.println("bench.fleet.hosts must be at least " + (2 * DEAD + 1) + ": " + 2 * DEAD
                    + " hosts are taken down at the end");
            System.exit(2);
        }
        Path work = Files.createTempDirectory("fleet-bench-");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        new FleetBenchmark(javaHome, jar, flags, work, Integer.getInteger("bench.fleet.page-reps", 3),
                Integer.getInteger("bench.fleet.page-reloads", 2)).run(hosts, interval, intervals);
    }

    Path work() {
        return work;
    }

    private void run(int count, Duration interval, int intervals) throws Exception {
        List<String[]> table = new ArrayList<>();
        System.out.println("date: " + Instant.now());
        System.out.println("machine: " + Machine.describe() + "; load average at start: " + loadAverage());
        System.out.println("gateway: " + javaHome.resolve("bin/java") + " " + String.join(" ", jvmFlags)
                + " -jar quarkus-run.jar (" + Machine.javaVersion(javaHome) + ")");
        System.out.println("fleet: " + count + " network namespaces, one OpenSSH sshd each (" + sshdVersion()
                + "), python3 " + Machine.pythonVersion() + "; probe interval " + interval.toSeconds()
                + " s, prober defaults (concurrency 16, run timeout 5 s, connect timeout 10 s)");
        System.out.println("work directory (gateway logs): " + work);

        Path ca = work.resolve("user_ca");
        exec(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "bench-ca", "-f", ca.toString()));
        Files.setPosixFilePermissions(ca, PosixFilePermissions.fromString("rw-------"));

        List<NetnsFleet.Spec> specs = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            specs.add(NetnsFleet.Spec.normal(String.format("vm%03d", i)));
        }
        Map<String, String> gatewaySettings = new HashMap<>();
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("cockpit."))
                .forEach(k -> gatewaySettings.put(k, System.getProperty(k)));
        if (!gatewaySettings.isEmpty()) {
            System.out.println("gateway settings given: " + gatewaySettings);
        }
        long fleetStart = System.nanoTime();
        try (NetnsFleet fleet = NetnsFleet.start(specs, Path.of(ca + ".pub"))) {
            System.out.printf("fleet up in %.1f s%n", seconds(System.nanoTime() - fleetStart));
            Path inventory = work.resolve("inventory.yaml");
            Files.writeString(inventory, inventory(fleet, interval));

            Usage idle;
            try (Gateway g = Gateway.start(this, "no-fleet", Map.of())) {
                sleep(Duration.ofSeconds(20));
                idle = g.usage(interval.multipliedBy(2));
            }
            table.add(new String[] {"gateway without fleet mode, idle: CPU", pct(idle.cpuShare()), ""});
            table.add(new String[] {"gateway without fleet mode, idle: RSS / heap after GC", mib(idle.rss()) + " / "
                    + mib(idle.heap()), ""});

            gatewaySettings.put("cockpit.fleet.inventory", inventory.toString());
            gatewaySettings.put("cockpit.fleet.user-ca-key", ca.toString());
            if (pageReps > 0) {
                // before the prober's own measurements, so that Chromium's CPU does not count in them
                List<FleetPagePhase.Rep> reps = new FleetPagePhase(this, count, work.resolve("screenshots"))
                        .run(gatewaySettings, pageReps, pageReloads);
                List<String[]> rows = FleetPagePhase.rows(reps, count);
                rows.forEach(r -> System.out.println("| " + String.join(" | ", r) + " |"));
                table.addAll(rows);
            } else {
                System.out.println("fleet page phase left out (bench.fleet.page-reps=0)");
            }
            try (Gateway g = Gateway.start(this, "fleet", gatewaySettings)) {
                double cpuAtReady = cpuSeconds(g.pid());
                long fullAt = g.awaitCount("up", count, Duration.ofMinutes(10));
                double firstRoundCpu = cpuSeconds(g.pid()) - cpuAtReady;
                table.add(new String[] {"time to full status (" + count + " hosts up)",
                        String.format("%.1f s from JVM start, %.1f s from first answer to /ping",
                                seconds(fullAt - g.started), seconds(fullAt - g.ready)),
                        String.format("gateway CPU meanwhile %.1f s (%.0f %% of one core); load average %s",
                                firstRoundCpu, 100 * firstRoundCpu / seconds(fullAt - g.ready), loadAverage())});
                Map<String, Double> m0 = g.metrics();
                double newCount = m0.getOrDefault("cockpit_fleet_probe_seconds_count{connection=\"new\"}", 0.0);
                double newSum = m0.getOrDefault("cockpit_fleet_probe_seconds_sum{connection=\"new\"}", 0.0);
                table.add(new String[] {"first probe of a host (connect, key exchange, certificate login, status run)",
                        String.format("mean %.0f ms over %.0f probes", 1000 * newSum / newCount, newCount), ""});
                // one interval for the spread-out schedule to settle and the JIT to warm up
                sleep(interval);
                Map<String, Double> before = g.metrics();
                Usage busy = g.usage(interval.multipliedBy(intervals));
                Map<String, Double> after = g.metrics();
                double runs = delta(before, after, "cockpit_fleet_probe_seconds_count{connection=\"kept\"}");
                double runSum = delta(before, after, "cockpit_fleet_probe_seconds_sum{connection=\"kept\"}");
                double reconnects = delta(before, after, "cockpit_fleet_probe_seconds_count{connection=\"new\"}");
                table.add(new String[] {"probing " + count + " hosts every " + interval.toSeconds() + " s: CPU",
                        pct(busy.cpuShare()) + " of one core (" + pct(idle.cpuShare()) + " idle without fleet)",
                        String.format("%.2f ms CPU per status run", 1000 * busy.cpuSeconds() / Math.max(1, runs))});
                table.add(new String[] {"status runs in " + intervals + " intervals", String.format(
                        "%.0f (about %.0f due: one per 0.9 interval on average), %.0f reconnects; mean run %.0f ms",
                        runs, count * intervals / 0.9, reconnects, 1000 * runSum / Math.max(1, runs)),
                        "load average " + loadAverage()});
                table.add(new String[] {"probing: RSS max / heap after GC", mib(busy.rss()) + " / " + mib(busy.heap()),
                        "+" + mib(busy.rss() - idle.rss()) + " RSS, +" + mib(busy.heap() - idle.heap())
                                + " heap over no fleet (" + kib((busy.heap() - idle.heap()) / count)
                                + " heap per host)"});
                table.add(new String[] {"gateway threads while probing", Long.toString(threads(g.pid())), ""});

                List<NetnsFleet.Host> all = fleet.hosts();
                List<Double> killed = new ArrayList<>();
                List<NetnsFleet.Host> dying = all.subList(count - 2 * DEAD, count - DEAD);
                long t0 = System.nanoTime();
                dying.forEach(NetnsFleet.Host::kill);
                for (int i = 1; i <= DEAD; i++) {
                    killed.add(seconds(g.awaitCount("down", i, Duration.ofMinutes(3)) - t0));
                }
                table.add(new String[] {"host dies (all processes killed): down after", secondsList(killed), ""});
                List<Double> silent = new ArrayList<>();
                long t1 = System.nanoTime();
                all.subList(count - DEAD, count).forEach(NetnsFleet.Host::linkDown);
                for (int i = 1; i <= DEAD; i++) {
                    silent.add(seconds(g.awaitCount("down", DEAD + i, Duration.ofMinutes(3)) - t1));
                }
                table.add(new String[] {"host falls silent (link down): down after", secondsList(silent),
                        "bound: interval + run timeout = " + (interval.toSeconds() + 5) + " s"});
            }
        }
        System.out.println();
        for (String[] row : table) {
            System.out.println("| " + row[0] + " | " + row[1] + " | " + row[2] + " |");
        }
    }

    private static String inventory(NetnsFleet fleet, Duration interval) {
        StringBuilder y = new StringBuilder("hosts:\n");
        for (NetnsFleet.Host h : fleet.hosts()) {
            y.append("  - name: ").append(h.name()).append('\n')
                    .append("    address: ").append(h.address).append('\n')
                    .append("    labels: {env: bench}\n")
                    .append("    host-key: \"").append(h.hostKeyLine()).append("\"\n");
        }
        y.append("access:\n  - {groups: [ops], hosts: \"*\", ssh-user: ").append(NetnsFleet.USER).append("}\n")
                .append("probe:\n  interval: ").append(interval.toSeconds()).append("s\n");
        return y.toString();
    }

    /** CPU share and memory of the gateway over a period. */
    record Usage(double cpuSeconds, double wallSeconds, long rss, long heap) {
        double cpuShare() {
            return cpuSeconds / wallSeconds;
        }
    }

    /** The gateway process. */
    static final class Gateway implements AutoCloseable {
        final FleetBenchmark bench;
        final Process process;
        final int port;
        final int management;
        final long started;
        long ready;

        private Gateway(FleetBenchmark bench, Process process, int port, int management, long started) {
            this.bench = bench;
            this.process = process;
            this.port = port;
            this.management = management;
            this.started = started;
        }

        static Gateway start(FleetBenchmark bench, String label, Map<String, String> settings) throws IOException {
            int port = freePort();
            int management = freePort();
            List<String> cmd = new ArrayList<>();
            cmd.add(bench.javaHome.resolve("bin/java").toString());
            cmd.addAll(bench.jvmFlags);
            cmd.add("-Dquarkus.http.port=" + port);
            cmd.add("-Dquarkus.http.host=127.0.0.1");
            cmd.add("-Dquarkus.management.port=" + management);
            cmd.add("-Dquarkus.management.host=127.0.0.1");
            settings.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
            cmd.add("-jar");
            cmd.add(bench.jar.toString());
            Path log = bench.work.resolve(label + ".log");
            long t = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Gateway g = new Gateway(bench, p, port, management, t);
            long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < end) {
                if (!p.isAlive()) {
                    throw new IllegalStateException(label + " exited; see " + log);
                }
                if (get("http://127.0.0.1:" + port + "/ping") != null) {
                    g.ready = System.nanoTime();
                    return g;
                }
                sleep(Duration.ofMillis(50));
            }
            g.close();
            throw new IllegalStateException(label + " did not start; see " + log);
        }

        long pid() {
            return process.pid();
        }

        int port() {
            return port;
        }

        Map<String, Double> metrics() {
            String text = null;
            for (int i = 0; i < 3 && text == null; i++) {
                text = get("http://127.0.0.1:" + management + "/q/metrics");
            }
            Map<String, Double> out = new HashMap<>();
            if (text == null) {
                throw new IllegalStateException("no answer from /q/metrics");
            }
            for (String line : text.split("\n")) {
                Matcher m = SAMPLE.matcher(line.strip());
                if (m.matches()) {
                    out.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
                }
            }
            return out;
        }

        /** Waits until {@code cockpit_fleet_hosts{state}} reaches {@code n}; returns System.nanoTime() then. */
        long awaitCount(String state, int n, Duration timeout) {
            long end = System.nanoTime() + timeout.toNanos();
            String key = "cockpit_fleet_hosts{state=\"" + state + "\"}";
            while (System.nanoTime() < end) {
                Double v = metrics().get(key);
                if (v != null && v >= n) {
                    return System.nanoTime();
                }
                sleep(Duration.ofMillis(100));
            }
            throw new IllegalStateException(state + " did not reach " + n + " within " + timeout + ": " + metrics()
                    .entrySet().stream().filter(e -> e.getKey().startsWith("cockpit_fleet_hosts")).toList());
        }

        /** CPU over {@code period} (sampled from /proc), the highest RSS seen, and the heap after a full GC. */
        Usage usage(Duration period) throws IOException {
            double cpu0 = cpuSeconds(pid());
            long t0 = System.nanoTime();
            long rss = 0;
            long end = t0 + period.toNanos();
            while (System.nanoTime() < end) {
                rss = Math.max(rss, rss(pid()));
                sleep(Duration.ofSeconds(1));
            }
            double cpu = cpuSeconds(pid()) - cpu0;
            double wall = seconds(System.nanoTime() - t0);
            String jcmd = bench.javaHome.resolve("bin/jcmd").toString();
            exec(List.of(jcmd, Long.toString(pid()), "GC.run"));
            // read right after the full collection, before anything (such as a metrics scrape) allocates again
            long heap = 0;
            Matcher m = USED.matcher(exec(List.of(jcmd, Long.toString(pid()), "GC.heap_info")));
            while (m.find()) {
                heap += Long.parseLong(m.group(1)) * 1024;
            }
            return new Usage(cpu, wall, rss, heap);
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- /proc and small helpers -------------------------------------------------------------------------------

    static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // fields 14 and 15 of stat (utime, stime), counted from the state field (3)
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) clockTicks();
    }

    static long rss(long pid) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("\\D", "")) * 1024;
            }
        }
        return 0;
    }

    static long threads(long pid) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith("Threads:")) {
                return Long.parseLong(l.replaceAll("\\D", ""));
            }
        }
        return 0;
    }

    private static long ticks;

    static synchronized long clockTicks() {
        if (ticks == 0) {
            ticks = Long.parseLong(exec(List.of("getconf", "CLK_TCK")).strip());
        }
        return ticks;
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "?";
        }
    }

    static String sshdVersion() {
        return exec(List.of("sh", "-c", "/usr/sbin/sshd -V 2>&1 || true")).lines().findFirst().orElse("?").strip();
    }

    static double delta(Map<String, Double> a, Map<String, Double> b, String key) {
        return b.getOrDefault(key, 0.0) - a.getOrDefault(key, 0.0);
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }

    static String pct(double share) {
        return String.format("%.1f %%", 100 * share);
    }

    static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1048576.0);
    }

    static String kib(long bytes) {
        return String.format("%.1f KiB", bytes / 1024.0);
    }

    static String secondsList(List<Double> s) {
        return s.stream().map(x -> String.format("%.1f s", x)).toList().toString();
    }

    static String get(String url) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            c.setConnectTimeout(1000);
            // a cold JVM on a loaded machine can take seconds for its first scrape
            c.setReadTimeout(30_000);
            if (c.getResponseCode() != 200) {
                return null;
            }
            return new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    static String exec(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException(cmd + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
