package io.cockpitwsjava.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The status output reader: what a VM prints is untrusted, so every bound and every refusal is checked here. */
class StatusParserTest {

    static final String FULL = """
            cockpit-probe 1
            os CentOS Stream 9
            kernel 5.14.0-570.el9.x86_64
            uptime 12345.67
            load 0.15 0.30 1.05
            memory 3861296 2911204
            systemd yes
            failed nginx.service
            failed dnf-makecache.service
            updates 17
            end
            """;

    static StatusReport parse(String text) throws ProbeFailure {
        return StatusParser.parse(text.getBytes(StandardCharsets.UTF_8), OptionalInt.of(0));
    }

    @Test
    void readsEveryField() throws Exception {
        StatusReport r = parse(FULL);
        assertEquals(Optional.of("CentOS Stream 9"), r.os());
        assertEquals(Optional.of("5.14.0-570.el9.x86_64"), r.kernel());
        assertEquals(OptionalLong.of(12345), r.uptimeSeconds());
        assertEquals(Optional.of(new StatusReport.Load(0.15, 0.30, 1.05)), r.load());
        assertEquals(Optional.of(new StatusReport.Memory(3861296L * 1024, 2911204L * 1024)), r.memory());
        assertEquals(Optional.of(List.of("nginx.service", "dnf-makecache.service")), r.failedUnits());
        assertEquals(OptionalInt.of(17), r.updates());
    }

    @Test
    void withoutSystemdFailedUnitsAreUnknownNotNone() throws Exception {
        StatusReport r = parse("cockpit-probe 1\nos Alpine Linux v3.20\nend\n");
        assertEquals(Optional.empty(), r.failedUnits());
        StatusReport none = parse("cockpit-probe 1\nsystemd yes\nend\n");
        assertEquals(Optional.of(List.of()), none.failedUnits());
        assertEquals(OptionalInt.empty(), r.updates());
        assertEquals(OptionalLong.empty(), r.uptimeSeconds());
    }

    @Test
    void unknownKeysAreSkippedForLaterScripts() throws Exception {
        assertEquals(Optional.of("X"), parse("cockpit-probe 1\nsomething new\nos X\nend\n").os());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            nothing at all                     | ''
            no header                          | 'os X\\nend\\n'
            another version                    | 'cockpit-probe 2\\nend\\n'
            cut short (no end)                 | 'cockpit-probe 1\\nos X\\n'
            ends mid-line                      | 'cockpit-probe 1\\nend'
            lines after end                    | 'cockpit-probe 1\\nend\\nos X\\n'
            key twice                          | 'cockpit-probe 1\\nos X\\nos Y\\nend\\n'
            uptime not a number                | 'cockpit-probe 1\\nuptime 12e5\\nend\\n'
            uptime negative                    | 'cockpit-probe 1\\nuptime -1\\nend\\n'
            uptime absurd                      | 'cockpit-probe 1\\nuptime 99999999999999\\nend\\n'
            load two numbers                   | 'cockpit-probe 1\\nload 1 2\\nend\\n'
            load NaN                           | 'cockpit-probe 1\\nload NaN 1 1\\nend\\n'
            memory overflow                    | 'cockpit-probe 1\\nmemory 99999999999999999 1\\nend\\n'
            updates negative                   | 'cockpit-probe 1\\nupdates -3\\nend\\n'
            failed without systemd             | 'cockpit-probe 1\\nfailed x.service\\nend\\n'
            systemd other value                | 'cockpit-probe 1\\nsystemd no\\nend\\n'
            """)
    void refuses(String why, String text) {
        ProbeFailure f = assertThrows(ProbeFailure.class, () -> parse(text.replace("\\n", "\n")), why);
        assertEquals(ProbeProblem.BAD_OUTPUT, f.problem());
    }

    @Test
    void aFailingCommandIsBadOutputWhateverItPrinted() {
        ProbeFailure f = assertThrows(ProbeFailure.class,
                () -> StatusParser.parse(FULL.getBytes(StandardCharsets.UTF_8), OptionalInt.of(1)));
        assertTrue(f.getMessage().contains("exited with 1"), f.getMessage());
    }

    @Test
    void aLongLineIsRefusedAndNotQuoted() {
        String longLine = "os " + "A".repeat(StatusParser.MAX_LINE);
        ProbeFailure f = assertThrows(ProbeFailure.class, () -> parse("cockpit-probe 1\n" + longLine + "\nend\n"));
        assertTrue(f.getMessage().length() < 200, f.getMessage());
    }

    @Test
    void textLosesControlAndFormatCharactersAndIsCut() throws Exception {
        // terminal escape, bidi override, line separator, NUL: a hostile PRETTY_NAME must not reach a page or log raw
        String hostile = "Evil\u001b[31m\u202eOS\u2028x\u0000y";
        StatusReport r = parse("cockpit-probe 1\nos " + hostile + "\nend\n");
        assertEquals("Evil\uFFFD[31m\uFFFDOS\uFFFDx\uFFFDy", r.os().orElseThrow());
        StatusReport cut = parse("cockpit-probe 1\nos " + "é".repeat(600) + "\nend\n");
        assertEquals(StatusParser.MAX_TEXT, cut.os().orElseThrow().length());
    }

    @Test
    void invalidUtf8BecomesReplacementCharacters() throws Exception {
        byte[] latin1 = "cockpit-probe 1\nos Caf\u00e9\nend\n".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("Caf\uFFFD", StatusParser.parse(latin1, OptionalInt.empty()).os().orElseThrow());
    }

    @Test
    void failedUnitsAreCapped() throws Exception {
        StringBuilder b = new StringBuilder("cockpit-probe 1\nsystemd yes\n");
        for (int i = 0; i < 500; i++) {
            b.append("failed unit-").append(i).append(".service\n");
        }
        b.append("end\n");
        List<String> units = parse(b.toString()).failedUnits().orElseThrow();
        assertEquals(StatusParser.MAX_UNITS, units.size());
        assertEquals("unit-0.service", units.get(0));
    }

    @Test
    void emptyTextIsUnknown() throws Exception {
        assertEquals(Optional.empty(), parse("cockpit-probe 1\nos \nkernel\nend\n").os());
    }
}
