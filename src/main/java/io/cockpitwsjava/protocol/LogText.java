package io.cockpitwsjava.protocol;

/**
 * Client- or target-chosen text (user names, hosts, messages) as it may appear in a log line: quoted, with quotes,
 * backslashes and every control, format or line/paragraph separator character escaped, so that it can neither end
 * the line nor fake a second one (nor reorder it on a terminal with bidi controls); and shortened, so that one
 * request cannot write kilobytes into the log.
 */
public final class LogText {
    /** Characters of the original kept; the rest is replaced by a count. */
    static final int MAX_CHARS = 200;

    private LogText() {
    }

    /** {@code "text"} with the escapes described above; a null gives the word {@code null}, unquoted. */
    public static String quoted(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(Math.min(text.length(), MAX_CHARS) + 2).append('"');
        int end = Math.min(text.length(), MAX_CHARS);
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(text.charAt(i + 1))) {
                        int cp = Character.toCodePoint(c, text.charAt(++i));
                        if (needsEscape(Character.getType(cp))) {
                            b.append(String.format("\\U%08x", cp));
                        } else {
                            b.appendCodePoint(cp);
                        }
                    } else if (Character.isSurrogate(c) || needsEscape(Character.getType(c))) {
                        // a lone surrogate half is no character at all
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
        if (text.length() > end) {
            b.append("...(").append(text.length()).append(" chars)");
        }
        return b.toString();
    }

    private static boolean needsEscape(int type) {
        return switch (type) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.UNASSIGNED, Character.PRIVATE_USE -> true;
            default -> false;
        };
    }
}
