package io.cockpitwsjava.beiboot;

import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.util.Arrays;
import java.util.List;

import org.jboss.logging.Logger;

/**
 * Splits the target's stderr into ferny commands and free text (docs/beiboot.md §4).
 *
 * <p>A command frame is {@code NUL "ferny" NUL <repr of (name, args)> NUL NUL LF}; it may arrive split at any byte.
 * The recogniser is equivalent to upstream's regex {@code \0ferny\0([^\n]*)\0\0\n}: a candidate starts at the marker
 * and ends at the first LF, which must directly follow two NULs. Everything else is text, of which a bounded tail is
 * kept for error messages. Memory is bounded whatever the target writes: at most {@link #MAX_FRAME_BYTES} of a
 * candidate plus one fed chunk are buffered (a longer candidate, e.g. a marker never followed by a line end, is given
 * up as text), and of text only the fixed-size tail is kept.
 *
 * <p>Not thread-safe: feed it from the one thread that reads stderr.
 */
public final class FernyStderrParser {

    /** Receives what the parser finds. */
    public interface Listener {
        /** A well-formed command; {@code args} is the argument tuple. */
        void onCommand(String name, List<Object> args);

        /** Free text (prompts, warnings, the bridge's log), in the order it arrived; chunks may split characters. */
        default void onText(byte[] data, int off, int len) {
        }
    }

    /**
     * Longest candidate frame we buffer before treating it as text. The boot's commands are small (a payload size,
     * os-release, a few file names, a traceback of a few KiB); a target that sends more only gets its text kept.
     */
    public static final int MAX_FRAME_BYTES = 64 * 1024;

    /** Default size of the kept text tail. */
    public static final int DEFAULT_TEXT_TAIL_BYTES = 64 * 1024;

    private static final Logger LOG = Logger.getLogger(FernyStderrParser.class);
    private static final byte[] MARKER = {0, 'f', 'e', 'r', 'n', 'y', 0};

    private final Listener listener;
    private final byte[] tail;
    private long textBytes;

    private byte[] pending = new byte[256];
    private int pendingLength;
    private boolean commandsStopped;
    /** After an oversized candidate: text until the next LF, as the regex would never match there cheaply. */
    private boolean skippingToLineEnd;
    /** Bytes of the candidate at the start of {@code pending} already known to contain no LF (avoids rescans). */
    private int candidateCheckedBytes;

    public FernyStderrParser(Listener listener, int textTailBytes) {
        if (textTailBytes <= 0) {
            throw new IllegalArgumentException("text tail size must be positive");
        }
        this.listener = listener;
        this.tail = new byte[textTailBytes];
    }

    public FernyStderrParser(Listener listener) {
        this(listener, DEFAULT_TEXT_TAIL_BYTES);
    }

    /** Feeds the next chunk of stderr. */
    public void feed(byte[] data, int off, int len) {
        if (len == 0) {
            return;
        }
        if (commandsStopped) {
            text(data, off, len);
            return;
        }
        append(data, off, len);
        scan();
    }

    /** From now on everything is text (the bridge's {@code init} arrived); flushes a partial candidate as text. */
    public void stopCommands() {
        if (commandsStopped) {
            return;
        }
        commandsStopped = true;
        if (pendingLength > 0) {
            text(pending, 0, pendingLength);
        }
        pending = new byte[0];
        pendingLength = 0;
    }

    /** Bytes held for a partial candidate and the text tail (for limits and tests). */
    public int bufferedBytes() {
        return pending.length + tail.length;
    }

    /** Whether commands are still being interpreted. */
    public boolean interpretingCommands() {
        return !commandsStopped;
    }

    /** End of stderr: whatever is still buffered is text. */
    public void finish() {
        if (pendingLength > 0) {
            text(pending, 0, pendingLength);
            pendingLength = 0;
        }
    }

    /** The last (at most the configured number of) bytes of text, decoded as UTF-8 with replacement. */
    public String textTail() {
        int n = (int) Math.min(textBytes, tail.length);
        byte[] bytes = new byte[n];
        int start = (int) ((textBytes - n) % tail.length);
        for (int i = 0; i < n; i++) {
            bytes[i] = tail[(start + i) % tail.length];
        }
        // the tail may start in the middle of a character: drop continuation bytes at the cut
        int from = 0;
        if (textBytes > n) {
            while (from < n && from < 3 && (bytes[from] & 0xC0) == 0x80) {
                from++;
            }
        }
        return new String(bytes, from, n - from, StandardCharsets.UTF_8);
    }

