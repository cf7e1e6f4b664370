package io.cockpitwsjava.web;

import java.util.ArrayList;
import java.util.List;

/** The CSP cockpit-ws computes for its own pages (login page, static HTML), docs/protocol.md §1.6. */
public final class ContentSecurityPolicy {
    private ContentSecurityPolicy() {
    }

    public static String forOrigin(String base, String selfOrigin) {
        List<String> parts = new ArrayList<>();
        for (String p : base.split(";")) {
            String t = p.strip();
            if (!t.isEmpty()) {
                parts.add(t);
            }
        }
        String wsOrigin = selfOrigin.replaceFirst("^http", "ws");
        String[][] defaults = {
                { "default-src", "default-src 'self'" },
                { "connect-src", "connect-src 'self' " + wsOrigin },
                { "form-action", "form-action 'self'" },
                { "base-uri", "base-uri 'self'" },
                { "object-src", "object-src 'none'" },
                { "font-src", "font-src 'self' data:" },
                { "img-src", "img-src 'self' data:" },
                { "block-all-mixed-content", "block-all-mixed-content" } };
        List<String> out = new ArrayList<>();
        for (String[] d : defaults) {
            boolean present = parts.stream().anyMatch(p -> p.equals(d[0]) || p.startsWith(d[0] + " "));
            if (!present) {
                out.add(d[1]);
            }
        }
        out.addAll(parts);
        return String.join("; ", out).replace("'self'", "'self' " + selfOrigin);
    }
}
