package io.cockpitwsjava.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code jcmd} tells about another JVM: live heap ({@code GC.run}, then the "used" of every heap space in
 * {@code GC.heap_info}), its effective flags, class histograms and thread dumps.
 */
final class HeapProbe {
    // heap spaces print "<name> total ..., used NK"; Metaspace lines have no "total" and are left out
    private static final Pattern USED = Pattern.compile("total.*?used (\\d+)K");
    private final Path jcmd;

    HeapProbe(Path javaHome) {
        this.jcmd = javaHome.resolve("bin/jcmd");
    }

    /** Heap in use after a full GC, in KiB; -1 if jcmd failed. */
    long liveHeapKibAfterFullGc(long pid) {
        run(pid, "GC.run");
        String info = run(pid, "GC.heap_info");
        if (info == null) {
            return -1;
        }
        long kib = 0;
        boolean found = false;
        for (String line : info.split("\n")) {
            Matcher m = USED.matcher(line);
            if (m.find()) {
                kib += Long.parseLong(m.group(1));
                found = true;
            }
        }
        return found ? kib : -1;
    }

    /** Writes {@code jcmd <pid> GC.class_histogram} (live objects, after a full GC) next to {@code log}. */
    String histogram(long pid, Path log, String tag) {
        Path file = log.resolveSibling(log.getFileName() + ".histogram-" + tag + ".txt");
        try {
            java.nio.file.Files.writeString(file, String.valueOf(run(pid, "GC.class_histogram")));
        } catch (IOException e) {
            return "(failed: " + e + ")";
        }
        return file.toString();
    }

    /**
     * The JVM's effective flags as {@code jcmd VM.flags} prints them (command-line flags and what ergonomics chose:
     * collector, heap sizes, compiler threads); null if jcmd failed.
     */
    String vmFlags(long pid) {
        String out = run(pid, "VM.flags");
        return out == null ? null : out.lines().filter(l -> l.startsWith("-")).findFirst().orElse(out).strip();
    }

    /** Writes {@code jcmd <pid> Thread.print} next to {@code log}; returns the file name. */
    String threadDump(long pid, Path log) {
        Path file = log.resolveSibling(log.getFileName() + ".threads-" + System.currentTimeMillis() + ".txt");
        try {
            java.nio.file.Files.writeString(file, String.valueOf(run(pid, "Thread.print")));
        } catch (IOException e) {
            return "(failed: " + e + ")";
        }
        return file.toString();
    }

    private String run(long pid, String command) {
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
