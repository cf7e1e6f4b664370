package io.cockpitwsjava.bridge;

import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * The buffer one bridge's stdout is read into, reused from read to read and sized by what the reads bring: small while
 * the traffic is interactive, large while a read fills it (a stream), small again after {@link #SMALL_READS_TO_SHRINK}
 * reads in a row that a small one would have held.
 *
 * <p>Why: a fresh 64 KiB array per read was 62 % of everything the gateway allocated while relaying echoes and
 * streams (a JFR allocation profile; docs/PERFORMANCE.md, "Relay CPU per GB"): an interactive message of 60 bytes
 * paid for zeroing 64 KiB, and the young collections it caused came every ≈ 150 ms. Reuse is safe because at most
 * one read is outstanding ({@link BridgeTransport}) and the array is valid only during {@link
 * BridgeTransport.Events#stdout}, whose consumer copies what it keeps. An idle session's pending read holds the small
 * size, not 64 KiB. Not thread-safe: the reads it serves are one after the other, and {@code BridgeConnection}'s read
 * lock orders a read started from another thread after the previous one's handling.
 */
final class StdoutBuffer {
    static final int SMALL = 8 * 1024;
    static final int LARGE = 64 * 1024;
    static final int SMALL_READS_TO_SHRINK = 16;

    private ByteArrayBuffer buffer = new ByteArrayBuffer(SMALL, false);
    private int smallReads;

    /** The buffer for the next read, emptied. */
    Buffer next() {
        buffer.clear();
        return buffer;
    }

    /**
     * The read into the buffer {@link #next()} gave brought {@code n} bytes; the next read may get another buffer
     * (the one just filled stays untouched: its bytes are being handed on).
     */
    void filled(int n) {
        int capacity = buffer.capacity();
        if (n >= capacity && capacity < LARGE) {
            buffer = new ByteArrayBuffer(LARGE, false);
            smallReads = 0;
        } else if (capacity > SMALL && n <= SMALL) {
            if (++smallReads >= SMALL_READS_TO_SHRINK) {
                buffer = new ByteArrayBuffer(SMALL, false);
                smallReads = 0;
            }
        } else {
            smallReads = 0;
        }
    }

    /** The size of the next read's buffer. */
    int capacity() {
        return buffer.capacity();
    }
}
