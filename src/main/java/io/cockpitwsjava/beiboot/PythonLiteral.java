package io.cockpitwsjava.beiboot;

import java.math.BigInteger;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the subset of Python literal syntax that crosses the stage-1 boundary (docs/beiboot.md §3.1, §4.2).
 *
 * <p>Parsing maps tuples to {@link Tuple}, lists to {@link ArrayList} (both are {@code List<Object>}), dicts to
 * {@link LinkedHashMap}, str to {@link String}, int to {@link Long} (or {@link BigInteger} when it does not fit),
 * {@code True}/{@code False} to {@link Boolean} and {@code None} to {@code null}. Writing produces Python source
 * (not JSON: {@code \/} would be an invalid escape there) that is pure ASCII.
 */
public final class PythonLiteral {

    /** Deepest nesting accepted; the payloads we expect are two or three levels deep. */
    static final int MAX_DEPTH = 64;

    /** A parsed Python tuple: an immutable list that remembers it was a tuple, not a list. */
    public static final class Tuple extends AbstractList<Object> {
        private final Object[] items;

        public Tuple(Object... items) {
            this.items = items.clone();
        }

        public Tuple(List<?> items) {
            this.items = items.toArray();
        }

        @Override
        public Object get(int index) {
            return items[index];
        }

        @Override
        public int size() {
            return items.length;
        }

        @Override
        public String toString() {
            return repr(this);
        }
    }

    private final String text;
    private int pos;

    private PythonLiteral(String text) {
        this.text = text;
    }

