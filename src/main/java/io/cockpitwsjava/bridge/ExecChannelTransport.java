package io.cockpitwsjava.bridge;

import java.io.IOException;
import java.util.Collections;
import java.util.function.Consumer;

import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.channel.StreamingChannel;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * {@link BridgeTransport} over an SSH exec channel. Stdout and stderr are taken straight from MINA's packet handling
 * (no asynchronous read, no copy into a channel buffer): each SSH data packet is handed to the consumer on the I/O
 * thread that decrypted it, and the channel window is released only when the consumer says it took the bytes, so the
 * window is the back-pressure towards the target. Stderr is released at once (it has no back-pressure). Stdin goes
 * through MINA's asynchronous output stream. Closing the transport closes the SSH session too: one connection per
 * bridge.
 */
public final class ExecChannelTransport implements BridgeTransport {
    private final ClientSession session;
    private final String command;
    private volatile BridgeChannel channel;
    private volatile boolean closed;

    public ExecChannelTransport(ClientSession session, String command) {
        this.session = session;
        this.command = command;
    }

    /**
     * The exec channel with its incoming data routed to our events. MINA calls these hooks one packet at a time, in
     * order, after counting the packet against the local window.
     */
    private static final class BridgeChannel extends ChannelExec {
        private final Events events;

        BridgeChannel(String command, Events events) {
            super(command, null, Collections.emptyMap());
            this.events = events;
        }

        @Override
        protected void doWriteData(byte[] data, int off, long len) throws IOException {
            if (isClosing()) {
                return;
            }
            events.stdout(data, off, (int) len);
        }

        @Override
        protected void doWriteExtendedData(byte[] data, int off, long len) throws IOException {
            if (isClosing()) {
                return;
            }
            try {
                events.stderr(data, off, (int) len);
            } finally {
                getLocalWindow().release(len);
            }
        }

        @Override
        public void handleEof() throws IOException {
            super.handleEof();
            events.stdoutEnd(null);
        }
    }

    @Override
    public void open(Events events) {
        try {
            channel = new BridgeChannel(command, events);
            // as ClientSession.createExecChannel does, with our channel class
            session.getService(ConnectionService.class).registerChannel(channel);
            // stdin through the asynchronous stream; stdout and stderr never reach MINA's streams (see BridgeChannel)
            channel.setStreaming(StreamingChannel.Streaming.Async);
            channel.open().addListener(f -> {
                if (!f.isOpened()) {
                    Throwable e = f.getException();
                    events.openFailed(e == null ? "channel open failed" : e.getMessage());
                    close();
                    return;
                }
                channel.addCloseFutureListener(c -> {
                    closed = true;
                    events.closed();
                });
                events.opened();
            });
        } catch (IOException | RuntimeException e) {
            events.openFailed(e.getMessage());
            close();
        }
    }

    @Override
    public void consumed(int n) {
        if (closed || n <= 0) {
            return;
        }
        try {
            channel.getLocalWindow().release(n);
        } catch (IOException | RuntimeException e) {
            // the channel is closing: nothing more will arrive anyway
        }
    }

    @Override
    public void write(byte[] data, int offset, int length, Consumer<Boolean> done) {
        try {
            channel.getAsyncIn().writeBuffer(new ByteArrayBuffer(data, offset, length))
                    .addListener(f -> done.accept(f.isWritten()));
        } catch (IOException | RuntimeException e) {
            done.accept(false);
        }
    }

    @Override
    public void shutdownInput() {
        try {
            channel.getAsyncIn().close(false);
        } catch (RuntimeException e) {
            // already closing
        }
    }

    @Override
    public void close() {
        closed = true;
        if (channel != null) {
            channel.close(true);
        }
        session.close(true);
    }

    @Override
    public boolean connectionOpen() {
        return session.isOpen();
    }

    @Override
    public Integer exitStatus() {
        return channel == null ? null : channel.getExitStatus();
    }

    @Override
    public String exitSignal() {
        return channel == null ? null : channel.getExitSignal();
    }
}
