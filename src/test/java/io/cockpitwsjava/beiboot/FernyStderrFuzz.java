package io.cockpitwsjava.beiboot;

import static io.cockpitwsjava.fuzz.FuzzFinding.checkEqual;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.cockpitwsjava.fuzz.FuzzInput;

/**
 * Fuzz harness for {@link FernyStderrParser}: input = text tail size (1 byte, 1..256), split seed (4 bytes), whether
 * to end with {@code stopCommands()} rather than {@code finish()} (1 byte), stderr bytes. Documented behaviour: never
 * throws. Properties: fed whole or split anywhere, it reports exactly what the upstream regex
 * {@code \0ferny\0([^\n]*)\0\0\n} finds (well-formed {@code (name, args)} commands, malformed frames dropped,
 * everything after {@code ferny.end} text), all other bytes as text in order, and a text tail equal to the last
 * bytes of that text.
 */
public final class FernyStderrFuzz {

    private static final Pattern FRAME = Pattern.compile("\u0000ferny\u0000([^\n]*)\u0000\u0000\n");

    private FernyStderrFuzz() {
    }

    /** What a parser (or the model) reported. */
    private record Report(List<List<Object>> commands, byte[] text) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Report r && commands.equals(r.commands) && Arrays.equals(text, r.text);
        }

        @Override
        public int hashCode() {
            return commands.hashCode();
        }

        @Override
        public String toString() {
            return "Report[commands=" + commands + ", text=" + new String(text, StandardCharsets.ISO_8859_1)
                    .replace("\0", "\\0").replace("\n", "\\n") + "]";
        }
    }

    public static void fuzzerTestOneInput(byte[] data) {
        FuzzInput in = new FuzzInput(data);
        int tailSize = 1 + in.u8();
        Random split = new Random(in.u32());
        boolean stop = (in.u8() & 1) == 1;
        byte[] stderr = in.rest();

        Report expected = model(stderr);
        checkEqual(expected, run(stderr, new int[] {stderr.length}, tailSize, stop), "fed whole");
        int[] cuts = new int[1 + split.nextInt(Math.max(1, Math.min(stderr.length, 12)))];
        for (int i = 0; i < cuts.length - 1; i++) {
            cuts[i] = split.nextInt(stderr.length + 1);
        }
        cuts[cuts.length - 1] = stderr.length;
        Arrays.sort(cuts);
        checkEqual(expected, run(stderr, cuts, tailSize, stop), "fed in pieces " + Arrays.toString(cuts));
    }

    private static Report run(byte[] stderr, int[] cuts, int tailSize, boolean stop) {
        List<List<Object>> commands = new ArrayList<>();
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        FernyStderrParser parser = new FernyStderrParser(new FernyStderrParser.Listener() {
            @Override
            public void onCommand(String name, List<Object> args) {
                commands.add(List.of(name, args));
            }

            @Override
            public void onText(byte[] b, int off, int len) {
                text.write(b, off, len);
            }
        }, tailSize);
        int from = 0;
        for (int cut : cuts) {
            parser.feed(stderr, from, cut - from);
            from = cut;
        }
        if (stop) {
            parser.stopCommands();
        } else {
            parser.finish();
        }
        byte[] all = text.toByteArray();
        checkEqual(expectedTail(all, tailSize), parser.textTail(), "text tail");
        return new Report(commands, all);
    }

    /** The last {@code size} bytes of text, without continuation bytes at the cut, as UTF-8. */
    private static String expectedTail(byte[] text, int size) {
        int n = Math.min(text.length, size);
        int from = text.length - n;
        if (text.length > n) {
            int skip = 0;
            while (skip < n && skip < 3 && (text[from + skip] & 0xC0) == 0x80) {
                skip++;
            }
            from += skip;
        }
        return new String(text, from, text.length - from, StandardCharsets.UTF_8);
    }

    /** The upstream regex over the whole input, with the parser's documented handling of what it finds. */
    private static Report model(byte[] stderr) {
        String s = new String(stderr, StandardCharsets.ISO_8859_1);
        Matcher m = FRAME.matcher(s);
        List<List<Object>> commands = new ArrayList<>();
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        int last = 0;
        while (m.find()) {
            text.write(stderr, last, m.start() - last);
            last = m.end();
            List<Object> command = command(Arrays.copyOfRange(stderr, m.start(1), m.end(1)));
            if (command != null) {
                commands.add(command);
                if (command.get(0).equals("ferny.end")) {
                    break;
                }
            }
        }
        text.write(stderr, last, stderr.length - last);
        return new Report(commands, text.toByteArray());
    }

    private static List<Object> command(byte[] payload) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(payload)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        Object parsed;
        try {
            parsed = PythonLiteral.parse(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (parsed instanceof PythonLiteral.Tuple t && t.size() == 2 && t.get(0) instanceof String name
                && t.get(1) instanceof PythonLiteral.Tuple args) {
            return List.of(name, args);
        }
        return null;
    }

    /** Prompts, bridge log text and ferny frames (good, malformed, unterminated) interleaved. */
    public static byte[] generate(Random r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String[] pieces = {"Password: ", "warning: something\n", "\u00e9t\u00e9 \u20ac\n",
                frame("('ferny.askpass', ('Password: ', {}))"), frame("('ferny.end', ())"),
                frame("('beiboot.provide', ('sha256:abc',))"), frame("('x', [1])"), frame("not python"),
                "\0ferny\0('a', ())\0\n", "\0ferny\0", "\0fer", "\0ferny\0\0\0\n", "\n"};
        int n = 1 + r.nextInt(6);
        for (int i = 0; i < n; i++) {
            out.writeBytes(pieces[r.nextInt(pieces.length)].getBytes(StandardCharsets.UTF_8));
        }
        return new FuzzInput.Builder().u8(r.nextInt(256)).u32(r.nextInt()).u8(r.nextInt(2)).bytes(out.toByteArray())
                .build();
    }

    private static String frame(String payload) {
        return "\0ferny\0" + payload + "\0\0\n";
    }

    public static final List<String> DICTIONARY = List.of("\0ferny\0", "\0\0\n", "\0", "\n", "('ferny.end', ())",
            "('n', ())", "(", ")", "'");
}
