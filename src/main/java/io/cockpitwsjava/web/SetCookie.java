package io.cockpitwsjava.web;

import io.cockpitwsjava.session.CookieName;

/**
 * The one place that writes {@code Set-Cookie} headers (docs/protocol.md §2.2). Names must be RFC 6265 tokens and values
 * cookie-octets; anything else is a bug in the caller and is refused here rather than sent, so no request path can
 * add attributes to a cookie.
 */
final class SetCookie {

    private SetCookie() {
    }

    /** The session cookie after a successful login. */
    static String session(String name, String value, boolean secure) {
        return build(name, value, "; Path=/; SameSite=Strict;", secure);
    }

    /** The deletion the login page carries for its application (upstream's spelling of the attributes). */
    static String deleted(String name, boolean secure) {
        return build(name, "deleted", "; PATH=/; SameSite=strict;", secure);
    }

    private static String build(String name, String value, String attributes, boolean secure) {
        if (!CookieName.isToken(name)) {
            throw new IllegalArgumentException("cookie name is not an RFC 6265 token");
        }
        if (!isCookieValue(value)) {
            throw new IllegalArgumentException("cookie value has characters outside RFC 6265 cookie-octet");
        }
        return name + "=" + value + attributes + (secure ? " Secure;" : "") + " HttpOnly";
    }

    /** RFC 6265 {@code cookie-octet}: visible ASCII except {@code " , ; \}. */
    static boolean isCookieValue(String value) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '"' || c == ',' || c == ';' || c == '\\') {
                return false;
            }
        }
        return true;
    }
}
