package io.cockpitwsjava.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real OpenSSH {@code sshd} on {@code 127.0.0.1:<free port>} for end-to-end tests: fresh host keys, a local Unix
 * test user with a password, a shared {@code authorized_keys} file, and a chosen {@code PATH} for exec commands
 * ({@link RemotePath}).
 *
 * <p>Use it as a JUnit extension — {@code @RegisterExtension static SshdTarget sshd = new SshdTarget();} starts it
 * before all tests of the class (or before each test for an instance field) — or by hand with {@link #start()} and
 * {@link #close()}. Needs root (sshd must switch to the test user, and the user may have to be created); without root
 * or without {@code /usr/sbin/sshd} the tests are skipped with a message.
 */
public final class SshdTarget implements AutoCloseable, BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {

    /** The {@code PATH} that commands run through this sshd see; decides which bridge (if any) a test gets. */
    public enum RemotePath {
        /** {@code /usr/local/bin:/usr/bin:/bin}: the installed {@code cockpit-bridge} and python3 are found. */
        INSTALLED,
        /** A directory with only a {@code python3} link to {@code /usr/bin/python3}: no bridge, so beiboot. */
        PYTHON_ONLY,
        /** An empty directory: no python3 at all ({@code no-cockpit}). */
        NOTHING
    }

    public static final String DEFAULT_USER = "cockpittest";
    public static final String DEFAULT_PASSWORD = "secret";
    private static final String SSHD = "/usr/sbin/sshd";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final String user;
    private final String password;
    private final RemotePath remotePath;
    private final Map<String, String> extraEnv = new LinkedHashMap<>();
    /** Programs placed first in PATH (name → file content), e.g. a fake {@code python3}. */
    private final Map<String, String> executables = new LinkedHashMap<>();
    private final List<String> extraListenAddresses = new ArrayList<>();
    private final List<String> extraConfig = new ArrayList<>();

    private Path dir;
    private int port;
    private Process process;
    /** PAM auth stack for keyboard-interactive logins, or null for plain password auth without PAM. */
    private String pamAuth;
    private String logLevel;
    private Path pamService;
    private boolean startedPerTest;

    /** The default user and password with {@link RemotePath#INSTALLED}. */
    public SshdTarget() {
        this(RemotePath.INSTALLED);
    }

    public SshdTarget(RemotePath remotePath) {
        this(DEFAULT_USER, DEFAULT_PASSWORD, remotePath);
    }

    public SshdTarget(String user, String password, RemotePath remotePath) {
        this.user = user;
        this.password = password;
        this.remotePath = remotePath;
    }

    /** Adds a {@code SetEnv NAME=value} for exec commands (e.g. {@code DBUS_SYSTEM_BUS_ADDRESS}); before start. */
    /**
     * Keyboard-interactive through PAM with this PAM configuration. sshd names its PAM service after its program
     * name, so it runs through a symlink with its own {@code /etc/pam.d} file; password auth is switched off.
     */
    public SshdTarget withPamKeyboardInteractive(String pamConfig) {
        this.pamAuth = pamConfig;
        return this;
    }

    /** Listens on this loopback address too (besides 127.0.0.1), same port; before start. */
    public SshdTarget alsoListenOn(String loopbackAddress) {
        if (!loopbackAddress.startsWith("127.")) {
            throw new IllegalArgumentException("tests listen on loopback only: " + loopbackAddress);
        }
        extraListenAddresses.add(loopbackAddress);
        return this;
    }

    /** Marks the user's password as expired: the next login must change it (chage -d 0). */
    public SshdTarget expirePassword() {
        run(List.of("chage", "-d", "0", user));
        return this;
    }

    /**
     * Adds a line to sshd_config (e.g. {@code TrustedUserCAKeys FILE}, {@code LogLevel VERBOSE}); before start. It is
     * appended after the fixture's own lines, and sshd keeps the first value of a keyword, so it cannot override them.
     */
    public SshdTarget withConfig(String line) {
        extraConfig.add(line);
        return this;
    }

    public SshdTarget withEnv(String name, String value) {
        extraEnv.put(name, value);
        return this;
    }

    /**
     * Puts an executable file {@code name} with this content first in the PATH of exec commands (before the
     * {@link RemotePath} directories), e.g. a fake {@code python3} that plays a hostile or broken bridge. Before start.
     */
    public SshdTarget withExecutable(String name, String content) {
        executables.put(name, content);
        return this;
    }

    /**
     * sshd's {@code LogLevel} (default INFO); before start. {@code DEBUG1} logs each connection's negotiated key
     * exchange, cipher and MAC ({@code kex: client->server cipher: ...}) into {@link #log()}.
     */
    public SshdTarget withLogLevel(String level) {
        this.logLevel = level;
        return this;
    }

    // ---- lifecycle ---------------------------------------------------------------------------------------------

    /** Generates host keys, writes the config and starts sshd; returns once the port accepts connections. */
    public synchronized SshdTarget start() {
        if (process != null) {
            return this;
        }
        assumeUsable();
        try {
            if (dir == null) {
                dir = Files.createTempDirectory("sshd-target-");
                // the test user must reach bin dirs and authorized_keys (sshd reads it with the user's rights);
                // the private host keys stay 0600
                Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
                Files.writeString(dir.resolve("authorized_keys"), "");
                generateHostKeys();
            }
            ensureUser();
            Files.createDirectories(Path.of("/run/sshd"));
            port = freePort();
            Files.writeString(dir.resolve("sshd_config"), config());
            String program = SSHD;
            if (pamAuth != null) {
                String service = "sshd-" + dir.getFileName().toString().replaceAll("[^A-Za-z0-9-]", "");
                Path link = dir.resolve(service);
                if (!Files.exists(link)) {
                    Files.createSymbolicLink(link, Path.of(SSHD));
                }
                pamService = Path.of("/etc/pam.d", service);
                Files.writeString(pamService, pamAuth);
                program = link.toString();
            }
            process = new ProcessBuilder(program, "-D", "-e", "-f", dir.resolve("sshd_config").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("sshd.log").toFile())
                    .start();
            awaitListening();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops sshd (SIGTERM, then SIGKILL); keys, user and files stay for a later {@link #start()}. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            process = null;
        }
    }

    /** New host keys and a restart (on a new port): for changed-host-key tests. */
    public synchronized SshdTarget rekey() {
        stop();
        try {
            generateHostKeys();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return start();
    }

    /** Stops sshd and deletes its directory. The Unix user stays (it is shared by all tests). */
    @Override
    public synchronized void close() {
        stop();
        if (pamService != null) {
            try {
                Files.deleteIfExists(pamService);
            } catch (IOException e) {
                // best effort
            }
            pamService = null;
        }
        if (dir != null) {
            deleteTree(dir);
            dir = null;
        }
    }

    // ---- what tests read ---------------------------------------------------------------------------------------

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public RemotePath remotePath() {
        return remotePath;
    }

    /** The directory with config, keys and {@code sshd.log}. */
    public Path directory() {
        return dir;
    }

    /** Processes below this sshd: one privsep child per open SSH connection, plus its shell and bridge. */
    public synchronized long descendantCount() {
        return process == null ? 0 : process.toHandle().descendants().count();
    }

    /** The processes below this sshd whose command line contains {@code needle} (e.g. a bridge's python3). */
    public synchronized List<ProcessHandle> descendants(String needle) {
        if (process == null) {
            return List.of();
        }
        return process.toHandle().descendants()
                .filter(p -> p.info().commandLine().map(c -> c.contains(needle)).orElse(false))
                .toList();
    }

    /**
     * SIGKILL for sshd and every process below it (its connections' privsep children, shells, bridges), as when the
     * machine's SSH service dies; the kernel then closes the connections. {@link #start()} starts it again.
     */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> below = process.toHandle().descendants().toList();
        process.destroyForcibly();
        below.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            process = null;
        }
    }

    /** sshd's log so far (handy in assertion messages). */
    public String log() {
        try {
            Path log = dir.resolve("sshd.log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** Public key file of the host key of {@code type} ({@code ed25519} or {@code ecdsa}). */
    public Path hostPublicKeyFile(String type) {
        return dir.resolve("ssh_host_" + type + "_key.pub");
    }

    /** The host key of {@code type} ({@code ed25519} or {@code ecdsa}). */
    public PublicKey hostPublicKey(String type) {
        try {
            String line = Files.readString(hostPublicKeyFile(type)).trim();
            return PublicKeyEntry.parsePublicKeyEntry(line).resolvePublicKey(null, Map.of(), null);
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot read host key " + type, e);
        }
    }

    /** {@code SHA256:...} as printed by {@code ssh-keygen -lf} for the host key of {@code type}. */
    public String hostKeyFingerprint(String type) {
        String out = run(List.of("ssh-keygen", "-l", "-E", "sha256", "-f", hostPublicKeyFile(type).toString()));
        return out.trim().split("\\s+")[1];
    }

    /** The host's public key line ({@code ssh-ed25519 AAAA...}) of {@code type}. */
    public String hostPublicKeyLine(String type) {
        try {
            String[] parts = Files.readString(hostPublicKeyFile(type)).trim().split("\\s+");
            return parts[0] + " " + parts[1];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The known_hosts line login.js would send for this target reached as {@code localhost:<port>}: the Ed25519
     * key under {@code [localhost]:<port>}, newline-terminated.
     */
    public String knownHostsLine() {
        return "[localhost]:" + port() + " " + hostPublicKeyLine("ed25519") + "\n";
    }

    /** Appends an {@code authorized_keys} line (applies to every user of this sshd; read at each login). */
    public void authorize(PublicKey key) {
        authorize(PublicKeyEntry.toString(key));
    }

    public void authorize(String authorizedKeysLine) {
        try {
            Files.writeString(dir.resolve("authorized_keys"), authorizedKeysLine.strip() + "\n",
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- JUnit ----------------------------------------------------------------------------------------------------

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (process == null && dir == null) {
            startedPerTest = true;
            start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (startedPerTest) {
            startedPerTest = false;
            close();
        }
    }

    // ---- internals ---------------------------------------------------------------------------------------------------

    private static void assumeUsable() {
        Assumptions.assumeTrue(Files.isExecutable(Path.of(SSHD)), "SshdTarget needs OpenSSH server at " + SSHD);
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "SshdTarget needs root (sshd must log in a local test user); running as "
                        + System.getProperty("user.name"));
    }

    private void generateHostKeys() throws IOException {
        for (String type : List.of("ed25519", "ecdsa")) {
            Path key = dir.resolve("ssh_host_" + type + "_key");
            Files.deleteIfExists(key);
            Files.deleteIfExists(Path.of(key + ".pub"));
            run(List.of("ssh-keygen", "-q", "-t", type, "-N", "", "-C", "sshd-target", "-f", key.toString()));
        }
    }

    /** Creates the Unix user if missing and (re)sets its password; sshd checks it against shadow (no PAM). */
    private void ensureUser() {
        if (run(List.of("id", "-u", user), true) == null) {
            run(List.of("useradd", "-m", "-s", "/bin/bash", user));
        }
        runWithInput(List.of("chpasswd"), user + ":" + password + "\n");
    }

    private String config() throws IOException {
        StringBuilder c = new StringBuilder();
        c.append("Port ").append(port).append('\n');
        c.append("ListenAddress 127.0.0.1\n");
        extraListenAddresses.forEach(a -> c.append("ListenAddress ").append(a).append('\n'));
        c.append("HostKey ").append(dir.resolve("ssh_host_ed25519_key")).append('\n');
        c.append("HostKey ").append(dir.resolve("ssh_host_ecdsa_key")).append('\n');
        c.append("PidFile ").append(dir.resolve("sshd.pid")).append('\n');
        c.append("AuthorizedKeysFile ").append(dir.resolve("authorized_keys")).append('\n');
        c.append(pamAuth == null
                ? "UsePAM no\nPasswordAuthentication yes\nKbdInteractiveAuthentication no\n"
                : "UsePAM yes\nPasswordAuthentication no\nKbdInteractiveAuthentication yes\n");
        c.append("""
                StrictModes no
                PubkeyAuthentication yes
                PermitRootLogin no
                PrintMotd no
                MaxStartups 100
                MaxSessions 100
                Subsystem sftp internal-sftp
                """);
        c.append("AllowUsers ").append(user).append('\n');
        if (logLevel != null) {
            c.append("LogLevel ").append(logLevel).append('\n');
        }
        // SetEnv is applied after sshd's built-in default PATH, so it decides what the exec command finds
        c.append("SetEnv PATH=").append(extraBin()).append(pathValue());
        extraEnv.forEach((k, v) -> c.append(' ').append(k).append('=').append(v));
        c.append('\n');
        extraConfig.forEach(line -> c.append(line).append('\n'));
        return c.toString();
    }

    private String pathValue() throws IOException {
        return switch (remotePath) {
            case INSTALLED -> "/usr/local/bin:/usr/bin:/bin";
            case PYTHON_ONLY -> {
                Path bin = dir.resolve("bin-python-only");
                if (!Files.exists(bin)) {
                    Files.createDirectories(bin);
                    Files.createSymbolicLink(bin.resolve("python3"), Path.of("/usr/bin/python3"));
                }
                yield bin.toString();
            }
            case NOTHING -> {
                Path bin = dir.resolve("bin-empty");
                Files.createDirectories(bin);
                yield bin.toString();
            }
        };
    }

    /** The directory of {@link #withExecutable} programs plus a colon, or "" when there are none. */
    private String extraBin() throws IOException {
        if (executables.isEmpty()) {
            return "";
        }
        Path bin = dir.resolve("bin-first");
        Files.createDirectories(bin);
        for (var e : executables.entrySet()) {
            Path file = bin.resolve(e.getKey());
            Files.writeString(file, e.getValue(), StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return bin + ":";
    }

    private void awaitListening() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("sshd exited with " + process.exitValue() + ":\n" + log());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host(), port), 200);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for sshd", e);
                }
            }
        }
        stop();
        throw new IllegalStateException("sshd did not listen within " + START_TIMEOUT + ":\n" + log());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String run(List<String> command) {
        String out = run(command, false);
        return out;
    }

    /** Runs a command; returns stdout, or null on failure when {@code mayFail}, else throws. */
    private static String run(List<String> command, boolean mayFail) {
        return runWithInput(command, null, mayFail);
    }

    private static String runWithInput(List<String> command, String input) {
        return runWithInput(command, input, false);
    }

    private static String runWithInput(List<String> command, String input, boolean mayFail) {
        try {
            Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
            try (var stdin = p.getOutputStream()) {
                if (input != null) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int rc = p.waitFor();
            if (rc != 0) {
                if (mayFail) {
                    return null;
                }
                throw new IllegalStateException(command + " failed with " + rc + ": " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a leftover temp file must not fail a test
                }
            });
        } catch (IOException ignored) {
            // same
        }
    }
}
