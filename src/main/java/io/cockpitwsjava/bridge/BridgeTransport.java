package io.cockpitwsjava.bridge;

/**
 * The byte pipe one bridge runs on: its stdin, stdout and stderr, and how it ended. In production an SSH exec channel
 * ({@link ExecChannelTransport}); in unit tests an in-memory pipe. All calls are non-blocking; events arrive on the
 * transport's own threads.
 *
 * <p>Stdout is pushed as it arrives, and back-pressure is credit-based, like the SSH channel window it maps to: the
 * target may have at most a window of stdout bytes delivered that the consumer has not given back with
 * {@link #consumed(int)}. A consumer that stops giving bytes back stops the target within one window, and must be
 * ready to hold that much. Writing is one buffer at a time: the next {@link #write} only after the previous one's
 * callback.
 */
public interface BridgeTransport {

    /** What the transport reports. */
    interface Events {
        /** The transport is open: stdin may be written, stdout arrives. */
        void opened();

        /** Opening failed; nothing else follows but {@link #closed()}. */
        void openFailed(String why);

        /**
         * One chunk of stdout as it arrived: in order, one call at a time. The array is only valid during the call.
         * Its bytes count against the window until {@link BridgeTransport#consumed(int)} gives them back.
         */
        void stdout(byte[] data, int offset, int length);

        /** Stdout ended ({@code error} null) or failed; after the last {@link #stdout}. */
        void stdoutEnd(Throwable error);

        /** A chunk of stderr (delivered as it comes, without back-pressure). */
        void stderr(byte[] data, int offset, int length);

        /** The pipe is closed; {@link #exitStatus()} and {@link #exitSignal()} are known if the bridge reported them. */
        void closed();
    }

    /** Starts the transport. Called once. */
    void open(Events events);

    /** The consumer has taken {@code n} bytes of stdout: the target may send that many more. Any thread. */
    void consumed(int n);

    /**
     * Writes to the bridge's stdin; {@code done} gets true once the bytes are handed to the transport, false if the
     * transport is gone. At most one write outstanding.
     */
    void write(byte[] data, int offset, int length, java.util.function.Consumer<Boolean> done);

    /** End of input: the bridge sees EOF on stdin and exits. */
    void shutdownInput();

    /** Ends the pipe now, and the connection under it. */
    void close();

    /** Whether the connection under the pipe is still up: a bridge that exits while it is up was terminated. */
    boolean connectionOpen();

    /** The bridge's exit status, if it exited and said so. */
    Integer exitStatus();

    /** The signal that ended the bridge, if any. */
    String exitSignal();
}
