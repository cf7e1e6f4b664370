package io.cockpitwsjava.web;

import java.util.List;
import java.util.Locale;

/** WebSocket Origin check (ws-contract §6.1): fnmatch patterns, case-insensitive; default {@code <proto>://<Host>}. */
final class OriginPolicy {
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
        return match(pattern, 0, s, 0);
    }

    private static boolean match(String p, int pi, String s, int si) {
        while (pi < p.length()) {
            char c = p.charAt(pi);
            if (c == '*') {
                for (int k = si; k <= s.length(); k++) {
                    if (match(p, pi + 1, s, k)) {
                        return true;
                    }
                }
                return false;
            }
            if (si >= s.length()) {
                return false;
            }
            if (c == '?') {
                pi++;
                si++;
                continue;
            }
            if (c == '[') {
                int end = p.indexOf(']', pi + 2);
                if (end > 0) {
                    String set = p.substring(pi + 1, end);
                    boolean negate = set.startsWith("!") || set.startsWith("^");
                    if (negate) {
                        set = set.substring(1);
                    }
                    char ch = s.charAt(si);
                    boolean in = false;
                    for (int i = 0; i < set.length(); i++) {
                        if (i + 2 < set.length() && set.charAt(i + 1) == '-') {
                            in |= ch >= set.charAt(i) && ch <= set.charAt(i + 2);
                            i += 2;
                        } else {
                            in |= ch == set.charAt(i);
                        }
                    }
                    if (in == negate) {
                        return false;
                    }
                    pi = end + 1;
                    si++;
                    continue;
                }
            }
            if (c == '\\' && pi + 1 < p.length()) {
                pi++;
                c = p.charAt(pi);
            }
            if (c != s.charAt(si)) {
                return false;
            }
            pi++;
            si++;
        }
        return si == s.length();
    }
}
