package io.cockpitwsjava.beiboot;

import io.cockpitwsjava.protocol.Problem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BootSequenceTest {

    static final BeipackPayload PAYLOAD = BeipackPayload.of(Arrays.copyOf(BeipackPayload.XZ_MAGIC, 1000), "test");

    static BootSequence sequence(RemoteBridgeMode mode) {
        return new BootSequence(mode, PAYLOAD, List.of("/a", "/b"),
                OsSupportPolicy.defaults(Map.of("ID", "plan9", "VERSION_ID", "4")));
    }

    static List<Object> args(Object... values) {
        return new PythonLiteral.Tuple(values);
    }

    @Test
    void commandAndStage1() {
        BootSequence seq = sequence(RemoteBridgeMode.SUPPORTED);
        assertEquals("python3 -ic '# cockpit-bridge'", seq.remoteCommand());
        String stage1 = new String(seq.stage1(), StandardCharsets.UTF_8);
        assertEquals(Stage1Bootloader.generate(RemoteBridgeMode.SUPPORTED, List.of("/a", "/b"), 1000), stage1);
    }

    @Test
    void providesThePayloadOnceForTheRightSize() {
        BootSequence seq = sequence(RemoteBridgeMode.AUTO);
        BootSequence.Decision d = seq.onCommand("beiboot.provide", args(1000L));
        assertArrayEquals(PAYLOAD.bytes(), assertInstanceOf(BootSequence.Decision.SendPayload.class, d).bytes());
        BootSequence.Decision again = seq.onCommand("beiboot.provide", args(1000L));
        assertEquals("internal-error",
                assertInstanceOf(BootSequence.Decision.Abort.class, again).failure().problem().wireName());
    }

    @ParameterizedTest
    @CsvSource({"999", "1001", "-1"})
    void sizeMismatchIsInternalError(long size) {
        BootSequence.Decision d = sequence(RemoteBridgeMode.AUTO).onCommand("beiboot.provide", args(size));
        assertEquals("internal-error", assertInstanceOf(BootSequence.Decision.Abort.class, d).failure().problem().wireName());
    }

    @Test
    void malformedProvideIsInternalError() {
        BootSequence.Decision d = sequence(RemoteBridgeMode.AUTO).onCommand("beiboot.provide", args("1000"));
        assertEquals("internal-error", assertInstanceOf(BootSequence.Decision.Abort.class, d).failure().problem().wireName());
    }

    @Test
    void remoteExceptionAbortsAndLaterCommandsAreIgnored() {
        BootSequence seq = sequence(RemoteBridgeMode.AUTO);
        BootSequence.Decision d = seq.onCommand("beiboot.exc", args("Traceback: boom"));
        BootFailure failure = assertInstanceOf(BootSequence.Decision.Abort.class, d).failure();
        assertEquals(BootFailure.of(Problem.INTERNAL_ERROR, "Remote exception: Traceback: boom"), failure);
        assertInstanceOf(BootSequence.Decision.Continue.class, seq.onCommand("beiboot.provide", args(1000L)));
        assertEquals(failure, seq.onExitBeforeInit(37, null, ""));
        assertEquals(failure, seq.failure().orElseThrow());
    }

    @Test
    void failNoCockpit() {
        BootSequence.Decision d = sequence(RemoteBridgeMode.ALWAYS).onCommand("cockpit.fail-no-cockpit",
                args("[Errno 2] No such file or directory"));
        assertEquals(BootFailure.of(Problem.NO_COCKPIT, "[Errno 2] No such file or directory"),
                assertInstanceOf(BootSequence.Decision.Abort.class, d).failure());
    }

    @Test
    void osReleaseCheck() {
        BootSequence seq = sequence(RemoteBridgeMode.SUPPORTED);
        assertInstanceOf(BootSequence.Decision.Continue.class,
                seq.onCommand("cockpit.check-os-release", args("ID=fedora\nVERSION_ID=42\n")));
        BootSequence.Decision d = sequence(RemoteBridgeMode.SUPPORTED).onCommand("cockpit.check-os-release",
                args("NAME=\"Fedora Linux\"\nID=fedora\nVERSION_ID=30\n"));
        BootFailure failure = assertInstanceOf(BootSequence.Decision.Abort.class, d).failure();
        assertEquals(new BootFailure(Problem.NO_COCKPIT, null, Map.of("unsupported", "Fedora Linux 30")), failure);
    }

    @Test
    void reportExistsMarksBeibootMode() {
        BootSequence seq = sequence(RemoteBridgeMode.AUTO);
        assertFalse(seq.beibootMode());
        assertEquals(Map.of(), seq.existingFiles());
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put("/a", true);
        map.put("/b", false);
        assertInstanceOf(BootSequence.Decision.Continue.class, seq.onCommand("cockpit.report-exists", args(map)));
        assertTrue(seq.beibootMode());
        assertEquals(Map.of("/a", true, "/b", false), seq.existingFiles());
    }

    @Test
    void unknownAndEndCommandsContinue() {
        BootSequence seq = sequence(RemoteBridgeMode.AUTO);
        assertInstanceOf(BootSequence.Decision.Continue.class, seq.onCommand("ferny.end", args()));
        assertInstanceOf(BootSequence.Decision.Continue.class, seq.onCommand("ferny.askpass", args()));
        assertInstanceOf(BootSequence.Decision.Continue.class, seq.onCommand("cockpit.report-exists", args("x")));
        assertFalse(seq.beibootMode());
    }

    @ParameterizedTest(name = "{0} {1} [{2}] -> {3}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "127 | -       | sh: 1: python3: not found                      | no-cockpit",
            "127 | -       | -                                              | no-cockpit",
            "1   | -       | bash: line 1: python3: command not found       | no-cockpit",
            "1   | -       | This account is currently not available.       | access-denied",
            "1   | -       | -                                              | access-denied",
            "1   | -       | >>> Traceback (most recent call last): boom    | terminated",
            "37  | -       | >>> >>> ... oops                               | internal-error",
            "0   | -       | >>> >>>                                        | terminated",
            "-   | KILL    | >>>                                            | terminated",
            "-   | -       | connection lost                                | terminated",
            })
    void exitBeforeInit(Integer status, String signal, String tail, String problem) {
        BootFailure failure = sequence(RemoteBridgeMode.AUTO).onExitBeforeInit(status, signal, tail);
        assertEquals(problem, failure.problem().wireName());
        if (problem.equals("no-cockpit")) {
            assertEquals("python3 is not available on the target", failure.message());
        }
        if (problem.equals("terminated")) {
            assertFalse(failure.message().isEmpty());
            assertFalse(failure.message().startsWith(">>>"), failure.message());
        }
    }

    @Test
    void messageDropsPrompts() {
        assertEquals("Traceback\n  line", BootSequence.cleanMessage(">>> >>> ... Traceback\n  line\n>>> "));
    }
}
