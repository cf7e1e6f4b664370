package io.cockpitwsjava.protocol;

/**
 * Rules for channel ids (docs/protocol.md §6.2, §6.4, §7.1): ASCII, no {@code \n}, no NUL. The empty id is the control
 * channel. The gateway never parses ids beyond that.
 */
public final class ChannelId {

    /** The control channel. */
    public static final String CONTROL = "";

    private ChannelId() {
    }

    /** Whether {@code id} may appear as a channel id on the wire (the empty control id included). */
    public static boolean isValid(CharSequence id) {
        for (int i = 0, n = id.length(); i < n; i++) {
            if (!isValidChar(id.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether byte or char {@code c} may appear in a channel id. */
    static boolean isValidChar(int c) {
        return c > 0 && c < 0x80 && c != '\n';
    }

    /** Returns {@code id} or throws {@link IllegalArgumentException}; for ids we are about to send. */
    static String requireValid(String id) {
        if (!isValid(id)) {
            throw new IllegalArgumentException("invalid channel id (must be ASCII without newline or NUL)");
        }
        return id;
    }
}
