package io.cockpitwsjava.bridge;

import java.io.IOException;
import java.util.function.Consumer;

import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.channel.StreamingChannel;
import org.apache.sshd.common.io.IoInputStream;
import org.apache.sshd.common.io.IoReadFuture;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * {@link BridgeTransport} over an SSH exec channel with MINA's asynchronous streams: one read of stdout outstanding at
 * a time (so MINA's channel window throttles the target while the gateway does not read), stderr drained for the
 * channel's whole life. Closing the transport closes the SSH session too: one connection per bridge.
 */
public final class ExecChannelTransport implements BridgeTransport {
    private static final int ERR_CHUNK = 8 * 1024;

    private final ClientSession session;
    private final String command;
    private ChannelExec channel;
    private Events events;
    private volatile boolean closed;
    /** Reused by every stdout read (one outstanding at a time). */
    private final StdoutBuffer stdoutBuffer = new StdoutBuffer();

    public ExecChannelTransport(ClientSession session, String command) {
        this.session = session;
        this.command = command;
    }

    @Override
    public void open(Events events) {
        this.events = events;
        try {
            channel = session.createExecChannel(command);
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
                readErr(channel.getAsyncErr());
                events.opened();
            });
        } catch (IOException | RuntimeException e) {
            events.openFailed(e.getMessage());
            close();
        }
    }

    @Override
    public void readStdout() {
        IoInputStream out = channel.getAsyncOut();
        try {
            out.read(stdoutBuffer.next()).addListener(this::onStdout);
        } catch (RuntimeException e) {
            events.stdoutEnd(e);
        }
    }

    private void onStdout(IoReadFuture f) {
        int n;
        try {
            n = f.getRead();
        } catch (RuntimeException e) {
            events.stdoutEnd(e);
            return;
        }
        if (n < 0) {
            events.stdoutEnd(null);
            return;
        }
        Buffer b = f.getBuffer();
        stdoutBuffer.filled(n);
        events.stdout(b.array(), b.rpos(), b.available());
    }

    private void readErr(IoInputStream err) {
        Buffer buf = new ByteArrayBuffer(ERR_CHUNK, false);
        try {
            err.read(buf).addListener(f -> {
                int n;
                try {
                    n = f.getRead();
                } catch (RuntimeException e) {
                    return;
                }
                if (n < 0) {
                    return;
                }
                Buffer b = f.getBuffer();
                events.stderr(b.array(), b.rpos(), b.available());
                if (!closed) {
                    readErr(err);
                }
            });
        } catch (RuntimeException e) {
            // channel closing; nothing more to drain
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
