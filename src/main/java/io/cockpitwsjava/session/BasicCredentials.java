package io.cockpitwsjava.session;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * {@code Authorization: Basic} as login.js sends it: base64 of {@code user:password\0known_hosts}.
 * The password is kept as a char array so it can be wiped.
 */
record BasicCredentials(String user, char[] password, String knownHosts) {

    /** Parses the base64 part; null if it is not valid base64 or has no colon. */
    static BasicCredentials parse(String b64) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(b64.strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
        try {
            // the colon must be in the user:password part; one inside known_hosts lines does not count
            int nul = indexOf(raw, (byte) 0, 0);
            int pwEnd = nul < 0 ? raw.length : nul;
            int colon = indexOf(raw, (byte) ':', 0);
            if (colon < 0 || colon > pwEnd) {
                return null;
            }
            String user = new String(raw, 0, colon, StandardCharsets.UTF_8);
            CharBuffer cb = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(raw, colon + 1, pwEnd - colon - 1));
            char[] password = new char[cb.remaining()];
            cb.get(password);
            Arrays.fill(cb.array(), '\0');
            String known = nul < 0 ? "" : new String(raw, nul + 1, raw.length - nul - 1, StandardCharsets.UTF_8);
            return new BasicCredentials(user, password, known);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    private static int indexOf(byte[] b, byte v, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        return -1;
    }

    void wipe() {
        Arrays.fill(password, '\0');
    }

    @Override
    public String toString() {
        return "BasicCredentials[user=" + user + "]";
    }
}
