package io.cockpitwsjava.packages;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** The policy the bridge gives package HTML (docs/beiboot.md §9.6), before the {@code connect-src} rewrite. */
final class ContentSecurityPolicy {

    private ContentSecurityPolicy() {
    }

    /** Defaults, overridden or extended directive by directive by the manifest's {@code content-security-policy}. */
    static String forPackage(String manifestPolicy) {
        Map<String, String> policy = new LinkedHashMap<>();
        policy.put("default-src", "'self'");
        policy.put("connect-src", "'self'");
        policy.put("form-action", "'self'");
        policy.put("base-uri", "'self'");
        policy.put("object-src", "'none'");
        policy.put("font-src", "'self' data:");
        policy.put("img-src", "'self' data:");
        for (String item : manifestPolicy.split(";", -1)) {
            String directive = item.strip();
            if (directive.isEmpty()) {
                continue;
            }
            int space = directive.indexOf(' ');
            String key = space < 0 ? directive : directive.substring(0, space);
            String value = space < 0 ? "" : directive.substring(space + 1);
            policy.put(key, value);
        }
        return policy.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue() + ";")
                .collect(Collectors.joining(" ")) + " block-all-mixed-content";
    }
}
