package io.cockpitwsjava.beiboot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PythonLiteralTest {

    static Stream<Arguments> literals() {
        Map<Object, Object> dict = new LinkedHashMap<>();
        dict.put("/usr/bin/python3", true);
        dict.put("/nonexistent", false);
        return Stream.of(
                Arguments.of("'abc'", "abc"),
                Arguments.of("\"it's\"", "it's"),
                Arguments.of("'\\\\ \\' \\\" \\n \\r \\t \\a \\b \\f \\v \\0'", "\\ ' \" \n \r \t \u0007 \b \f \u000b \0"),
                Arguments.of("'\\x00\\x7f\\xe9'", "\u0000\u007f\u00e9"),
                Arguments.of("'\\u263a\\U0001f600'", "\u263a\uD83D\uDE00"),
                Arguments.of("'\\101\\1011\\7'", "AA1\u0007"),
                Arguments.of("'\\q'", "\\q"),
                Arguments.of("'raw \u00e9 \u263a'", "raw \u00e9 \u263a"),
                Arguments.of("'\\udc80'", "\udc80"),
                Arguments.of("'''tri'ple'''", "tri'ple"),
                Arguments.of("0", 0L),
                Arguments.of("-42", -42L),
                Arguments.of("96260", 96260L),
                Arguments.of("123456789012345678901234567890", new BigInteger("123456789012345678901234567890")),
                Arguments.of("True", true),
                Arguments.of("False", false),
                Arguments.of("None", null),
                Arguments.of("()", new PythonLiteral.Tuple()),
                Arguments.of("(1,)", new PythonLiteral.Tuple(1L)),
                Arguments.of("(1)", 1L),
                Arguments.of("( 1 , 'a' , )", new PythonLiteral.Tuple(1L, "a")),
                Arguments.of("[]", List.of()),
                Arguments.of("[1, [2, (3,)],]", List.of(1L, List.of(2L, new PythonLiteral.Tuple(3L)))),
                Arguments.of("{}", Map.of()),
                Arguments.of("{'/usr/bin/python3': True, '/nonexistent': False}", dict),
                Arguments.of("('beiboot.provide', (96260,))", new PythonLiteral.Tuple("beiboot.provide",
                        new PythonLiteral.Tuple(96260L))),
                Arguments.of("('ferny.end', ())", new PythonLiteral.Tuple("ferny.end", new PythonLiteral.Tuple())),
                Arguments.of("(\"[Errno 2] No such file or directory: 'cockpit-bridge'\",)",
                        new PythonLiteral.Tuple("[Errno 2] No such file or directory: 'cockpit-bridge'")),
                Arguments.of(" \n( None ,\tTrue )\n", new PythonLiteral.Tuple(null, true)));
    }

    @ParameterizedTest
    @MethodSource("literals")
    void parses(String text, Object expected) {
        assertEquals(expected, PythonLiteral.parse(text));
    }

    @Test
    void tuplesAndListsStayDistinguishable() {
        assertInstanceOf(PythonLiteral.Tuple.class, PythonLiteral.parse("(1, 2)"));
        assertInstanceOf(ArrayList.class, PythonLiteral.parse("[1, 2]"));
        assertInstanceOf(LinkedHashMap.class, PythonLiteral.parse("{1: 2}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "(", "(1", "(1,,)", "(,)", "[,]", "'abc", "'a\nb'", "'\\x4'", "'\\u12'",
            "'\\U00110000'", "'\\N{BULLET}'", "b'bytes'", "r'raw'", "f'x'", "1.5", "1e3", "0x10", "007", "--1",
            "true", "none", "{1}", "{1: }", "{[1]: 2}", "(1 2)", "1 2", "'a' 'b'", "{'a': 1,, }", "...",
            "__import__('os')", "(1,) x"})
    void rejectsEverythingElse(String text) {
        assertThrows(IllegalArgumentException.class, () -> PythonLiteral.parse(text));
    }

    @Test
    void rejectsDeepNesting() {
        String deep = "(".repeat(PythonLiteral.MAX_DEPTH + 2) + ")".repeat(PythonLiteral.MAX_DEPTH + 2);
        assertThrows(IllegalArgumentException.class, () -> PythonLiteral.parse(deep));
    }

    @Test
    void writesPythonLiterals() {
        assertEquals("'it\\'s \\\\ \\n \\t \\x00 \\x7f \\xe9 \\u263a \\U0001f600 /'",
                PythonLiteral.repr("it's \\ \n \t \0 \u007f \u00e9 \u263a \uD83D\uDE00 /"));
        assertEquals("['cockpit-bridge']", PythonLiteral.repr(List.of("cockpit-bridge")));
        assertEquals("(['cockpit-bridge'],)", PythonLiteral.reprTuple(List.of(List.of("cockpit-bridge"))));
        assertEquals("()", PythonLiteral.reprTuple(List.of()));
        assertEquals("('a', 1, None, True, ())", PythonLiteral.repr(new Object[] {"a", 1, null, true, new Object[0]}));
        assertEquals("{'k': False}", PythonLiteral.repr(Map.of("k", false)));
        assertThrows(IllegalArgumentException.class, () -> PythonLiteral.repr(1.5));
    }

    @Test
    void randomStringsRoundTripThroughJava() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        for (int i = 0; i < 2000; i++) {
            String s = randomString(random);
            assertEquals(s, PythonLiteral.parse(PythonLiteral.repr(s)), "seed " + seed);
        }
    }

    /** Our repr must mean the same string to Python, and Python's repr must parse back to it. */
    @Test
    void randomStringsRoundTripThroughRealPython() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        assumeTrue(Files.isExecutable(python), "needs /usr/bin/python3");
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        List<String> samples = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            samples.add(randomString(random));
        }
        ProcessBuilder builder = new ProcessBuilder(python.toString(), "-c",
                "import ast, sys\n"
                + "for line in sys.stdin:\n"
                + "    sys.stdout.write(repr((ast.literal_eval(line),)) + '\\n')\n");
        builder.environment().put("PYTHONIOENCODING", "utf-8");
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process process = builder.start();
        try (OutputStream in = process.getOutputStream()) {
            for (String s : samples) {
                in.write((PythonLiteral.repr(s) + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        List<Object> back = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                back.add(((List<?>) PythonLiteral.parse(line)).get(0));
            }
        }
        assertEquals(0, process.waitFor());
        assertEquals(samples, back, "seed " + seed);
    }

    static String randomString(Random random) {
        int[] pool = {'\'', '"', '\\', '\n', '\r', '\t', 0, 7, 0x1b, 0x7f, 0x85, 0xa0, 0xe9, 0x263a, 0xd800, 0xdc80,
                0xfeff, 0x1f600, 'a', ' ', '/', '{', '(', ','};
        StringBuilder sb = new StringBuilder();
        int length = random.nextInt(12);
        for (int i = 0; i < length; i++) {
            int cp = random.nextInt(3) == 0 ? random.nextInt(0x3000) : pool[random.nextInt(pool.length)];
            sb.appendCodePoint(cp);
        }
        return sb.toString();
    }

}
