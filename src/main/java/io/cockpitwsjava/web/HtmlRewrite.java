package io.cockpitwsjava.web;

import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * How an HTML document served through a bridge channel is rewritten (shell document, UrlRoot, docs/protocol.md §4.3): the
 * rewrite needs the whole body, so it is collected first, up to {@code maxBytes} ({@code cockpit.limits.document-bytes});
 * a larger document fails that request with 502 {@code too-large}.
 */
record HtmlRewrite(UnaryOperator<byte[]> rewrite, int maxBytes) {

    HtmlRewrite {
        Objects.requireNonNull(rewrite, "rewrite");
        if (maxBytes < 1) {
            throw new IllegalArgumentException("cockpit.limits.document-bytes must be positive");
        }
    }
}
