package io.cockpitwsjava.beiboot;

import static io.cockpitwsjava.fuzz.FuzzFinding.check;
import static io.cockpitwsjava.fuzz.FuzzFinding.checkEqual;

import java.util.List;
import java.util.Random;

import io.cockpitwsjava.fuzz.FuzzInput;

/**
 * Fuzz harness for {@link PythonLiteral#parse} (what ferny commands on the target's stderr are read with): input =
 * text mode byte + the literal. Documented error: {@link IllegalArgumentException}. Properties: the repr of an
 * accepted value is pure ASCII and parses back to a value with the same repr and equal contents.
 */
public final class PythonLiteralFuzz {

    private PythonLiteralFuzz() {
    }

    public static void fuzzerTestOneInput(byte[] data) {
        String text = new FuzzInput(data).restText();
        Object value;
        try {
            value = PythonLiteral.parse(text);
        } catch (IllegalArgumentException e) {
            return;
        }
        String repr = PythonLiteral.repr(value);
        check(repr.chars().allMatch(c -> c >= 0x20 && c < 0x7f), "repr is not printable ASCII: " + repr);
        Object again;
        try {
            again = PythonLiteral.parse(repr);
        } catch (IllegalArgumentException e) {
            throw new io.cockpitwsjava.fuzz.FuzzFinding("repr does not parse: " + e.getMessage());
        }
        checkEqual(repr, PythonLiteral.repr(again), "repr after a round trip");
        checkEqual(value, again, "value after a round trip");
    }

    private static final String[] ATOMS = {"None", "True", "False", "0", "-1", "- 5", "1_000", "123456789012345678901234",
            "'s'", "\"d\"", "'''t\n'''", "'\\x41\\u00e9\\U0001F600\\n\\0\\q'", "''", "'\\ud800'", "007", "1.5", "b'x'"};

    public static byte[] generate(Random r) {
        return new FuzzInput.Builder().text(value(r, 0)).build();
    }

    static String value(Random r, int depth) {
        if (depth > 3 || r.nextInt(3) == 0) {
            return ATOMS[r.nextInt(ATOMS.length)];
        }
        int n = r.nextInt(4);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                b.append(r.nextBoolean() ? ", " : ",");
            }
            b.append(value(r, depth + 1));
            if (r.nextInt(4) == 0) {
                b.append(": ").append(value(r, depth + 1));
            }
        }
        return switch (r.nextInt(4)) {
            case 0 -> "(" + b + (n == 1 ? "," : "") + ")";
            case 1 -> "[" + b + "]";
            case 2 -> "{" + b + "}";
            default -> "(" + b + ")";
        };
    }

    public static final List<String> DICTIONARY = List.of("(", ")", "[", "]", "{", "}", ",", ":", "'", "\"", "'''",
            "\\", "\\x", "\\u", "\\U", "None", "True", "_", "-");
}