    private void scan() {
        int consumed = 0;
        while (consumed < pendingLength) {
            if (skippingToLineEnd) {
                int lf = indexOf((byte) '\n', consumed);
                int end = lf < 0 ? pendingLength : lf + 1;
                text(pending, consumed, end - consumed);
                consumed = end;
                skippingToLineEnd = lf < 0;
                continue;
            }
            int marker = indexOfMarker(consumed);
            if (marker < 0) {
                // keep a suffix that could be the start of a marker
                int keep = partialMarkerSuffix(consumed);
                text(pending, consumed, pendingLength - keep - consumed);
                consumed = pendingLength - keep;
                break;
            }
            if (marker > consumed) {
                text(pending, consumed, marker - consumed);
                consumed = marker;
            }
            int lf = indexOf((byte) '\n', marker + Math.max(MARKER.length, candidateCheckedBytes));
            candidateCheckedBytes = 0;
            if (lf < 0) {
                candidateCheckedBytes = pendingLength - marker;
                if (pendingLength - marker > MAX_FRAME_BYTES) {
                    LOG.debugf("ferny candidate longer than %d bytes, treating it as text", MAX_FRAME_BYTES);
                    text(pending, marker, pendingLength - marker);
                    consumed = pendingLength;
                    skippingToLineEnd = true;
                    candidateCheckedBytes = 0;
                }
                break;
            }
            int payloadEnd = lf - 2;
            if (payloadEnd >= marker + MARKER.length && pending[lf - 1] == 0 && pending[lf - 2] == 0) {
                consumed = lf + 1;
                String payload = decode(marker + MARKER.length, payloadEnd);
                dispatch(payload);
                if (commandsStopped) {
                    // ferny.end: the rest is text
                    if (consumed < pendingLength) {
                        text(pending, consumed, pendingLength - consumed);
                    }
                    consumed = pendingLength;
                    break;
                }
            } else {
                // no terminator before the line end: every marker up to here is not a command
                text(pending, marker, lf + 1 - marker);
                consumed = lf + 1;
            }
        }
        compact(consumed);
    }

    private void dispatch(String payload) {
        if (payload == null) {
            LOG.debug("ignoring ferny command that is not valid UTF-8");
            return;
        }
        Object parsed;
        try {
            parsed = PythonLiteral.parse(payload);
        } catch (IllegalArgumentException e) {
            LOG.debugf("ignoring unparsable ferny command: %s", e.getMessage());
            return;
        }
        if (!(parsed instanceof PythonLiteral.Tuple frame) || frame.size() != 2
                || !(frame.get(0) instanceof String name) || !(frame.get(1) instanceof PythonLiteral.Tuple args)) {
            LOG.debug("ignoring ferny command that is not a (name, args) tuple");
            return;
        }
        if ("ferny.end".equals(name)) {
            commandsStopped = true;
        }
        listener.onCommand(name, args);
    }

    private String decode(int from, int to) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(pending, from, to - from))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private void text(byte[] data, int off, int len) {
        if (len <= 0) {
            return;
        }
        int start = Math.max(off, off + len - tail.length);
        for (int i = start; i < off + len; i++) {
            tail[(int) ((textBytes + i - off) % tail.length)] = data[i];
        }
        textBytes += len;
        listener.onText(data, off, len);
    }

    private int indexOfMarker(int from) {
        outer:
        for (int i = from; i <= pendingLength - MARKER.length; i++) {
            for (int j = 0; j < MARKER.length; j++) {
                if (pending[i + j] != MARKER[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Length of the longest suffix of the pending bytes (after {@code from}) that is a proper marker prefix. */
    private int partialMarkerSuffix(int from) {
        for (int keep = Math.min(MARKER.length - 1, pendingLength - from); keep > 0; keep--) {
            if (Arrays.equals(pending, pendingLength - keep, pendingLength, MARKER, 0, keep)) {
                return keep;
            }
        }
        return 0;
    }

    private int indexOf(byte b, int from) {
        for (int i = from; i < pendingLength; i++) {
            if (pending[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private void append(byte[] data, int off, int len) {
        if (pendingLength + len > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + len));
        }
        System.arraycopy(data, off, pending, pendingLength, len);
        pendingLength += len;
    }

    private void compact(int consumed) {
        if (consumed == 0) {
            return;
        }
        System.arraycopy(pending, consumed, pending, 0, pendingLength - consumed);
        pendingLength -= consumed;
        if (pending.length > 64 * 1024 && pendingLength < pending.length / 4) {
            pending = Arrays.copyOf(pending, Math.max(256, pendingLength * 2));
        }
    }
}
