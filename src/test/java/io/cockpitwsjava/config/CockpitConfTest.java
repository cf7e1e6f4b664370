package io.cockpitwsjava.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** cockpit.conf parsing and merging (docs/protocol.md §9.1). */
class CockpitConfTest {

    @Test
    void sectionsAndKeysAreCaseInsensitive() {
        CockpitConf conf = CockpitConf.parse("[webservice]\nLOGINTITLE = Hello\n[Ssh-Login]\nhost=10.0.0.1\n");
        assertEquals(Optional.of("Hello"), conf.get("WebService", "LoginTitle"));
        assertEquals(Optional.of("Hello"), conf.get("WEBSERVICE", "logintitle"));
        assertEquals(Optional.of("10.0.0.1"), conf.get("ssh-login", "HOST"));
    }

    @Test
    void sameSectionTwiceMergesAndLaterLinesWin() {
        CockpitConf conf = CockpitConf.parse("""
                [WebService]
                LoginTitle = first
                Origins = a
                [Session]
                Banner = /x
                [webservice]
                logintitle = second
                """);
        assertEquals(Optional.of("second"), conf.get("WebService", "LoginTitle"));
        assertEquals(Optional.of("a"), conf.get("WebService", "Origins"));
        assertEquals(Optional.of("/x"), conf.get("Session", "Banner"));
    }

    @Test
    void commentsBlankLinesAndWhitespace() {
        CockpitConf conf = CockpitConf.parse("""
                # leading comment

                   # indented comment
                  [WebService]  \r
                LoginTitle   =    spaced value  \r
                Empty =
                """);
        assertEquals(Optional.of("spaced value"), conf.get("WebService", "LoginTitle"));
        assertEquals(Optional.of(""), conf.get("WebService", "Empty"));
        assertEquals(Optional.empty(), conf.get("WebService", "Missing"));
        assertEquals(Optional.empty(), conf.get("Nope", "LoginTitle"));
    }

    @Test
    void valueIsTheRestOfTheLine() {
        CockpitConf conf = CockpitConf.parse("[WebService]\nOrigins = https://a:9090 https://b # not a comment\n");
        assertEquals(Optional.of("https://a:9090 https://b # not a comment"), conf.get("WebService", "Origins"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "garbage line",
            "key with space = x",
            "key_underscore = x",
            "[unterminated",
            "= no key",
    })
    void malformedLineInvalidatesTheWholeFile(String bad) {
        CockpitConf conf = CockpitConf.parse("[WebService]\nLoginTitle = ok\n" + bad + "\nAllowUnencrypted = yes\n");
        assertEquals(Optional.empty(), conf.get("WebService", "LoginTitle"), bad);
        assertEquals(Optional.empty(), conf.get("WebService", "AllowUnencrypted"), bad);
    }

    @Test
    void keyBeforeAnySectionInvalidatesTheFile() {
        CockpitConf conf = CockpitConf.parse("LoginTitle = orphan\n[WebService]\nShell = /x.html\n");
        assertEquals(Optional.empty(), conf.get("WebService", "Shell"));
        assertEquals(Optional.empty(), conf.get("WebService", "LoginTitle"));
    }

    @ParameterizedTest
    @CsvSource({
            "yes, true", "YES, true", "Yes, true", "true, true", "TRUE, true", "1, true",
            "no, false", "false, false", "0, false", "on, false", "2, false", "y, false", "'', false",
    })
    void booleans(String value, boolean expected) {
        CockpitConf conf = CockpitConf.parse("[WebService]\nAllowUnencrypted = " + value + "\n");
        assertEquals(Optional.of(expected), conf.bool("WebService", "AllowUnencrypted"));
    }

    @Test
    void missingBooleanIsEmpty() {
        assertEquals(Optional.empty(), CockpitConf.empty().bool("WebService", "AllowUnencrypted"));
    }

    @ParameterizedTest
    @CsvSource(nullValues = "NONE", value = {
            "30, 30", "1, 1", "900, 900", "+45, 45",
            "0, 1", "901, 900", "100000, 900", "9223372036854775807, 900",
            "-5, 1",                          // upstream strtoll + clamp: negative → min
            "abc, NONE", "12abc, NONE", "1.5, NONE", "'', NONE", "99999999999999999999, NONE",
    })
    void unsignedIsClampedAndGarbageGivesDefault(String value, Integer expected) {
        CockpitConf conf = CockpitConf.parse("[Ssh-Login]\ntimeout = " + value + "\n");
        assertEquals(Optional.ofNullable(expected), conf.unsigned("Ssh-Login", "timeout", 1, 900), value);
    }

    @Test
    void laterFilesWinAndMissingOrInvalidFilesAreSkipped(@TempDir Path dir) throws IOException {
        Path first = write(dir.resolve("a.conf"), "[WebService]\nLoginTitle = A\nShell = /a.html\n");
        Path invalid = write(dir.resolve("b.conf"), "[WebService]\nLoginTitle = B\nthis is not valid\n");
        Path second = write(dir.resolve("c.conf"), "[webservice]\nlogintitle = C\n");
        Path missing = dir.resolve("missing.conf");
        CockpitConf conf = CockpitConf.load(List.of(first, missing, invalid, second, dir));
        assertEquals(Optional.of("C"), conf.get("WebService", "LoginTitle"));
        assertEquals(Optional.of("/a.html"), conf.get("WebService", "Shell"));

        CockpitConf withoutLast = CockpitConf.load(List.of(first, invalid, missing));
        assertEquals(Optional.of("A"), withoutLast.get("WebService", "LoginTitle"));
    }

    @Test
    void noFilesGivesEmpty() {
        CockpitConf conf = CockpitConf.load(List.of(Path.of("/nonexistent/cockpit.conf")));
        assertTrue(conf.get("WebService", "LoginTitle").isEmpty());
    }

    @Test
    void defaultFilesFollowXdgConfigDirs() {
        assertEquals(List.of(Path.of("/etc/cockpit/cockpit.conf")), CockpitConf.defaultFiles(Map.of()));
        assertEquals(List.of(Path.of("/etc/cockpit/cockpit.conf"), Path.of("/x/cockpit/cockpit.conf"),
                Path.of("/y/cockpit/cockpit.conf")),
                CockpitConf.defaultFiles(Map.of("XDG_CONFIG_DIRS", "/x::/y")));
    }

    private static Path write(Path file, String text) throws IOException {
        Files.writeString(file, text);
        return file;
    }
}
