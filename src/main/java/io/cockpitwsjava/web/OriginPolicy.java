package io.cockpitwsjava.web;

import java.util.List;
import java.util.Locale;

/** WebSocket Origin check (docs/protocol.md §6.1): fnmatch patterns, case-insensitive; default {@code <proto>://<Host>}. */
final class OriginPolicy {
    private static final int NO_MATCH = -1;
    private static final int UNTERMINATED = -2;

    private OriginPolicy() {
    }

    static boolean allowed(String origin, List<String> configured, String selfOrigin) {
        if (origin == null || origin.isEmpty()) {
            return false;
        }
        String o = origin.toLowerCase(Locale.ROOT);
        if (configured.isEmpty()) {
            return fnmatch(escape(selfOrigin.toLowerCase(Locale.ROOT)), o);
        }
        for (String p : configured) {
            if (fnmatch(p.toLowerCase(Locale.ROOT), o)) {
                return true;
            }
        }
        return false;
    }

    /** Escapes glob characters of a literal (the Host header may contain IPv6 brackets). */
    static String escape(String literal) {
        StringBuilder sb = new StringBuilder();
        for (char c : literal.toCharArray()) {
            if (c == '[' || c == ']' || c == '?' || c == '*' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** Shell glob: {@code *}, {@code ?}, {@code [...]} (with {@code !} negation and ranges), backslash escapes. */
    static boolean fnmatch(String pattern, String s) {
        // iterative with one backtrack point: only the last '*' ever needs to grow, so this stays O(n·m)
        // whatever the number of stars (a recursive matcher is exponential on a long Origin header)
        int pi = 0;
        int si = 0;
        int starP = -1;
        int starS = -1;
        while (si < s.length()) {
            if (pi < pattern.length()) {
                if (pattern.charAt(pi) == '*') {
                    starP = ++pi;
                    starS = si;
                    continue;
                }
                int next = single(pattern, pi, s.charAt(si));
                if (next >= 0) {
                    pi = next;
                    si++;
                    continue;
                }
            }
            if (starP < 0) {
                return false;
            }
            pi = starP;
            si = ++starS;
        }
        while (pi < pattern.length() && pattern.charAt(pi) == '*') {
            pi++;
        }
        return pi == pattern.length();
    }

    /** Matches one pattern element (not {@code *}) at {@code p[pi]} against {@code ch}: index after it, or -1. */
    private static int single(String p, int pi, char ch) {
        char c = p.charAt(pi);
        if (c == '?') {
            return pi + 1;
        }
        if (c == '[') {
            int next = bracket(p, pi, ch);
            if (next != UNTERMINATED) {
                return next;
            }
            // no closing ']': the '[' is an ordinary character
        }
        if (c == '\\' && pi + 1 < p.length()) {
            c = p.charAt(++pi);
        }
        return c == ch ? pi + 1 : NO_MATCH;
    }

    /**
     * Matches {@code ch} against the bracket expression at {@code p[open]} as POSIX fnmatch does: {@code !} or
     * {@code ^} negates, a {@code ]} right after the opening (or the negation) is literal, backslash escapes,
     * {@code a-z} ranges and {@code [:class:]}. Returns the index after the closing {@code ]}, {@link #NO_MATCH},
     * or {@link #UNTERMINATED}.
     */
    private static int bracket(String p, int open, char ch) {
        int i = open + 1;
        boolean negate = i < p.length() && (p.charAt(i) == '!' || p.charAt(i) == '^');
        if (negate) {
            i++;
        }
        boolean in = false;
        boolean first = true;
        while (i < p.length()) {
            char c = p.charAt(i);
            if (c == ']' && !first) {
                return in != negate ? i + 1 : NO_MATCH;
            }
            first = false;
            if (c == '[' && i + 1 < p.length() && p.charAt(i + 1) == ':') {
                int close = p.indexOf(":]", i + 2);
                if (close > 0) {
                    in |= inClass(p.substring(i + 2, close), ch);
                    i = close + 2;
                    continue;
                }
            }
            if (c == '\\' && i + 1 < p.length()) {
                c = p.charAt(++i);
            }
            i++;
            if (i + 1 < p.length() && p.charAt(i) == '-' && p.charAt(i + 1) != ']') {
                char hi = p.charAt(i + 1);
                i += 2;
                if (hi == '\\' && i < p.length()) {
                    hi = p.charAt(i++);
                }
                in |= ch >= c && ch <= hi;
            } else {
                in |= ch == c;
            }
        }
        return UNTERMINATED;
    }

    /** POSIX character classes; pattern and origin are already lower case, so upper/lower both mean "letter". */
    private static boolean inClass(String name, char ch) {
        return switch (name) {
            case "alpha", "upper", "lower" -> Character.isLetter(ch);
            case "digit" -> ch >= '0' && ch <= '9';
            case "alnum" -> Character.isLetterOrDigit(ch);
            case "xdigit" -> Character.digit(ch, 16) >= 0;
            case "space" -> Character.isWhitespace(ch);
            case "blank" -> ch == ' ' || ch == '\t';
            case "punct" -> ch > 0x20 && ch < 0x7f && !Character.isLetterOrDigit(ch);
            case "cntrl" -> Character.isISOControl(ch);
            case "print" -> ch >= 0x20 && ch != 0x7f;
            case "graph" -> ch > 0x20 && ch != 0x7f;
            default -> false;
        };
    }
}
