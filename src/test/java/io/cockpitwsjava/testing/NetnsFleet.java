package io.cockpitwsjava.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Many "VMs" on this machine: one network namespace per host, each with its own address on a private bridge and its
 * own real OpenSSH {@code sshd} (its own config, host key and log, listening on port 22 of that address). The
 * namespaces share the file system and users with this machine; only the network is separate, which is what a fleet
 * prober sees of a VM.
 *
 * <p>The bridge takes the first free {@code 10.213.N.0/24} (N from 200 up) whose bridge name {@code cwfN} is not
 * taken, so parallel runs do not collide; hosts get {@code 10.213.N.10} upwards (at most 240 hosts). Namespaces are
 * named {@code cwf-RUN-N-i}, with four random hex digits per run. Needs root and
 * {@code ip}; without them the calling test is skipped with a message. {@link #close()} (also run at JVM exit) stops
 * every process in the namespaces and deletes them and the bridge. After a killed JVM:
 * {@code for n in $(ip netns list | awk '/^cwf-/{print $1}'); do ip netns del $n; done; ip link del cwfN}.
 */
public final class NetnsFleet implements AutoCloseable {

    public static final String USER = SshdTarget.DEFAULT_USER;
    private static final Path SSHD = Path.of("/usr/sbin/sshd");
    private static final int MAX_HOSTS = 240;

    /** How one host is set up. */
    public record Spec(String name, boolean sshd, boolean linkUp, String path, List<String> extraConfig) {
        /** A healthy host: sshd, link up, {@code python3} found. */
        public static Spec normal(String name) {
            return new Spec(name, true, true, "/usr/local/bin:/usr/bin:/bin", List.of());
        }

        public Spec withPath(String p) {
            return new Spec(name, sshd, linkUp, p, extraConfig);
        }

        public Spec withoutSshd() {
            return new Spec(name, false, linkUp, path, extraConfig);
        }

        public Spec withLinkDown() {
            return new Spec(name, sshd, false, path, extraConfig);
        }

        public Spec withConfig(String line) {
            List<String> more = new ArrayList<>(extraConfig);
            more.add(line);
            return new Spec(name, sshd, linkUp, path, more);
        }
    }

    /** One host. */
    public final class Host {
        public final Spec spec;
        public final String namespace;
        public final String address;
        public final Path dir;
        final String veth;
        private Process sshd;

        Host(Spec spec, String namespace, String veth, String address, Path dir) {
            this.spec = spec;
            this.namespace = namespace;
            this.veth = veth;
            this.address = address;
            this.dir = dir;
        }

        public String name() {
            return spec.name();
        }

        /** {@code ssh-ed25519 AAAA...} of this host. */
        public String hostKeyLine() {
            try {
                String[] p = Files.readString(dir.resolve("ssh_host_ed25519_key.pub")).trim().split("\\s+");
                return p[0] + " " + p[1];
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public String log() {
            try {
                Path log = dir.resolve("sshd.log");
                return Files.exists(log) ? Files.readString(log) : "";
            } catch (IOException e) {
                return "(unreadable: " + e + ")";
            }
        }

        /** Number of processes in this host's namespace (sshd, one session pair per connection, commands). */
        public int processCount() {
            String out = run(List.of("ip", "netns", "pids", namespace), true);
            return out == null ? 0 : (int) out.lines().filter(l -> !l.isBlank()).count();
        }

        /** The host dies: every process in its namespace is killed at once (the kernel answers with resets). */
        public void kill() {
            String out = run(List.of("ip", "netns", "pids", namespace), true);
            if (out != null) {
                List<String> cmd = new ArrayList<>(List.of("kill", "-9"));
                out.lines().filter(l -> !l.isBlank()).forEach(cmd::add);
                if (cmd.size() > 2) {
                    run(cmd, true);
                }
            }
            if (sshd != null) {
                try {
                    sshd.waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                sshd = null;
            }
        }

        /** The host vanishes without a word: its link goes down, packets to it are lost. */
        public void linkDown() {
            run(List.of("ip", "-n", namespace, "link", "set", "eth0", "down"), false);
        }

        void start() throws IOException {
            if (!spec.sshd()) {
                return;
            }
            sshd = new ProcessBuilder("ip", "netns", "exec", namespace, SSHD.toString(), "-D", "-e", "-f",
                    dir.resolve("sshd_config").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
        }

        boolean listening() {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(address, 22), 200);
                return true;
            } catch (IOException e) {
                return false;
            }
        }
    }

    private final Path root;
    private final String bridge;
    private final String prefix;
    private final List<Host> hosts = new ArrayList<>();
    private final Thread cleanup = new Thread(this::teardown, "netns-fleet-cleanup");
    private boolean closed;

    private NetnsFleet(Path root, String bridge, String prefix) {
        this.root = root;
        this.bridge = bridge;
        this.prefix = prefix;
    }

    /**
     * Four hex digits of this run: a namespace lives on after deletion while its last sockets time out, and so may
     * its interfaces, so names are never reused from an earlier run.
     */
    private static final String RUN = String.format("%04x", new java.security.SecureRandom().nextInt(0x10000));

    /**
     * Creates the namespaces and starts every sshd; returns when each one that should listen does.
     *
     * @param trustedUserCa the user CA's public key file (every sshd gets {@code TrustedUserCAKeys} for it unless its
     *                      spec's extra config sets another first)
     */
    public static NetnsFleet start(List<Spec> specs, Path trustedUserCa) {
        assumeUsable();
        if (specs.size() > MAX_HOSTS) {
            throw new IllegalArgumentException("at most " + MAX_HOSTS + " hosts");
        }
        try {
            Path root = Files.createTempDirectory("netns-fleet-");
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
            ensureUser();
            Files.createDirectories(Path.of("/run/sshd"));
            NetnsFleet fleet = null;
            for (int n = 200; n < 255 && fleet == null; n++) {
                String bridge = "cwf" + n;
                if (run(List.of("ip", "link", "add", bridge, "type", "bridge"), true) == null) {
                    continue; // taken by another run (or a leftover)
                }
                if (run(List.of("ip", "-o", "-4", "addr", "show"), false).contains(" 10.213." + n + ".")) {
                    run(List.of("ip", "link", "del", bridge), true);
                    continue;
                }
                fleet = new NetnsFleet(root, bridge, "cwf-" + RUN + "-" + n + "-");
                Runtime.getRuntime().addShutdownHook(fleet.cleanup);
                run(List.of("ip", "addr", "add", "10.213." + n + ".1/24", "dev", bridge), false);
                run(List.of("ip", "link", "set", bridge, "up"), false);
                fleet.create(specs, "10.213." + n + ".", n, trustedUserCa);
            }
            if (fleet == null) {
                throw new IllegalStateException("no free bridge name cwf200..cwf254");
            }
            return fleet;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void create(List<Spec> specs, String net, int n, Path ca) throws IOException {
        StringBuilder links = new StringBuilder();
        for (int i = 0; i < specs.size(); i++) {
            Spec spec = specs.get(i);
            String ns = prefix + (i + 1);
            String veth = "c" + RUN + n + "v" + (i + 1);
            Path dir = Files.createDirectories(root.resolve(spec.name()));
            Host h = new Host(spec, ns, veth, net + (10 + i), dir);
            hosts.add(h);
            links.append("netns add ").append(ns).append('\n')
                    .append("link add ").append(veth).append(" type veth peer name eth0 netns ").append(ns).append('\n')
                    .append("link set ").append(veth).append(" master ").append(bridge).append(" up\n");
            run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", spec.name(), "-f",
                    dir.resolve("ssh_host_ed25519_key").toString()), false);
            Files.writeString(dir.resolve("sshd_config"), config(h, ca));
        }
        batch(null, links.toString());
        for (Host h : hosts) {
            batch(h.namespace, "addr add " + h.address + "/24 dev eth0\nlink set lo up\n"
                    + (h.spec.linkUp() ? "link set eth0 up\n" : ""));
        }
        for (Host h : hosts) {
            h.start();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (Host h : hosts) {
            if (!h.spec.sshd() || !h.spec.linkUp()) {
                continue;
            }
            while (!h.listening()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("sshd of " + h.name() + " did not listen:\n" + h.log());
                }
                sleep(20);
            }
        }
    }

    private static String config(Host h, Path ca) {
        StringBuilder c = new StringBuilder();
        h.spec.extraConfig().forEach(l -> c.append(l).append('\n')); // first value wins in sshd_config
        c.append("Port 22\n")
                .append("ListenAddress ").append(h.address).append('\n')
                .append("HostKey ").append(h.dir.resolve("ssh_host_ed25519_key")).append('\n')
                .append("PidFile ").append(h.dir.resolve("sshd.pid")).append('\n')
                .append("TrustedUserCAKeys ").append(ca).append('\n')
                .append("""
                        AuthorizedKeysFile none
                        PasswordAuthentication no
                        KbdInteractiveAuthentication no
                        PubkeyAuthentication yes
                        UsePAM no
                        StrictModes no
                        PermitRootLogin no
                        PrintMotd no
                        LogLevel VERBOSE
                        MaxStartups 100
                        """)
                .append("AllowUsers ").append(USER).append('\n')
                .append("SetEnv PATH=").append(h.spec.path()).append('\n');
        return c.toString();
    }

    public List<Host> hosts() {
        return Collections.unmodifiableList(hosts);
    }

    public Host host(String name) {
        return hosts.stream().filter(h -> h.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no host " + name));
    }

    /** The directory the hosts' files live in. */
    public Path root() {
        return root;
    }

    /** Total processes in all namespaces. */
    public int processCount() {
        return hosts.stream().mapToInt(Host::processCount).sum();
    }

    @Override
    public void close() {
        teardown();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException e) {
            // the JVM is already exiting
        }
    }

    private synchronized void teardown() {
        if (closed) {
            return;
        }
        closed = true;
        for (Host h : hosts) {
            h.kill();
        }
        StringBuilder del = new StringBuilder();
        // deleting our end of each pair frees it now, whatever keeps a namespace alive a while longer
        hosts.forEach(h -> del.append("link del ").append(h.veth).append('\n'));
        hosts.forEach(h -> del.append("netns del ").append(h.namespace).append('\n'));
        del.append("link del ").append(bridge).append('\n');
        try {
            batch(null, del.toString());
        } catch (RuntimeException e) {
            System.err.println("netns fleet cleanup: " + e.getMessage());
        }
        deleteTree(root);
    }

    // ---- internals ------------------------------------------------------------------------------------------------

    private static void assumeUsable() {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "a network-namespace fleet needs root; running as " + System.getProperty("user.name"));
        Assumptions.assumeTrue(Files.isExecutable(SSHD), "OpenSSH server missing at " + SSHD);
        Assumptions.assumeTrue(run(List.of("ip", "netns", "list"), true) != null, "the ip command (iproute2) is missing");
    }

    private static void ensureUser() {
        if (run(List.of("id", "-u", USER), true) == null) {
            run(List.of("useradd", "-m", "-s", "/bin/bash", USER), false);
        }
    }

    /** {@code ip [-n ns] -batch -} with {@code commands}, one per line. */
    private static void batch(String namespace, String commands) {
        List<String> cmd = namespace == null ? List.of("ip", "-batch", "-")
                : List.of("ip", "-n", namespace, "-batch", "-");
        runWithInput(cmd, commands, false);
    }

    static String run(List<String> command, boolean mayFail) {
        return runWithInput(command, null, mayFail);
    }

    private static String runWithInput(List<String> command, String input, boolean mayFail) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (var in = p.getOutputStream()) {
                if (input != null) {
                    in.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                if (mayFail) {
                    return null;
                }
                throw new IllegalStateException(command + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            if (mayFail) {
                return null;
            }
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
