package io.cockpitwsjava.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code /proc} tells about processes and the machine: a process tree's CPU time (the fallback of
 * {@link ProcessGroup} without cgroups), one process's own CPU time (the driver: without its children, which are
 * the gateways and sshd targets), PSS, threads, descriptors, names, MemAvailable and the load average.
 */
final class ProcessTree {
    private static final long CLOCK_TICKS = clockTicks();

    private ProcessTree() {
    }

    /** The process itself, then every live descendant. */
    static List<Long> pids(long root) {
        List<Long> pids = new ArrayList<>();
        pids.add(root);
        ProcessHandle.of(root).ifPresent(h -> h.descendants().forEach(d -> pids.add(d.pid())));
        return pids;
    }

    /**
     * utime + stime of every live process of the tree plus cutime + cstime (children that already exited and were
     * reaped are accounted to their parent there), in seconds.
     */
    static double cpuSeconds(long root) {
        long ticks = 0;
        for (long pid : pids(root)) {
            String[] f = statFields(pid);
            if (f == null) {
                continue;
            }
            // fields after "(comm)": index 0 is field 3 (state), so utime (14) is index 11 .. cstime (17) index 14
            for (int i = 11; i <= 14; i++) {
                ticks += Long.parseLong(f[i]);
            }
        }
        return ticks / (double) CLOCK_TICKS;
    }

    /** utime + stime of this one process (all its threads), without any children, in seconds. */
    static double ownCpuSeconds(long pid) {
        String[] f = statFields(pid);
        return f == null ? 0 : (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) CLOCK_TICKS;
    }

    /** The process's command name ({@code /proc/<pid>/comm}); null if it is gone. */
    static String command(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip();
        } catch (IOException | RuntimeException gone) {
            return null;
        }
    }

    /** The process's command line with spaces between the arguments; empty if it is gone. */
    static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"))).replace('\0', ' ').strip();
        } catch (IOException | RuntimeException gone) {
            return "";
        }
    }

    /** Threads of one process ({@code Threads:} of {@code /proc/<pid>/status}); -1 if gone. */
    static int threadCount(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("Threads:")) {
                    return Integer.parseInt(line.substring(8).trim());
                }
            }
        } catch (IOException | RuntimeException gone) {
            // fall through
        }
        return -1;
    }

    /** Open file descriptors of one process (entries of {@code /proc/<pid>/fd}); -1 if gone. */
    static int fdCount(long pid) {
        try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return (int) fds.count();
        } catch (IOException | RuntimeException gone) {
            return -1;
        }
    }

    /** {@code MemAvailable} of the machine in KiB. */
    static long memAvailableKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return -1;
    }

    /** The 1, 5 and 15 minute load averages from {@code /proc/loadavg}, as printed there. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    /** Proportional set size of one process in KiB; 0 if it is gone. */
    static long processPssKib(long pid) {
        return smapsRollup(pid, "Pss:");
    }

    private static long smapsRollup(long pid, String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the process exited between listing and reading: it no longer uses memory
        }
        return 0;
    }

    private static String[] statFields(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // comm may contain spaces and parentheses; it ends at the last ')'
            return stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        } catch (IOException | RuntimeException gone) {
            return null;
        }
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return Long.parseLong(out);
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
