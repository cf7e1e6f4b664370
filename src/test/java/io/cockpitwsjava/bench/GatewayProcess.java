package io.cockpitwsjava.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A gateway under test, running as its own process on 127.0.0.1:&lt;free port&gt;: ours (the Quarkus fast-jar on a
 * JVM with given flags) or Cockpit's C {@code cockpit-ws}. Both read the same bastion-style cockpit.conf through
 * {@code XDG_CONFIG_DIRS}.
 */
final class GatewayProcess implements AutoCloseable {
    static final Path COCKPIT_WS = Path.of("/usr/lib/cockpit/cockpit-ws");

    private final String label;
    private final String description;
    private final boolean jvm;
    private final int port;
    private final Process process;
    private final ProcessGroup processes;
    private final Path log;

    private GatewayProcess(String label, String description, boolean jvm, int port, Process process, Path log) {
        this.label = label;
        this.description = description;
        this.jvm = jvm;
        this.port = port;
        this.process = process;
        // entered before the gateway spawns anything: cockpit-ws starts its helpers on the first login
        this.processes = ProcessGroup.of(label, process.pid());
        this.log = log;
    }

    /** Where a gateway comes from and where its files go: the same for every gateway start of a run. */
    record Launch(Path javaHome, Path jar, Path confDir, Path workDir) {
    }

    /**
     * Our gateway: {@code java <flags> -Dquarkus.http.port=P -Dquarkus.management.port=M <properties> -jar
     * quarkus-run.jar}, both ports free ones on 127.0.0.1 (the default management port 9091 may be taken on a
     * shared machine). {@code tag} names the log file.
     */
    static GatewayProcess ours(String label, String tag, List<String> flagSet, List<String> properties, Launch l)
            throws IOException {
        int port = freePort();
        // "jar=PATH" in a flag set runs another build in that column (before/after comparisons in one run)
        Path jar = l.jar();
        List<String> jvmFlags = new ArrayList<>();
        for (String f : flagSet) {
            if (f.startsWith("jar=")) {
                jar = Path.of(f.substring(4)).toAbsolutePath();
            } else {
                jvmFlags.add(f);
            }
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(l.javaHome().resolve("bin/java").toString());
        cmd.addAll(jvmFlags);
        cmd.add("-Dquarkus.http.port=" + port);
        cmd.add("-Dquarkus.http.host=127.0.0.1");
        // the benchmark logs in many sessions from a few client addresses; cockpit-ws has no such limits either
        cmd.add("-Dcockpit.limits.sessions-per-client=0");
        cmd.add("-Dcockpit.limits.logins-per-client=0");
        // the sshd targets listen on random loopback ports; the default allow-list admits port 22 only
        cmd.add("-Dcockpit.ssh.allowed-hosts=*:22,127.0.0.1:*,localhost:*");
        cmd.add("-Dquarkus.management.port=" + freePort());
        cmd.add("-Dquarkus.management.host=127.0.0.1");
        cmd.addAll(properties);
        cmd.add("-jar");
        cmd.add(jar.toString());
        String description = "java " + String.join(" ", jvmFlags) + (jvmFlags.isEmpty() ? "" : " ")
                + "-Dquarkus.http.port=<free> -Dquarkus.management.port=<free> -Dcockpit.limits.sessions-per-client=0 "
                + "-Dcockpit.limits.logins-per-client=0 -Dcockpit.ssh.allowed-hosts=*:22,127.0.0.1:*,localhost:* "
                + (properties.isEmpty() ? "" : String.join(" ", properties) + " ") + "-jar "
                + (jar.equals(l.jar()) ? "quarkus-run.jar" : jar.toString());
        return start(label, tag, description, true, port, cmd, l);
    }

    /** Cockpit's cockpit-ws, plain HTTP, as the upstream ws container runs it without TLS. */
    static GatewayProcess cockpitWs(String tag, Launch l) throws IOException {
        int port = freePort();
        List<String> cmd = List.of(COCKPIT_WS.toString(), "--no-tls", "--address", "127.0.0.1", "--port",
                Integer.toString(port));
        return start("cockpit-ws", tag, String.join(" ", cmd).replace(Integer.toString(port), "<free>"), false, port,
                cmd, l);
    }

    private static GatewayProcess start(String label, String tag, String description, boolean jvm, int port,
            List<String> cmd, Launch l) throws IOException {
        Path log = l.workDir().resolve((label + "." + tag).replaceAll("[^A-Za-z0-9._-]", "_") + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("XDG_CONFIG_DIRS", l.confDir().toString());
        // Debian's python3 (with the cockpit module) first, not a pyenv shim: cockpit-ws runs "/usr/bin/env python3"
        env.put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        // as in the upstream container: never exit for lack of sessions
        env.put("COCKPIT_WS_PROCESS_IDLE", Long.toString((1L << 32) - 1));
        Process p = pb.start();
        GatewayProcess g = new GatewayProcess(label, description, jvm, port, p, log);
        g.writesAotCache = cmd.stream().anyMatch(a -> a.startsWith("-XX:AOTCacheOutput="));
        g.awaitPing(Duration.ofSeconds(30));
        return g;
    }

    /** Whether this JVM writes an AOT cache when it exits (a training run), which takes a while. */
    private boolean writesAotCache;

    String label() {
        return label;
    }

    String description() {
        return description;
    }

    boolean isJvm() {
        return jvm;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /** The gateway and everything it spawned (cockpit-ws: a python3 beiboot helper and ssh per session). */
    ProcessGroup processes() {
        return processes;
    }

    Path log() {
        return log;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    private void awaitPing(Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException(label + " exited with " + process.exitValue() + "; log: " + tail());
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/ping").toURL()
                        .openConnection();
                c.setConnectTimeout(500);
                c.setReadTimeout(2000);
                if (c.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            sleep(50);
        }
        close();
        throw new IllegalStateException(label + " did not answer /ping within " + timeout + "; log: " + tail());
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        // SIGTERM the gateway; whatever it spawned goes with it, or is killed with its group
        List<ProcessHandle> children = process.toHandle().descendants().toList();
        process.destroy();
        try {
            // a training run (-XX:AOTCacheOutput) assembles its AOT cache in a child JVM at exit: give it time
            if (!process.waitFor(writesAotCache ? 300 : 10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroy);
        processes.close();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
