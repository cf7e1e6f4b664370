package io.cockpitwsjava.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU time and memory of a process and all its descendants, read from {@code /proc}. A gateway that spawns helpers
 * (cockpit-ws: {@code python3 -m cockpit.beiboot} and {@code ssh} per session) is charged for them too.
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

    static int descendantCount(long root) {
        return pids(root).size() - 1;
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

    /** Proportional set size of the tree in KiB (shared pages split among their users). */
    static long pssKib(long root) {
        long kib = 0;
        for (long pid : pids(root)) {
            kib += smapsRollup(pid, "Pss:");
        }
        return kib;
    }

    static long rssKib(long root) {
        long kib = 0;
        for (long pid : pids(root)) {
            kib += smapsRollup(pid, "Rss:");
        }
        return kib;
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
