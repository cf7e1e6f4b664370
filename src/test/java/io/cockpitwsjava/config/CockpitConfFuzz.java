package io.cockpitwsjava.config;

import static io.cockpitwsjava.fuzz.FuzzFinding.check;
import static io.cockpitwsjava.fuzz.FuzzFinding.checkEqual;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

import io.cockpitwsjava.fuzz.FuzzInput;

/**
 * Fuzz harness for the cockpit.conf reader ({@link CockpitConf#parse}, and {@link CockpitConf#load} on the raw bytes
 * written to a file): input = whether to go through a file (1 byte), text mode byte, file content. Documented
 * behaviour: never throws; a malformed line (or bytes that are not UTF-8) invalidates the whole file. Properties:
 * lookups of any section and key never throw; values have no trailing white space; {@code unsigned} stays in its
 * range; ASCII section and key names are case-insensitive; a file that reads must read the same from disk as from
 * text; one malformed line added makes every lookup empty.
 */
public final class CockpitConfFuzz {

    private static final Path FILE;

    static {
        try {
            FILE = Files.createTempFile("fuzz-cockpit", ".conf");
            FILE.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private CockpitConfFuzz() {
    }

    public static void fuzzerTestOneInput(byte[] data) throws IOException {
        FuzzInput in = new FuzzInput(data);
        boolean viaFile = (in.u8() & 7) == 0;
        byte[] rest = in.rest();
        int mode = rest.length > 0 ? rest[0] : 0;
        String text = FuzzInput.text(rest.length > 0 ? java.util.Arrays.copyOfRange(rest, 1, rest.length) : rest, mode);
        CockpitConf conf = CockpitConf.parse(text);

        List<String[]> lookups = lookups(text);
        for (String[] l : lookups) {
            Optional<String> v = conf.get(l[0], l[1]);
            v.ifPresent(s -> check(s.equals(s.stripTrailing()), "value with trailing white space"));
            v.ifPresent(s -> check(s.indexOf('\n') < 0, "value with a line break"));
            conf.bool(l[0], l[1]);
            conf.unsigned(l[0], l[1], 0, 10).ifPresent(n -> check(n >= 0 && n <= 10, "unsigned out of range: " + n));
            conf.unsigned(l[0], l[1], -5, Integer.MAX_VALUE)
                    .ifPresent(n -> check(n >= -5, "unsigned below its minimum: " + n));
            if (isAscii(l[0]) && isAscii(l[1])) {
                checkEqual(v, conf.get(l[0].toUpperCase(Locale.ROOT), l[1].toLowerCase(Locale.ROOT)), "case of " + l[0]);
            }
        }

        CockpitConf broken = CockpitConf.parse(text + "\n!!! not a cockpit.conf line");
        for (String[] l : lookups) {
            checkEqual(Optional.empty(), broken.get(l[0], l[1]), "after a malformed line, " + l[0] + "/" + l[1]);
        }

        if (viaFile) {
            byte[] bytes = rest.length > 0 ? java.util.Arrays.copyOfRange(rest, 1, rest.length) : rest;
            Files.write(FILE, bytes);
            CockpitConf loaded = CockpitConf.load(List.of(FILE, FILE.resolveSibling("no-such-cockpit.conf")));
            String decoded = strictUtf8(bytes);
            CockpitConf expected = decoded == null ? CockpitConf.empty() : CockpitConf.parse(decoded);
            for (String[] l : lookups(decoded == null ? "" : decoded)) {
                checkEqual(expected.get(l[0], l[1]), loaded.get(l[0], l[1]), "loaded " + l[0] + "/" + l[1]);
            }
            for (String[] l : lookups) {
                checkEqual(expected.get(l[0], l[1]), loaded.get(l[0], l[1]), "loaded " + l[0] + "/" + l[1]);
            }
        }
    }

    /** Section/key pairs named in the text (each section with each key), and the usual ones. */
    private static List<String[]> lookups(String text) {
        List<String> sections = new ArrayList<>(List.of("WebService", "Session", "Log", ""));
        List<String> keys = new ArrayList<>(List.of("Origins", "LoginTitle", "MaxStartups", "IdleTimeout", ""));
        for (String line : text.split("\n", 20)) {
            String t = line.strip();
            if (t.startsWith("[") && t.indexOf(']') > 1) {
                sections.add(t.substring(1, t.indexOf(']')).strip());
            } else if (t.indexOf('=') > 0) {
                keys.add(t.substring(0, t.indexOf('=')).strip());
            }
        }
        List<String[]> out = new ArrayList<>();
        for (String s : sections.subList(0, Math.min(sections.size(), 8))) {
            for (String k : keys.subList(0, Math.min(keys.size(), 8))) {
                out.add(new String[] {s, k});
            }
        }
        return out;
    }

    private static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c < 0x80);
    }

    private static String strictUtf8(byte[] b) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** A cockpit.conf with sections, entries, comments and the odd broken line. */
    public static byte[] generate(Random r) {
        String[] lines = {"[WebService]", "[webservice]", "[Session]", "[ Log ]", "Origins = https://a https://b",
                "LoginTitle=\u00e9t\u00e9  ", "MaxStartups = 10:30:60", "IdleTimeout = -5", "IdleTimeout = 99999999999",
                "AllowUnencrypted = yes", "# comment", "", "   ", "key with space = x", "[unclosed", "=value",
                "Banner = /etc/issue\r", "[]", "UrlRoot = /cockpit/", "X-Y_Z = 1"};
        StringBuilder b = new StringBuilder();
        int n = r.nextInt(10);
        for (int i = 0; i < n; i++) {
            b.append(lines[r.nextInt(lines.length)]).append(r.nextInt(5) == 0 ? "\r\n" : "\n");
        }
        return new FuzzInput.Builder().u8(r.nextInt(4)).text(b.toString()).build();
    }

    public static final List<String> DICTIONARY = List.of("[", "]", "=", "#", "\n", "\r\n", " ", "\t", "WebService",
            "Origins", "yes", "-", "\u00a0");
}
