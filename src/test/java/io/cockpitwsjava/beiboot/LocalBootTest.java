package io.cockpitwsjava.beiboot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Boots real bridges from a local {@code python3 -ic} process: the SSH-less harness of docs/beiboot.md §13.8.
 */
class LocalBootTest {

    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final Path SITE_PACKAGES = Path.of("/usr/lib/python3/dist-packages");
    static final List<String> REPORT_FILES = List.of("/usr/bin/python3", "/nonexistent/it's \"quoted\"\\n");
    static final ObjectMapper JSON = new ObjectMapper();
    static final OsSupportPolicy POLICY = OsSupportPolicy.defaultsForThisHost();

    @TempDir
    static Path tmp;
    static Path pythonOnly;
    static Path empty;

    @BeforeAll
    static void setUp() throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), "needs /usr/bin/python3");
        assumeTrue(Files.isRegularFile(SITE_PACKAGES.resolve("cockpit/bridge.py")), "needs the cockpit-bridge package");
        pythonOnly = Files.createDirectories(tmp.resolve("python-only"));
        Files.createSymbolicLink(pythonOnly.resolve("python3"), PYTHON);
        empty = Files.createDirectories(tmp.resolve("empty"));
    }

    static List<String> remoteCommand() {
        // the same string the SSH exec channel carries, parsed by a shell as the target's login shell would
        return List.of("/bin/sh", "-c", Stage1Bootloader.REMOTE_COMMAND);
    }

    @Test
    void beibootsPrebuiltPayload() throws Exception {
        BeipackPayload payload = BeipackPayload.load(Optional.empty());
        assertBeibootEcho(payload, RemoteBridgeMode.AUTO);
    }

    @Test
    void beibootsPayloadPackedByUs() throws Exception {
        BeipackPayload payload = BeipackPayload.pack(SITE_PACKAGES);
        assertBeibootEcho(payload, RemoteBridgeMode.AUTO);
    }

    @Test
    void supportedModeChecksThisOsAndBeiboots() throws Exception {
        // this Debian 12 host is on the upstream list (and is the gateway's own OS anyway)
        BeipackPayload payload = BeipackPayload.load(Optional.empty());
        List<String> commands = assertBeibootEcho(payload, RemoteBridgeMode.SUPPORTED);
        assertEquals(List.of("cockpit.check-os-release", "cockpit.report-exists", "beiboot.provide"), commands);
    }

    private List<String> assertBeibootEcho(BeipackPayload payload, RemoteBridgeMode mode) throws Exception {
        BootSequence sequence = new BootSequence(mode, payload, REPORT_FILES, POLICY);
        try (LocalBridge bridge = new LocalBridge(remoteCommand(), LocalBridge.env(pythonOnly, tmp), sequence)) {
            JsonNode init = expectInit(bridge);
            assertTrue(init.has("os-release"), init.toString());
            synchronized (sequence) {
                assertTrue(sequence.beibootMode(), "report-exists must have arrived before init");
                assertEquals(Map.of(REPORT_FILES.get(0), true, REPORT_FILES.get(1), false), sequence.existingFiles());
            }
            assertEcho(bridge);
            assertNull(bridge.abort());
            return bridge.commands();
        }
    }

    @Test
    void installedBridgeIsExecutedInAutoMode() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/cockpit-bridge")), "needs an installed cockpit-bridge");
        BootSequence sequence = new BootSequence(RemoteBridgeMode.AUTO, BeipackPayload.load(Optional.empty()),
                REPORT_FILES, POLICY);
        try (LocalBridge bridge = new LocalBridge(remoteCommand(),
                Map.of("PATH", "/usr/bin:/bin", "HOME", tmp.toString(), "LANG", "C.UTF-8"), sequence)) {
            expectInit(bridge);
            synchronized (sequence) {
                assertFalse(sequence.beibootMode());
                assertEquals(Map.of(), sequence.existingFiles());
            }
            assertEquals(List.of(), bridge.commands());
            assertEcho(bridge);
        }
    }

    @Test
    void alwaysModeWithoutInstalledBridgeFailsNoCockpit() throws Exception {
        BootSequence sequence = new BootSequence(RemoteBridgeMode.ALWAYS, BeipackPayload.load(Optional.empty()),
                REPORT_FILES, POLICY);
        try (LocalBridge bridge = new LocalBridge(remoteCommand(), LocalBridge.env(pythonOnly, tmp), sequence)) {
            assertNull(bridge.nextFrame(), "no frame may reach stdout");
            bridge.waitForExit();
            BootFailure failure = bridge.abort();
            assertNotNull(failure, "stderr: " + bridge.stderrTail());
            assertEquals("no-cockpit", failure.problem().wireName());
            // execvp's OSError text, e.g. "[Errno 2] No such file or directory"
            assertTrue(failure.message().contains("No such file"), failure.message());
            assertEquals("cockpit.fail-no-cockpit", bridge.commands().get(0));
            assertEquals(0, bridge.payloadsSent(), "no payload after an abort");
        }
    }

    @Test
    void supportedModeRefusesUnknownOs() throws Exception {
        OsSupportPolicy strict = new OsSupportPolicy(List.of(), Map.of("ID", "plan9", "VERSION_ID", "4"));
        BootSequence sequence = new BootSequence(RemoteBridgeMode.SUPPORTED, BeipackPayload.load(Optional.empty()),
                REPORT_FILES, strict);
        try (LocalBridge bridge = new LocalBridge(remoteCommand(), LocalBridge.env(pythonOnly, tmp), sequence)) {
            assertNull(bridge.nextFrame());
            bridge.waitForExit();
            BootFailure failure = bridge.abort();
            assertNotNull(failure, "stderr: " + bridge.stderrTail());
            assertEquals("no-cockpit", failure.problem().wireName());
            Map<String, String> here = OsSupportPolicy.readOsRelease(Path.of("/etc/os-release"));
            assertEquals(here.getOrDefault("NAME", here.get("ID")) + " " + here.getOrDefault("VERSION_ID", ""),
                    failure.extraFields().get("unsupported"));
        }
    }

    @Test
    void missingPython3IsNoCockpit() throws Exception {
        BootSequence sequence = new BootSequence(RemoteBridgeMode.AUTO, BeipackPayload.load(Optional.empty()),
                REPORT_FILES, POLICY);
        try (LocalBridge bridge = new LocalBridge(remoteCommand(), LocalBridge.env(empty, tmp), sequence)) {
            assertNull(bridge.nextFrame());
            int status = bridge.waitForExit();
            assertEquals(127, status, bridge.stderrTail());
            BootFailure failure = sequence.onExitBeforeInit(status, null, bridge.stderrTail());
            assertEquals("no-cockpit", failure.problem().wireName());
            assertEquals("python3 is not available on the target", failure.message());
        }
    }

    private static JsonNode expectInit(LocalBridge bridge) throws Exception {
        LocalBridge.Frame first = bridge.nextFrame();
        assertNotNull(first, "bridge exited before init; commands " + bridge.commands() + "; stderr: "
                + bridge.stderrTail());
        assertEquals("", first.channel(), "first frame must be a control message");
        JsonNode init = JSON.readTree(first.payload());
        assertEquals("init", init.path("command").asText(), first.payload());
        assertEquals(1, init.path("version").asInt());
        bridge.initReceived();
        bridge.control("{\"command\":\"init\",\"version\":1,\"host\":\"localhost\",\"superuser\":false}");
        return init;
    }

    private static void assertEcho(LocalBridge bridge) throws Exception {
        bridge.control("{\"command\":\"open\",\"channel\":\"1:1\",\"payload\":\"echo\"}");
        String data = "hello \u00e9\u263a\nworld";
        bridge.send("1:1", data);
        boolean ready = false;
        boolean echoed = false;
        while (!(ready && echoed)) {
            LocalBridge.Frame frame = bridge.nextFrame();
            assertNotNull(frame, "bridge exited; stderr: " + bridge.stderrTail());
            if (frame.channel().isEmpty()) {
                JsonNode control = JSON.readTree(frame.payload());
                String command = control.path("command").asText();
                assertFalse(command.equals("close"), "channel closed: " + frame.payload());
                if (command.equals("ready")) {
                    assertEquals("1:1", control.path("channel").asText());
                    ready = true;
                }
            } else {
                assertEquals("1:1", frame.channel());
                assertTrue(ready, "data before ready");
                assertEquals(data, frame.payload());
                echoed = true;
            }
        }
    }
}
