package io.cockpitwsjava.session;

/**
 * Cookie names that are safe in a {@code Set-Cookie} header: only RFC 6265 {@code token} characters (visible ASCII
 * without the separators {@code ( ) < > @ , ; : \ " / [ ] ? = { }}). Application names come from the request path,
 * and host applications legitimately contain separators ({@code user@host:2222}, {@code [::1]:22}), so such names
 * are encoded rather than refused: every character that is not a token character, and {@code %} itself, becomes
 * {@code %XX} (ASCII) or {@code %uXXXX} (any other UTF-16 unit). The encoding is injective, so distinct applications
 * keep distinct cookies. Browsers never read these names (the cookies are {@code HttpOnly}); only the gateway does.
 */
public final class CookieName {
    private static final String SEPARATORS = "()<>@,;:\\\"/[]?={} \t";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private CookieName() {
    }

    /** {@code raw} with every non-token character (and {@code %}) escaped; never empty for a non-empty input. */
    public static String encode(String raw) {
        StringBuilder b = new StringBuilder(raw.length() + 8);
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '%' && isTokenChar(c)) {
                b.append(c);
            } else if (c < 0x80) {
                b.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            } else {
                b.append("%u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xf]).append(HEX[(c >> 4) & 0xf])
                        .append(HEX[c & 0xf]);
            }
        }
        return b.toString();
    }

    /** Whether {@code name} is a non-empty RFC 6265 token. */
    public static boolean isToken(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (!isTokenChar(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isTokenChar(char c) {
        return c > 0x20 && c < 0x7f && SEPARATORS.indexOf(c) < 0;
    }
}
