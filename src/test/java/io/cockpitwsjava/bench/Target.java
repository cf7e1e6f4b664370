package io.cockpitwsjava.bench;

import java.time.Duration;

import io.cockpitwsjava.testing.SshdTarget;

/**
 * An sshd target as the driver uses it: the real sshd on 127.0.0.1, what the report calls it, and the group of its
 * processes (the listener, one privilege-separated process pair per SSH connection, the bridges and what they run).
 */
record Target(String name, SshdTarget sshd, ProcessGroup processes) implements AutoCloseable {

    /** Puts the running sshd's listener into a process group of its own. */
    static Target of(String name, SshdTarget sshd) {
        return new Target(name, sshd, ProcessGroup.of("target-" + name, listenerPid(sshd)));
    }

    /** The application path login.js builds for a host login to this target. */
    String app() {
        return "/cockpit+=localhost:" + sshd.port();
    }

    /** Basic credentials with the host key already trusted through the known_hosts part after the NUL. */
    String authorization() {
        return BenchClient.basic(sshd.user(), sshd.password(), sshd.knownHostsLine());
    }

    /**
     * Session processes: everything in the group except the listener and {@code ssh-agent}s. The installed bridge
     * starts an {@code ssh-agent} per session; it notices that its session is gone only at its next parent check
     * (every 10 s) and is not waited for (it uses no CPU meanwhile).
     */
    int sessionProcesses() {
        long listener = processes.root();
        return (int) processes.pids().stream()
                .filter(p -> p != listener && !"ssh-agent".equals(ProcessTree.command(p))).count();
    }

    /**
     * Waits until no session process is left (the SSH connections of ended sessions are closed and every bridge has
     * exited, orphaned ones too); fails after {@code timeout}.
     */
    void awaitQuiet(Duration timeout, String after) {
        long end = System.nanoTime() + timeout.toNanos();
        while (sessionProcesses() > 0 && System.nanoTime() < end) {
            GatewayProcess.sleep(20);
        }
        int left = sessionProcesses();
        if (left > 0) {
            throw new IllegalStateException("after " + after + ": the " + name + " target still has " + left
                    + " session processes " + timeout.toSeconds() + " s later (SSH connections or bridges not ended)");
        }
    }

    /** The listening sshd, from the PidFile of the fixture's config (sshd writes it even with -D). */
    private static long listenerPid(SshdTarget t) {
        for (int i = 0; i < 100; i++) {
            try {
                return Long.parseLong(java.nio.file.Files.readString(t.directory().resolve("sshd.pid")).trim());
            } catch (java.io.IOException | RuntimeException notYet) {
                GatewayProcess.sleep(20);
            }
        }
        throw new IllegalStateException("sshd wrote no PidFile in " + t.directory());
    }

    /** Stops sshd and kills whatever of its sessions is left. */
    @Override
    public void close() {
        sshd.close();
        processes.close();
    }
}
