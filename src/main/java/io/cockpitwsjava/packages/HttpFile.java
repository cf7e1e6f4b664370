package io.cockpitwsjava.packages;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A complete HTTP answer produced from local files: status, reason phrase, headers in the order they should be
 * sent, and the body bytes. The web layer adds its own security headers (docs/protocol.md §1.5) on top.
 */
public record HttpFile(int status, String reason, Map<String, String> headers, byte[] body) {

    public HttpFile {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** An error answer whose body is our {@link FailPage} carrying {@code message}. */
    static HttpFile failure(int status, String reason, String message) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "text/html; charset=utf-8");
        return new HttpFile(status, reason, headers, FailPage.render(message));
    }

    /** Body as UTF-8 text; convenient for tests and logs. */
    public String bodyText() {
        return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }
}
