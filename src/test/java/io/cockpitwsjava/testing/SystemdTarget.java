package io.cockpitwsjava.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A target machine for browser tests: a podman container running systemd as PID 1 (so Cockpit's Overview, Logs and
 * Services pages find systemd, the journal and a D-Bus system bus), sshd on port 22, and the sudo-capable user
 * {@value #USER}. Reached from the host by its address on podman's bridge network.
 *
 * <p>Images come from {@code src/scripts/build-test-targets}, which this fixture runs first (it builds a missing or
 * outdated image — the first run debootstraps, a few minutes — and keeps a current one). Driven through the {@code podman} command line.
 * Without root or podman the tests are skipped. Containers carry the label {@code io.cockpitwsjava.test=browser} and
 * are also removed at JVM exit; after a killed JVM: {@code podman rm -f $(podman ps -aq --filter
 * label=io.cockpitwsjava.test=browser)}.
 */
public final class SystemdTarget implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
    public static final String USER = "admin";
    public static final String PASSWORD = "foobar";
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(90);

    private final String tag;
    private final String hostname;
    private String container;
    private String address;

    /** {@code tag} of {@code localhost/browser-target} (bookworm, bookworm-cockpit, bullseye). */
    public SystemdTarget(String tag) {
        this.tag = tag;
        this.hostname = "target-" + tag;
    }

    public String image() {
        return "localhost/browser-target:" + tag;
    }

    /** The container's host name (what Cockpit's Overview shows). */
    public String hostname() {
        return hostname;
    }

    /** IPv4 address on podman's bridge network; sshd listens on port 22 there. */
    public String address() {
        return address;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    public void start() {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "podman targets need root");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/podman")), "podman is not installed");
        // builds the image when missing or made by an older recipe; a second or so when it is current
        Result built = run(Duration.ofMinutes(15), projectDir().resolve("src/scripts/build-test-targets").toString(),
                tag);
        if (built.exit() != 0) {
            throw new IllegalStateException("building " + image() + " failed:\n" + built.output());
        }
        Result started = run(Duration.ofSeconds(60), "podman", "run", "-d", "--systemd=always", "--hostname", hostname,
                "--label", "io.cockpitwsjava.test=browser", image(), "/sbin/init");
        if (started.exit() != 0) {
            throw new IllegalStateException("podman run failed: " + started.output());
        }
        container = started.output().strip();
        String id = container;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> run(Duration.ofSeconds(30), "podman", "rm", "-f", "-t",
                "0", id)));
        address = podman("inspect", "--format", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", container)
                .strip();
        awaitBoot();
        // The user's systemd manager stays up between logins. Without this it is stopped some seconds after the
        // last session ends, and in these containers that stop can hang for its whole 2-minute timeout ("Processes
        // still around after final SIGKILL"); a login meanwhile waits in pam_systemd, and the gateway, ours or
        // cockpit-ws, answers "Authentication failed: Timeout" (seen in the benchmark's browser phase).
        exec("loginctl enable-linger " + USER);
    }

    /** Waits until systemd finished booting (running or degraded) and sshd accepts connections. */
    private void awaitBoot() {
        long deadline = System.nanoTime() + BOOT_TIMEOUT.toNanos();
        String state = "";
        while (System.nanoTime() < deadline) {
            state = run(Duration.ofSeconds(10), "podman", "exec", container, "systemctl", "is-system-running")
                    .output().strip();
            if ((state.equals("running") || state.equals("degraded")) && portOpen()) {
                return;
            }
            sleep(250);
        }
        throw new IllegalStateException(image() + " did not boot in " + BOOT_TIMEOUT + " (state " + state + ")\n"
                + run(Duration.ofSeconds(10), "podman", "exec", container, "systemctl", "--failed").output());
    }

    private boolean portOpen() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, 22), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Runs a shell command as root in the container and returns its output; fails on a non-zero exit. */
    public String exec(String shellCommand) {
        Result r = run(Duration.ofSeconds(60), "podman", "exec", container, "sh", "-c", shellCommand);
        if (r.exit() != 0) {
            throw new IllegalStateException("'" + shellCommand + "' failed with " + r.exit() + ": " + r.output());
        }
        return r.output();
    }

    /** New SSH host keys and a restarted sshd: the next login meets a changed host key. */
    public void replaceHostKeys() {
        exec("rm -f /etc/ssh/ssh_host_* && ssh-keygen -A >/dev/null && systemctl restart ssh");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!portOpen() && System.nanoTime() < deadline) {
            sleep(100);
        }
    }

    /** SHA256 fingerprint of the container's ECDSA/Ed25519 host key of the given type, as ssh-keygen prints it. */
    public String hostKeyFingerprint(String type) {
        String line = exec("ssh-keygen -l -f /etc/ssh/ssh_host_" + type + "_key.pub").strip();
        return line.split(" ")[1];
    }

    @Override
    public void close() {
        if (container != null) {
            run(Duration.ofSeconds(60), "podman", "rm", "-f", "-t", "0", container);
            container = null;
        }
    }

    private String podman(String... args) {
        List<String> cmd = new ArrayList<>(List.of("podman"));
        cmd.addAll(List.of(args));
        Result r = run(Duration.ofSeconds(60), cmd.toArray(String[]::new));
        if (r.exit() != 0) {
            throw new IllegalStateException(cmd + " failed: " + r.output());
        }
        return r.output();
    }

    record Result(int exit, String output) {
    }

    private static Result run(Duration timeout, String... command) {
        try {
            Path log = Files.createTempFile("podman", ".log");
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    return new Result(-1, "timed out after " + timeout + ": " + String.join(" ", command));
                }
                return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The Maven project directory (tests run with it as working directory, or below it). */
    private static Path projectDir() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("pom.xml"))) {
            p = p.getParent();
        }
        return p == null ? Path.of("").toAbsolutePath() : p;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
