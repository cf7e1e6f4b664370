package io.cockpitwsjava.audit;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A random label for one web session, so its audit lines (host login, channels, end) can be grouped. It is made here
 * and nowhere else, so a session cookie can never end up in the audit log by mistake.
 *
 * @param value 16 lower-case hex digits
 */
public record SessionTag(String value) {

    private static final Pattern FORM = Pattern.compile("[0-9a-f]{16}");
    private static final SecureRandom RANDOM = new SecureRandom();

    public SessionTag {
        Objects.requireNonNull(value, "value");
        if (!FORM.matcher(value).matches()) {
            throw new IllegalArgumentException("a session tag is 16 lower-case hex digits");
        }
    }

    /** A new tag for a new session. */
    public static SessionTag random() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return new SessionTag(HexFormat.of().formatHex(b));
    }

    @Override
    public String toString() {
        return value;
    }
}
