package io.cockpitwsjava.ship;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Makes the podman API socket that Testcontainers uses ({@code DOCKER_HOST}, set by the Failsafe configuration)
 * answer before a test class runs: when nothing answers there, starts {@code podman system service} on it and
 * stops that process when the whole test run ends (JUnit root store). A socket that already answers (a developer's
 * own service, a CI step) is used as it is and left alone. Skips the tests when podman is not installed.
 */
public final class PodmanService implements BeforeAllCallback {
    private static final String DEFAULT_SOCKET = "unix:///run/podman/podman.sock";

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Assumptions.assumeTrue(podmanInstalled(), "podman is not installed (src/scripts/install-deps installs it)");
        Path socket = socketPath();
        Path dir = socket.getParent();
        Assumptions.assumeTrue(answers(socket) || Files.isWritable(Files.exists(dir) ? dir : dir.getParent()),
                "no podman API on " + socket + " and no permission to start one there; run as root (CI) or point"
                        + " -Dcontainers.socket=unix://$XDG_RUNTIME_DIR/podman/podman.sock at a rootless service");
        context.getRoot().getStore(ExtensionContext.Namespace.create(PodmanService.class))
                .computeIfAbsent("service", k -> start(socket), Started.class);
    }

    /** The socket from {@code DOCKER_HOST} (unix:// only), else podman's rootful default. */
    static Path socketPath() {
        String host = System.getenv().getOrDefault("DOCKER_HOST", DEFAULT_SOCKET);
        if (!host.startsWith("unix://")) {
            throw new IllegalStateException("DOCKER_HOST must be a unix:// socket for these tests, not " + host);
        }
        return Path.of(host.substring("unix://".length()));
    }

    static boolean podmanInstalled() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, "podman"))) {
                return true;
            }
        }
        return false;
    }

    /** Whether the Docker-compatible API on {@code socket} answers {@code GET /_ping} with OK. */
    static boolean answers(Path socket) {
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap("GET /_ping HTTP/1.0\r\nHost: podman\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            InputStream in = Channels.newInputStream(ch);
            String reply = new String(in.readNBytes(512), StandardCharsets.US_ASCII);
            return reply.startsWith("HTTP/1.") && reply.contains(" 200 ") && reply.endsWith("OK");
        } catch (IOException e) {
            return false;
        }
    }

    private static Started start(Path socket) {
        if (answers(socket)) {
            return new Started(null);
        }
        try {
            // podman cannot bind the socket when its directory is missing
            Files.createDirectories(socket.getParent());
            Path log = Files.createTempFile("podman-service", ".log");
            Process p = new ProcessBuilder(List.of("podman", "system", "service", "--time=0", "unix://" + socket))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!answers(socket)) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    p.destroy();
                    throw new IllegalStateException("podman system service did not answer on " + socket + ": "
                            + Files.readString(log));
                }
                Thread.sleep(50);
            }
            return new Started(p);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start podman system service", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The service process this extension started (null: it was already running), stopped at the end of the run. */
    record Started(Process process) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            if (process != null) {
                // SIGTERM: podman removes the socket file on a clean exit
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }

    /** Runs a command (podman, a project script) to completion and returns its output; fails on a non-zero exit. */
    static String run(Duration timeout, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("ship-cmd", ".log");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            try (OutputStream stdin = p.getOutputStream()) {
                // no input
            }
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " timed out:\n" + tail(out));
            }
            String text = Files.readString(out);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + p.exitValue() + ":\n" + tail(out));
            }
            return text;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static String tail(Path file) throws IOException {
        String s = Files.readString(file);
        return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    }
}
