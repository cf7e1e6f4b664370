package io.cockpitwsjava.beiboot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class Stage1BootloaderTest {

    static final List<String> FILES = List.of("/usr/sbin/kexec", "/sys/fs/selinux");

    @ParameterizedTest
    @EnumSource(RemoteBridgeMode.class)
    void hasTheShapeInteractiveModeNeeds(RemoteBridgeMode mode) {
        String text = Stage1Bootloader.generate(mode, FILES, 96260);
        assertTrue(text.endsWith(")\n\n"), "ends with exactly one empty line");
        List<String> lines = Arrays.asList(text.substring(0, text.length() - 2).split("\n", -1));
        int tryLine = lines.indexOf("try:");
        assertTrue(tryLine > 0, "imports, then try:");
        for (int i = 0; i < tryLine; i++) {
            assertTrue(lines.get(i).startsWith("import "), lines.get(i));
        }
        for (String line : lines) {
            assertFalse(line.isBlank(), "no blank line inside the statement");
            assertFalse(line.startsWith(" "), "TAB indentation only: " + line);
            assertFalse(line.endsWith(" ") || line.endsWith("\t"), "no trailing whitespace: " + line);
        }
        assertEquals(List.of("except SystemExit:", "\traise", "except BaseException:",
                "\tcommand('beiboot.exc', traceback.format_exc())", "\tsys.exit(37)"),
                lines.subList(lines.size() - 5, lines.size()));
        for (String gadget : List.of("command", "end", "try_exec", "force_exec", "check_os_release",
                "report_exists", "boot_xz")) {
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("\tdef " + gadget + "(")), "gadget " + gadget);
        }
        assertEquals(expectedSteps(mode), steps(lines));
    }

    static List<String> expectedSteps(RemoteBridgeMode mode) {
        List<String> steps = new ArrayList<>(switch (mode) {
            case AUTO -> List.of("try_exec(['cockpit-bridge'],)");
            case NEVER -> List.<String>of();
            case SUPPORTED -> List.of("try_exec(['cockpit-bridge'],)", "check_os_release([],)");
            case ALWAYS -> List.of("force_exec(['cockpit-bridge'],)");
        });
        steps.add("report_exists(['/usr/sbin/kexec', '/sys/fs/selinux'],)");
        steps.add("boot_xz('cockpit/data/cockpit-bridge.beipack.xz', 96260, ())");
        return steps;
    }

    /** The step calls: one-TAB lines that are not part of a gadget body. */
    static List<String> steps(List<String> lines) {
        List<String> steps = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("\t") && !line.startsWith("\t\t") && !line.startsWith("\tdef ")
                    && !line.startsWith("\traise") && !line.startsWith("\tcommand(") && !line.startsWith("\tsys.exit")) {
                steps.add(line.substring(1));
            }
        }
        return steps;
    }

    @Test
    void privilegedArgumentsAreATuple() {
        String text = Stage1Bootloader.generate(RemoteBridgeMode.NEVER, List.of(), 5, List.of("--privileged"));
        assertTrue(text.contains("\tboot_xz('cockpit/data/cockpit-bridge.beipack.xz', 5, ('--privileged',))\n"), text);
        assertTrue(text.contains("\treport_exists([],)\n"), text);
    }

    /**
     * Runs stage 1 in a real interpreter: awkward file names survive the round trip, nothing reaches stdout, and a
     * broken payload ends in {@code beiboot.exc} with exit status 37.
     */
    @Test
    void runsInRealPythonAndReportsExceptions(@TempDir Path tmp) throws Exception {
        Path python = Path.of("/usr/bin/python3");
        assumeTrue(Files.isExecutable(python), "needs /usr/bin/python3");
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("python3"), python);
        Path existing = Files.writeString(tmp.resolve("it's \"here\" \\ \u00e9\u263a\ttab"), "x");
        List<String> files = List.of(existing.toString(), tmp.resolve("missing\nnewline").toString(), "/");
        byte[] broken = Arrays.copyOf(BeipackPayload.XZ_MAGIC, 100);
        BootSequence sequence = new BootSequence(RemoteBridgeMode.AUTO, BeipackPayload.of(broken, "test"), files,
                OsSupportPolicy.defaults(Map.of()));
        try (LocalBridge bridge = new LocalBridge(List.of("/bin/sh", "-c", Stage1Bootloader.REMOTE_COMMAND),
                LocalBridge.env(bin, tmp), sequence)) {
            assertNull(bridge.nextFrame(), "stage 1 must not write to stdout");
            int status = bridge.waitForExit();
            assertEquals(List.of("cockpit.report-exists", "beiboot.provide", "beiboot.exc"), bridge.commands());
            Map<String, Boolean> expected = new LinkedHashMap<>();
            expected.put(files.get(0), true);
            expected.put(files.get(1), false);
            expected.put("/", true);
            assertEquals(expected, sequence.existingFiles());
            BootFailure failure = bridge.abort();
            assertNotNull(failure);
            assertEquals("internal-error", failure.problem().wireName());
            assertTrue(failure.message().startsWith("Remote exception: Traceback"), failure.message());
            assertTrue(failure.message().contains("LZMAError"), failure.message());
            // the abort killed the process, or it exited with 37 on its own first
            assertTrue(status == Stage1Bootloader.EXCEPTION_EXIT_STATUS || status == 143, "status " + status);
            assertEquals(failure, sequence.onExitBeforeInit(status, null, bridge.stderrTail()));
        }
    }
}
