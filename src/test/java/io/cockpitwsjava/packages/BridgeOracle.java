package io.cockpitwsjava.packages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Runs the installed Cockpit Python bridge's package code on the same directories, as a reference. */
final class BridgeOracle {

    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final Path BRIDGE_PACKAGES = Path.of("/usr/lib/python3/dist-packages/cockpit/packages.py");
    private static final ObjectMapper JSON = new ObjectMapper();

    record Case(String path, String lang) {
    }

    private BridgeOracle() {
    }

    static void assumeAvailable() {
        Assumptions.assumeTrue(Files.isExecutable(PYTHON) && Files.exists(BRIDGE_PACKAGES),
                "needs /usr/bin/python3 and the installed Cockpit bridge (cockpit-bridge package)");
    }

    static JsonNode run(List<Path> dataDirs, List<Path> configDirs, Path emptyHome, List<Case> cases,
                        String proto, String host) throws IOException, InterruptedException {
        assumeAvailable();
        Path script = emptyHome.resolve("bridge_oracle.py");
        try (InputStream in = BridgeOracle.class.getResourceAsStream("bridge_oracle.py")) {
            Files.write(script, in.readAllBytes());
        }
        ObjectNode request = JSON.createObjectNode();
        ArrayNode list = request.putArray("cases");
        for (Case c : cases) {
            list.addObject().put("path", c.path()).put("lang", c.lang());
        }
        request.put("proto", proto).put("host", host);
        return runScript(script, request, Map.of(
                "HOME", emptyHome.toString(),
                "XDG_DATA_HOME", emptyHome.resolve("nodata").toString(),
                "XDG_CONFIG_HOME", emptyHome.resolve("noconfig").toString(),
                "XDG_DATA_DIRS", join(dataDirs),
                "XDG_CONFIG_DIRS", join(configDirs)));
    }

    /** Runs a Python script with a JSON request on stdin and parses its JSON stdout. */
    static JsonNode runScript(Path script, JsonNode request, Map<String, String> env)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(PYTHON.toString(), script.toString());
        pb.environment().putAll(env);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        p.getOutputStream().write(JSON.writeValueAsBytes(request));
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("oracle failed: " + new String(out, StandardCharsets.UTF_8));
        }
        return JSON.readTree(out);
    }

    private static String join(List<Path> dirs) {
        return dirs.stream().map(Path::toString).collect(Collectors.joining(":"));
    }
}
