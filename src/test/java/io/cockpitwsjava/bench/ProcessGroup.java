package io.cockpitwsjava.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The processes of one party of a measurement — a gateway with everything it spawns, or an sshd target with its
 * sessions, bridges and what they run — in a cgroup (v2) of their own, created for it and entered by its first
 * process right after start; children stay in it. So a process that outlives its parent is still counted (a bridge
 * whose sshd session process exited first is re-parented to init and is no longer anyone's descendant; the same
 * for cockpit-ws's {@code ssh} when its python parent dies), and the CPU time of exited processes is never lost
 * ({@code cpu.stat} counts everything that ever ran in the group).
 *
 * <p>Without a writable cgroup2 hierarchy (not root, or no cgroup2 mount at {@code /sys/fs/cgroup} or
 * {@code /sys/fs/cgroup/unified}) it falls back to the process tree below the first process: live descendants plus
 * the cutime/cstime of reaped children, which misses orphans; {@link #accounting()} says which one is used.
 */
final class ProcessGroup implements AutoCloseable {
    private static final Path CGROUP2 = cgroup2Mount();
    private final long root;
    private final Path cgroup;

    private ProcessGroup(long root, Path cgroup) {
        this.root = root;
        this.cgroup = cgroup;
    }

    /** A group for the process {@code rootPid}, which should not have spawned anything yet. */
    static ProcessGroup of(String name, long rootPid) {
        if (CGROUP2 != null) {
            Path dir = CGROUP2.resolve("cockpit-bench-" + ProcessHandle.current().pid() + "-"
                    + name.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + rootPid);
            try {
                Files.createDirectory(dir);
                Files.writeString(dir.resolve("cgroup.procs"), Long.toString(rootPid));
                ProcessGroup g = new ProcessGroup(rootPid, dir);
                Runtime.getRuntime().addShutdownHook(new Thread(g::close));
                return g;
            } catch (IOException | RuntimeException e) {
                try {
                    Files.deleteIfExists(dir);
                } catch (IOException ignored) {
                    // an empty leftover directory is harmless
                }
            }
        }
        return new ProcessGroup(rootPid, null);
    }

    /** How CPU and membership are accounted, for the report. */
    static String accounting() {
        return CGROUP2 != null ? "a cgroup2 group per gateway and per sshd target under " + CGROUP2
                + " (includes orphaned and exited processes)"
                : "process trees (no writable cgroup2: orphaned processes are missed)";
    }

    long root() {
        return root;
    }

    /** Every live process of the group. */
    List<Long> pids() {
        if (cgroup != null) {
            List<Long> pids = new ArrayList<>();
            try {
                for (String line : Files.readAllLines(cgroup.resolve("cgroup.procs"))) {
                    if (!line.isBlank()) {
                        pids.add(Long.parseLong(line.trim()));
                    }
                }
                return pids;
            } catch (IOException | RuntimeException e) {
                // the group is gone: fall through to the tree
            }
        }
        return ProcessTree.pids(root);
    }

    /** Live processes other than the first one (a gateway's helpers; a target's session processes). */
    int others() {
        return (int) pids().stream().filter(p -> p != root).count();
    }

    /** CPU seconds (user + system) used by the group so far, exited processes included. */
    double cpuSeconds() {
        if (cgroup != null) {
            try {
                for (String line : Files.readAllLines(cgroup.resolve("cpu.stat"))) {
                    if (line.startsWith("usage_usec ")) {
                        return Long.parseLong(line.substring(11).trim()) / 1e6;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // fall through
            }
        }
        return ProcessTree.cpuSeconds(root);
    }

    /** Proportional set size of all live processes of the group, KiB. */
    long pssKib() {
        long kib = 0;
        for (long pid : pids()) {
            kib += ProcessTree.processPssKib(pid);
        }
        return kib;
    }

    /** One line per live process: pid, parent pid and command line (for failure reports). */
    String listing() {
        StringBuilder sb = new StringBuilder();
        for (long pid : pids()) {
            ProcessHandle.of(pid).ifPresent(h -> sb.append(pid).append(' ')
                    .append(h.parent().map(ProcessHandle::pid).orElse(0L)).append(' ')
                    .append(ProcessTree.commandLine(pid)).append('\n'));
        }
        return sb.toString();
    }

    /** Kills what is left of the group (after its first process was stopped) and removes the cgroup. */
    @Override
    public synchronized void close() {
        if (cgroup == null || !Files.isDirectory(cgroup)) {
            return;
        }
        long end = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < end) {
            List<Long> left = pids();
            if (left.isEmpty()) {
                break;
            }
            left.forEach(p -> ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly));
            GatewayProcess.sleep(50);
        }
        try {
            Files.deleteIfExists(cgroup);
        } catch (IOException e) {
            System.err.println("could not remove " + cgroup + ": " + e);
        }
    }

    private static Path cgroup2Mount() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return null;
        }
        for (Path p : List.of(Path.of("/sys/fs/cgroup"), Path.of("/sys/fs/cgroup/unified"))) {
            if (Files.isRegularFile(p.resolve("cgroup.controllers")) && Files.isWritable(p)) {
                return p;
            }
        }
        return null;
    }
}
