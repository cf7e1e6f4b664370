package io.cockpitwsjava.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A one-line description of the machine and the versions involved, for the report. */
final class Machine {
    private Machine() {
    }

    static String describe() {
        String cpu = "?";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        } catch (IOException e) {
            // keep "?"
        }
        long memKib = 0;
        try {
            memKib = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                    .findFirst().map(l -> Long.parseLong(l.replaceAll("\\D", ""))).orElse(0L);
        } catch (IOException e) {
            // keep 0
        }
        return Runtime.getRuntime().availableProcessors() + " CPUs (" + cpu + "), " + (memKib / 1024 / 1024) + " GiB RAM, "
                + run(List.of("uname", "-sr")).trim() + ", " + osName();
    }

    private static String osName() {
        try {
            return Files.readAllLines(Path.of("/etc/os-release")).stream().filter(l -> l.startsWith("PRETTY_NAME="))
                    .findFirst().map(l -> l.substring(12).replace("\"", "")).orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    static String javaVersion(Path javaHome) {
        String out = run(List.of(javaHome.resolve("bin/java").toString(), "-version"));
        return out.lines().skip(1).findFirst().orElse("?").trim();
    }

    static String pythonVersion() {
        return run(List.of("/usr/bin/python3", "--version")).trim();
    }

    static String cockpitWsVersion() {
        return run(List.of(GatewayProcess.COCKPIT_WS.toString(), "--version")).lines()
                .filter(l -> l.startsWith("Version")).findFirst().orElse("?").trim();
    }

    static String openSshVersion() {
        return run(List.of("ssh", "-V")).trim();
    }

    static String chromiumVersion() {
        // Debian's wrapper script may complain on stderr before the version line
        return run(List.of("/usr/bin/chromium", "--version")).lines().filter(l -> l.startsWith("Chromium"))
                .findFirst().orElse("?").trim();
    }

    static String bridgeVersion() {
        return run(List.of("cockpit-bridge", "--version")).lines().filter(l -> l.startsWith("Version"))
                .findFirst().orElse("?").trim();
    }

    private static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return out;
        } catch (IOException e) {
            return "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }
}
