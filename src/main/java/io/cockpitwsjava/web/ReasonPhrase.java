package io.cockpitwsjava.web;

import java.nio.charset.StandardCharsets;

/** HTTP reason phrases as cockpit-ws writes them: percent-encoded except {@code A-Za-z0-9-._~}, space and colon. */
public final class ReasonPhrase {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private ReasonPhrase() {
    }

    public static String encode(String message) {
        StringBuilder sb = new StringBuilder(message.length());
        for (byte b : message.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~' || c == ' ' || c == ':') {
                sb.append((char) c);
            } else {
                sb.append('%').append(HEX[c >> 4]).append(HEX[c & 15]);
            }
        }
        return sb.toString();
    }

    /** Default phrases for statuses without a handler message (docs/protocol.md §1.7). */
    public static String standard(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 204 -> "No Content";
            case 301 -> "Moved Permanently";
            case 304 -> "Not Modified";
            case 400 -> "Bad request";
            case 401 -> "Not Authorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 413 -> "Request Entity Too Large";
            case 502 -> "Remote Page is Unavailable";
            default -> status >= 500 ? "Internal Server Error" : "Error";
        };
    }
}
