package io.cockpitwsjava.packages;

import java.nio.charset.StandardCharsets;

/**
 * Our minimal HTML error page (docs/protocol.md §1.7). The message must appear in {@code <title>} because pages that
 * download through hidden iframes detect failures by reading {@code document.title}.
 */
public final class FailPage {

    private FailPage() {
    }

    /** Renders the page with {@code message} HTML-escaped in the title and in the body. */
    public static byte[] render(String message) {
        String text = escape(message == null ? "" : message);
        String html = "<!DOCTYPE html>\n"
                + "<html>\n"
                + "<head>\n"
                + "<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>" + text + "</title>\n"
                + "<style>body { font-family: sans-serif; margin: 3em; color: #151515; }</style>\n"
                + "</head>\n"
                + "<body>\n"
                + "<h1>" + text + "</h1>\n"
                + "</body>\n"
                + "</html>\n";
        return html.getBytes(StandardCharsets.UTF_8);
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