    /**
     * Parses one Python literal (surrounding whitespace allowed).
     *
     * @throws IllegalArgumentException if the text is not exactly one literal of the supported grammar
     */
    public static Object parse(String text) {
        PythonLiteral parser = new PythonLiteral(text);
        Object value = parser.value(0);
        parser.skipSpace();
        if (parser.pos != text.length()) {
            throw parser.error("trailing characters");
        }
        return value;
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nested too deeply");
        }
        skipSpace();
        if (pos >= text.length()) {
            throw error("unexpected end");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '(':
                return sequence(')', depth, true);
            case '[':
                return sequence(']', depth, false);
            case '{':
                return dict(depth);
            case '\'', '"':
                return string();
            default:
                break;
        }
        if (c == '-' || isDigit(c)) {
            return integer();
        }
        if (isIdentifierStart(c)) {
            int start = pos;
            while (pos < text.length() && isIdentifierPart(text.charAt(pos))) {
                pos++;
            }
            String word = text.substring(start, pos);
            switch (word) {
                case "True":
                    return Boolean.TRUE;
                case "False":
                    return Boolean.FALSE;
                case "None":
                    return null;
                default:
                    pos = start;
                    throw error("unsupported name or prefix '" + word + "'");
            }
        }
        throw error("unexpected character");
    }

    private Object sequence(char close, int depth, boolean tuple) {
        pos++; // opening bracket
        List<Object> items = new ArrayList<>();
        boolean sawComma = false;
        while (true) {
            skipSpace();
            if (peek() == close) {
                pos++;
                break;
            }
            if (!items.isEmpty() && !sawComma) {
                throw error("expected ',' or '" + close + "'");
            }
            items.add(value(depth + 1));
            skipSpace();
            sawComma = peek() == ',';
            if (sawComma) {
                pos++;
            }
        }
        if (tuple) {
            // "(x)" is a parenthesised expression, not a tuple
            if (items.size() == 1 && !sawComma) {
                return items.get(0);
            }
            return new Tuple(items);
        }
        return items;
    }

    private Map<Object, Object> dict(int depth) {
        pos++; // '{'
        Map<Object, Object> map = new LinkedHashMap<>();
        boolean sawComma = false;
        while (true) {
            skipSpace();
            if (peek() == '}') {
                pos++;
                return map;
            }
            if (!map.isEmpty() && !sawComma) {
                throw error("expected ',' or '}'");
            }
            Object key = value(depth + 1);
            if (key instanceof List<?> || key instanceof Map<?, ?>) {
                throw error("unhashable dict key");
            }
            skipSpace();
            if (peek() != ':') {
                throw error("expected ':' in dict");
            }
            pos++;
            map.put(key, value(depth + 1));
            skipSpace();
            sawComma = peek() == ',';
            if (sawComma) {
                pos++;
            }
        }
    }

    private Object integer() {
        int start = pos;
        if (peek() == '-') {
            pos++;
            skipSpace(); // Python accepts "- 5" as unary minus
        }
        int digitsStart = pos;
        while (pos < text.length() && (isDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        String digits = text.substring(digitsStart, pos);
        if (digits.isEmpty() || digits.startsWith("_") || digits.endsWith("_") || digits.contains("__")) {
            throw error("invalid integer");
        }
        digits = digits.replace("_", "");
        if (digits.length() > 1 && digits.charAt(0) == '0' && !digits.chars().allMatch(ch -> ch == '0')) {
            throw error("leading zeros in integer");
        }
        if (pos < text.length() && (isIdentifierPart(text.charAt(pos)) || text.charAt(pos) == '.')) {
            throw error("unsupported number syntax");
        }
        BigInteger value = new BigInteger(digits);
        if (text.charAt(start) == '-') {
            value = value.negate();
        }
        return value.bitLength() < 64 ? (Object) value.longValue() : value;
    }

    private String string() {
        char quote = text.charAt(pos);
        boolean triple = text.startsWith(String.valueOf(quote).repeat(3), pos);
        pos += triple ? 3 : 1;
        StringBuilder out = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(pos);
            if (c == quote) {
                if (!triple) {
                    pos++;
                    return out.toString();
                }
                if (text.startsWith(String.valueOf(quote).repeat(3), pos)) {
                    pos += 3;
                    return out.toString();
                }
                out.append(c);
                pos++;
            } else if (c == '\\') {
                escape(out);
            } else if ((c == '\n' || c == '\r') && !triple) {
                throw error("line break in string");
            } else {
                out.append(c);
                pos++;
            }
        }
    }

    private void escape(StringBuilder out) {
        pos++; // backslash
        if (pos >= text.length()) {
            throw error("unterminated escape");
        }
        char c = text.charAt(pos++);
        switch (c) {
            case '\\', '\'', '"' -> out.append(c);
            case 'n' -> out.append('\n');
            case 'r' -> out.append('\r');
            case 't' -> out.append('\t');
            case 'a' -> out.append('\u0007');
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'v' -> out.append('\u000b');
            case '\n' -> { } // line continuation
            case 'x' -> out.appendCodePoint(hex(2));
            case 'u' -> out.append((char) hex(4)); // may be a lone surrogate, as in Python
            case 'U' -> {
                int cp = hex(8);
                if (cp > Character.MAX_CODE_POINT) {
                    throw error("code point out of range");
                }
                out.appendCodePoint(cp);
            }
            default -> {
                if (c >= '0' && c <= '7') {
                    int value = c - '0';
                    for (int i = 0; i < 2 && pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '7'; i++) {
                        value = value * 8 + text.charAt(pos++) - '0';
                    }
                    out.append((char) value);
                } else if (c == 'N') {
                    throw error("named unicode escapes are not supported");
                } else {
                    // Python keeps unknown escapes verbatim
                    out.append('\\').append(c);
                }
            }
        }
    }

    private int hex(int count) {
        if (pos + count > text.length()) {
            throw error("truncated escape");
        }
        int value = 0;
        for (int i = 0; i < count; i++) {
            int digit = Character.digit(text.charAt(pos + i), 16);
            if (digit < 0) {
                throw error("invalid hex escape");
            }
            value = value * 16 + digit;
        }
        pos += count;
        return value;
    }

    private void skipSpace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f') {
                return;
            }
            pos++;
        }
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isIdentifierStart(char c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isIdentifierPart(char c) {
        return isIdentifierStart(c) || isDigit(c);
    }

    private IllegalArgumentException error(String what) {
        int from = Math.max(0, pos - 20);
        int to = Math.min(text.length(), pos + 20);
        return new IllegalArgumentException("not a Python literal: " + what + " at offset " + pos
                + " near '" + text.substring(from, to) + "'");
    }

    // ---- writing ----

    /**
     * Python source for a value: String, Boolean, null, Integer/Long/BigInteger, {@link Tuple}, other Lists, Maps,
     * Object arrays (as tuples).
     *
     * @throws IllegalArgumentException for any other type
     */
    public static String repr(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value);
        return out.toString();
    }

    /** A str literal in single quotes, all non-printable and non-ASCII characters escaped. */
    public static String repr(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2);
        writeString(out, value);
        return out.toString();
    }

    /** A list literal {@code [a, b]}. */
    public static String repr(List<?> value) {
        return repr((Object) value);
    }

    /** A tuple literal, with the trailing comma a 1-tuple needs: {@code ()}, {@code (a,)}, {@code (a, b)}. */
    public static String reprTuple(List<?> items) {
        return repr(new Tuple(items));
    }

    private static void write(StringBuilder out, Object value) {
        if (value == null) {
            out.append("None");
        } else if (value instanceof Boolean b) {
            out.append(b ? "True" : "False");
        } else if (value instanceof String s) {
            writeString(out, s);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte || value instanceof BigInteger) {
            out.append(value);
        } else if (value instanceof Object[] array) {
            write(out, new Tuple(Arrays.asList(array)));
        } else if (value instanceof Tuple tuple) {
            out.append('(');
            writeItems(out, tuple);
            if (tuple.size() == 1) {
                out.append(',');
            }
            out.append(')');
        } else if (value instanceof List<?> list) {
            out.append('[');
            writeItems(out, list);
            out.append(']');
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!first) {
                    out.append(", ");
                }
                first = false;
                write(out, entry.getKey());
                out.append(": ");
                write(out, entry.getValue());
            }
            out.append('}');
        } else {
            throw new IllegalArgumentException("no Python literal for " + value.getClass().getName());
        }
    }

    private static void writeItems(StringBuilder out, List<?> items) {
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            write(out, items.get(i));
        }
    }

    private static void writeString(StringBuilder out, String s) {
        out.append('\'');
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            switch (cp) {
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (cp >= 0x20 && cp < 0x7f) {
                        out.append((char) cp);
                    } else if (cp < 0x100) {
                        out.append(String.format("\\x%02x", cp));
                    } else if (cp < 0x10000) {
                        out.append(String.format("\\u%04x", cp));
                    } else {
                        out.append(String.format("\\U%08x", cp));
                    }
                }
            }
        }
        out.append('\'');
    }
}
