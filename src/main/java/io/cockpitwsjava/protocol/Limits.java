package io.cockpitwsjava.protocol;

/** Hard limits of the protocol layer in one place (ws-contract §6.9, §7.1). All sizes count bytes. */
public final class Limits {

    /** Digits accepted in a frame length we read: the Python bridge wants the newline within 10 bytes. */
    public static final int MAX_LENGTH_DIGITS_READ = 9;

    /** Digits we ever write in a frame length: cockpit-ws (C) accepts at most 8. */
    public static final int MAX_LENGTH_DIGITS_WRITE = 8;

    /** Largest frame length (channel + newline + payload) we write: the largest 8-digit number. */
    public static final int MAX_FRAME_BYTES_WRITE = 99_999_999;

    /** Largest frame length accepted from the bridge by default; D-Bus replies reach several MiB. */
    public static final int DEFAULT_MAX_FRAME_BYTES_READ = 64 * 1024 * 1024;

    /** Largest WebSocket message accepted from a browser; the contract demands at least 1 MiB. */
    public static final int MAX_BROWSER_MESSAGE_BYTES = 16 * 1024 * 1024;

    /** Minimum WebSocket message size a browser must be allowed to send (ws-contract §6.9). */
    public static final int MIN_BROWSER_MESSAGE_BYTES = 1024 * 1024;

    private Limits() {
    }
}
