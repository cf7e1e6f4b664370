package io.cockpitwsjava.bridge;

/**
 * The byte pipe one bridge runs on: its stdin, stdout and stderr, and how it ended. In production an SSH exec channel
 * ({@link ExecChannelTransport}); in unit tests an in-memory pipe. All calls are non-blocking; events arrive on the
 * transport's own threads.
 *
 * <p>Reading stdout is pull-based so that back-pressure reaches the target: at most one read is outstanding, and each
 * {@link #readStdout()} is answered by exactly one {@link Events#stdout} or {@link Events#stdoutEnd}. Writing is one
 * buffer at a time: the next {@link #write} only after the previous one's callback.
 */
public interface BridgeTransport {

    /** What the transport reports. */
    interface Events {
        /** The transport is open: stdin may be written, stdout read. */
        void opened();

        /** Opening failed; nothing else follows but {@link #closed()}. */
        void openFailed(String why);

        /** One chunk of stdout, answering one {@link #readStdout()}. The array is only valid during the call. */
        void stdout(byte[] data, int offset, int length);

        /** Stdout ended ({@code error} null) or failed. */
        void stdoutEnd(Throwable error);

        /** A chunk of stderr (delivered as it comes, without back-pressure). */
        void stderr(byte[] data, int offset, int length);

        /** The pipe is closed; {@link #exitStatus()} and {@link #exitSignal()} are known if the bridge reported them. */
        void closed();
    }

    /** Starts the transport. Called once. */
    void open(Events events);

    /** Asks for the next stdout chunk (at most one request outstanding). */
    void readStdout();

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
