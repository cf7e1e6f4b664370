package io.cockpitwsjava.protocol;

/** Hard limits of the protocol layer in one place (docs/protocol.md §6.9, §7.1). All sizes count bytes. */
public final class Limits {

    /** Digits accepted in a frame length we read: the Python bridge wants the newline within 10 bytes. */
    public static final int MAX_LENGTH_DIGITS_READ = 9;

    /** Largest frame length a decoder can be set to accept: the largest number of {@link #MAX_LENGTH_DIGITS_READ} digits. */
    public static final int MAX_FRAME_BYTES_READ = 999_999_999;

    /** Digits we ever write in a frame length: cockpit-ws (C) accepts at most 8. */
    public static final int MAX_LENGTH_DIGITS_WRITE = 8;

    /** Largest frame length (channel + newline + payload) we write: the largest 8-digit number. */
    public static final int MAX_FRAME_BYTES_WRITE = 99_999_999;

    /**
     * Largest frame length accepted from the bridge by default (the default of {@code cockpit.limits.frame-bytes});
     * D-Bus replies reach several MiB.
     */
    public static final int DEFAULT_MAX_FRAME_BYTES_READ = 16 * 1024 * 1024;

    /**
     * Largest frame length accepted from a bridge before its {@code init}: the init is the first frame and carries
     * only capabilities, os-release and package names (≈ 0.6 KiB from Cockpit 337 with six packages), so a peer that
     * is not yet known to be a bridge cannot make the gateway hold more than this for it.
     */
    public static final int MAX_FRAME_BYTES_BEFORE_INIT = 64 * 1024;

    /** Largest WebSocket message accepted from a browser; the contract demands at least 1 MiB. */
    public static final int MAX_BROWSER_MESSAGE_BYTES = 16 * 1024 * 1024;

    /** Minimum WebSocket message size a browser must be allowed to send (docs/protocol.md §6.9). */
    public static final int MIN_BROWSER_MESSAGE_BYTES = 1024 * 1024;

    private Limits() {
    }
}
