package io.cockpitwsjava.packages;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * ws's {@code ${NAME}} expansion for branding CSS (docs/protocol.md §3.1): NAME is {@code [A-Za-z0-9_]+}; a backslash
 * right before {@code ${} keeps the reference literally and is itself dropped; anything else is copied unchanged.
 */
final class CssTemplate {

    private CssTemplate() {
    }

    /** Expands {@code input}; {@code lookup} returns null for unknown names, which expand to nothing. */
    static byte[] expand(byte[] input, Function<String, String> lookup) {
        // ISO-8859-1 maps bytes 1:1 to chars, so non-UTF-8 input passes through untouched
        String s = new String(input, StandardCharsets.ISO_8859_1);
        StringBuilder out = new StringBuilder(s.length());
        int emitFrom = 0;
        int searchFrom = 0;
        while (true) {
            int start = s.indexOf("${", searchFrom);
            if (start < 0) {
                break;
            }
            int nameStart = start + 2;
            int nameEnd = nameStart;
            while (nameEnd < s.length() && isWordChar(s.charAt(nameEnd))) {
                nameEnd++;
            }
            if (nameEnd == nameStart || nameEnd >= s.length() || s.charAt(nameEnd) != '}') {
                searchFrom = nameEnd;
                continue;
            }
            int end = nameEnd + 1;
            boolean escaped = start > emitFrom && s.charAt(start - 1) == '\\';
            out.append(s, emitFrom, escaped ? start - 1 : start);
            if (escaped) {
                out.append(s, start, end);
            } else {
                String value = lookup.apply(s.substring(nameStart, nameEnd));
                if (value != null) {
                    out.append(new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
                }
            }
            emitFrom = end;
            searchFrom = end;
        }
        out.append(s, emitFrom, s.length());
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }
}
