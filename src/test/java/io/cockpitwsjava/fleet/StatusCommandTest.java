package io.cockpitwsjava.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The status command run for real on this machine, as sshd runs a forced command: {@code <login shell> -c <command>}.
 * Both paths — python3, and the shell built-ins when python3 is missing — must print a status that reads back as
 * what {@code /proc} and os-release say.
 */
class StatusCommandTest {

    @Test
    void isOneLineThatSshdCanForce() {
        String c = StatusCommand.text();
        assertFalse(c.contains("\n") || c.contains("\r") || c.contains("\0"));
        // a certificate carries it: keep it well below what an SSH packet holds
        assertTrue(c.length() < 8192, "command is " + c.length() + " characters");
        CertificateRequest.probe("cloud-user", c); // accepted as a force-command
    }

    @ParameterizedTest
    @ValueSource(strings = {"/bin/bash", "/bin/dash", "/bin/sh"})
    void withPython(String shell) throws Exception {
        assumeShell(shell);
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 is not installed");
        // a python3 that notes it was started, so the test knows which path ran
        Path bin = Files.createTempDirectory("python-");
        Path marker = bin.resolve("started");
        Path python = bin.resolve("python3");
        Files.writeString(python, "#!/bin/sh\necho started > " + marker + "\nexec /usr/bin/python3 \"$@\"\n");
        python.toFile().setExecutable(true);
        try {
            check(run(shell, bin + ":/usr/local/bin:/usr/bin:/bin", Map.of()));
            assertTrue(Files.exists(marker), "python3 was not used");
        } finally {
            Files.deleteIfExists(marker);
            Files.delete(python);
            Files.delete(bin);
        }
    }

    /** No python3, and not even a PATH: the fallback uses shell built-ins only. */
    @ParameterizedTest
    @ValueSource(strings = {"/bin/bash", "/bin/dash", "/bin/sh"})
    void withoutPythonOrPath(String shell) throws Exception {
        assumeShell(shell);
        Path empty = Files.createTempDirectory("no-python-");
        try {
            check(run(shell, empty.toString(), Map.of()));
        } finally {
            Files.delete(empty);
        }
    }

    /** Only the exact request asks for updates; on this machine (no apt lists, or some) the answer is a count or none. */
    @Test
    void theUpdatesRequestIsOnlyAComparison() throws Exception {
        assumeShell("/bin/sh");
        StatusReport plain = check(run("/bin/sh", "/usr/bin:/bin",
                Map.of("SSH_ORIGINAL_COMMAND", "cockpit-probe updates; touch /tmp/should-not-exist")));
        assertEquals(OptionalInt.empty(), plain.updates());
        assertFalse(Files.exists(Path.of("/tmp/should-not-exist")));
        StatusReport asked = check(run("/bin/sh", "/usr/bin:/bin",
                Map.of("SSH_ORIGINAL_COMMAND", StatusCommand.REQUEST_WITH_UPDATES)));
        boolean aptLists = Files.isDirectory(Path.of("/var/lib/apt/lists")) && Files.list(Path.of("/var/lib/apt/lists"))
                .anyMatch(p -> p.getFileName().toString().endsWith("_Packages"));
        if (aptLists && Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
            assertTrue(asked.updates().isPresent(), "apt lists exist, so a count is cheap: " + asked);
        } else {
            assertEquals(OptionalInt.empty(), asked.updates(), "no package lists: no count");
        }
    }

    private static void assumeShell(String shell) {
        Assumptions.assumeTrue(Files.isExecutable(Path.of(shell)), shell + " is not installed");
    }

    private static StatusReport check(byte[] output) throws Exception {
        StatusReport r = StatusParser.parse(output, OptionalInt.of(0));
        String osRelease = Files.readString(Path.of("/etc/os-release"));
        String pretty = osRelease.lines().filter(l -> l.startsWith("PRETTY_NAME=")).findFirst().orElseThrow()
                .substring("PRETTY_NAME=".length()).replace("\"", "");
        assertEquals(Optional.of(pretty), r.os());
        assertEquals(Optional.of(Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip()), r.kernel());
        long uptime = (long) Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
        assertTrue(Math.abs(uptime - r.uptimeSeconds().orElseThrow()) < 60, r.toString());
        assertEquals(memTotal(), r.memory().orElseThrow().totalBytes());
        assertTrue(r.load().isPresent());
        boolean systemd = Files.isDirectory(Path.of("/run/systemd/system"));
        assertEquals(systemd, r.failedUnits().isPresent(), r.toString());
        return r;
    }

    private static long memTotal() throws IOException {
        String line = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                .findFirst().orElseThrow();
        return Long.parseLong(line.split("\\s+")[1]) * 1024;
    }

    private static byte[] run(String shell, String path, Map<String, String> env) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(shell, "-c", StatusCommand.text()));
        ProcessBuilder b = new ProcessBuilder(cmd);
        b.environment().clear();
        b.environment().put("PATH", path);
        b.environment().putAll(env);
        b.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = b.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        return out;
    }
}
