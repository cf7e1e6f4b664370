package io.cockpitwsjava.bridge;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.channel.StreamingChannel;
import org.apache.sshd.common.io.IoInputStream;
import org.apache.sshd.common.io.IoOutputStream;
import org.apache.sshd.common.io.IoReadFuture;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.jboss.logging.Logger;

import io.cockpitwsjava.beiboot.BootFailure;
import io.cockpitwsjava.beiboot.BootSequence;
import io.cockpitwsjava.beiboot.FernyStderrParser;
import io.cockpitwsjava.protocol.ControlMessage;
import io.cockpitwsjava.protocol.Frame;
import io.cockpitwsjava.protocol.FrameDecoder;
import io.cockpitwsjava.protocol.FrameEncoder;
import io.cockpitwsjava.protocol.Limits;
import io.cockpitwsjava.protocol.ProtocolException;

/**
 * One running Cockpit bridge on an SSH exec channel: boots it (stage 1, payload on request), waits for its
 * {@code init}, then relays frames asynchronously. Reading stdout stops while the owner asks for it
 * (browser back-pressure), which lets the SSH window throttle the target; writes go through one queue.
 */
public final class BridgeConnection {
    private static final Logger LOG = Logger.getLogger(BridgeConnection.class);
    private static final int READ_CHUNK = 64 * 1024;
    /** Above this many queued bytes towards the bridge, {@link #writable()} turns false. */
    static final long WRITE_HIGH_WATER = 1024 * 1024;
    private static final Duration EXIT_GRACE = Duration.ofSeconds(5);

    /** Receives what the bridge says after its init. Called on MINA threads, in order. */
    public interface Listener {
        void onFrame(Frame frame);

        /** Once, when the bridge is gone: problem is {@code terminated}, {@code disconnected}, {@code protocol-error}... */
        void onClosed(String problem, String message);

        /** The write queue fell below the high-water mark again. */
        default void onWritable() {
        }
    }

    /** The bridge's init and what the boot learned about the target. */
    public record Started(BridgeConnection bridge, ControlMessage init, boolean beibootMode,
            Map<String, Boolean> existingFiles) {
    }

    private final ClientSession session;
    private final ChannelExec channel;
    private final BootSequence boot;
    private final String name;
    private final FrameDecoder decoder = new FrameDecoder(Limits.DEFAULT_MAX_FRAME_BYTES_READ);
    private final FernyStderrParser ferny;
    private final CompletableFuture<Started> started = new CompletableFuture<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong bytesOut = new AtomicLong();

    private final Object writeLock = new Object();
    private final ArrayDeque<byte[]> writeQueue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean writing;

    private final Object readLock = new Object();
    private boolean readPaused;
    private boolean readPending;
    private final List<Frame> early = new ArrayList<>();
    private volatile Listener listener;
    private volatile boolean initSeen;

    private BridgeConnection(ClientSession session, ChannelExec channel, BootSequence boot, String name) {
        this.session = session;
        this.channel = channel;
        this.boot = boot;
        this.name = name;
        this.ferny = new FernyStderrParser(this::onFernyCommand, 64 * 1024);
    }

    /**
     * Opens {@code python3 -ic '# cockpit-bridge'} on the session and boots the bridge. The future completes with
     * the bridge's init, or fails with a {@link BridgeFailure}; on failure the SSH session is closed.
     */
    public static CompletableFuture<Started> start(ClientSession session, BootSequence boot, Duration timeout, String name) {
        ChannelExec channel;
        try {
            channel = session.createExecChannel(boot.remoteCommand());
        } catch (IOException e) {
            session.close(true);
            return CompletableFuture.failedFuture(new BridgeFailure("disconnected", e.getMessage(), null));
        }
        channel.setStreaming(StreamingChannel.Streaming.Async);
        BridgeConnection bridge = new BridgeConnection(session, channel, boot, name);
        bridge.open(timeout);
        return bridge.started;
    }

    private void open(Duration timeout) {
        started.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((ok, err) -> {
            if (err != null) {
                Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
                if (cause instanceof TimeoutException) {
                    LOG.infof("bridge %s: no init within %s", name, timeout);
                }
                closeNow();
            }
        });
        try {
            channel.open().addListener(f -> {
                if (!f.isOpened()) {
                    Throwable e = f.getException();
                    fail(new BridgeFailure("disconnected", e == null ? "channel open failed" : e.getMessage(), null));
                    return;
                }
                channel.addCloseFutureListener(c -> onChannelClosed());
                write(boot.stage1());
                readErr(channel.getAsyncErr());
                synchronized (readLock) {
                    readPending = true;
                }
                readOut();
            });
        } catch (IOException e) {
            fail(new BridgeFailure("disconnected", e.getMessage(), null));
        }
    }

    // ---------------------------------------------------------------- boot

    private void onFernyCommand(String command, List<Object> args) {
        if (initSeen) {
            return;
        }
        BootSequence.Decision d = boot.onCommand(command, args);
        if (d instanceof BootSequence.Decision.SendPayload p) {
            write(p.bytes());
        } else if (d instanceof BootSequence.Decision.Abort a) {
            BootFailure bf = a.failure();
            fail(new BridgeFailure(bf.problem(), bf.message(), bf.extraFields()));
        }
    }

    private void fail(BridgeFailure failure) {
        if (started.completeExceptionally(failure)) {
            LOG.debugf("bridge %s failed to start: %s", name, failure.problem());
        }
        closeNow();
    }

    // ---------------------------------------------------------------- reading

    private void readOut() {
        IoInputStream out = channel.getAsyncOut();
        Buffer buf = new ByteArrayBuffer(READ_CHUNK, false);
        try {
            out.read(buf).addListener(this::onOutRead);
        } catch (RuntimeException e) {
            onStreamEnd(e);
        }
    }

    private void onOutRead(IoReadFuture f) {
        int n;
        try {
            n = f.getRead();
        } catch (RuntimeException e) {
            onStreamEnd(e);
            return;
        }
        if (n < 0) {
            onStreamEnd(null);
            return;
        }
        Buffer buf = f.getBuffer();
        bytesIn.addAndGet(n);
        try {
            decoder.feed(ByteBuffer.wrap(buf.array(), buf.rpos(), buf.available()), this::onFrame);
        } catch (ProtocolException e) {
            LOG.infof("bridge %s: %s", name, e.getMessage());
            if (!started.isDone()) {
                fail(new BridgeFailure("protocol-error", e.getMessage(), null));
            } else {
                terminate("protocol-error", e.getMessage());
            }
            return;
        }
        boolean next;
        synchronized (readLock) {
            next = !readPaused && !closed.get();
            readPending = next;
        }
        if (next) {
            readOut();
        }
    }

    private void onFrame(Frame frame) {
        if (!initSeen) {
            handleFirstFrame(frame);
            return;
        }
        Listener l = listener;
        if (l == null) {
            synchronized (early) {
                if (listener == null) {
                    early.add(frame);
                    return;
                }
            }
            l = listener;
        }
        l.onFrame(frame);
    }

    private void handleFirstFrame(Frame frame) {
        if (!frame.isControl()) {
            fail(new BridgeFailure("protocol-error", "bridge sent data before init", null));
            return;
        }
        ControlMessage init;
        try {
            init = ControlMessage.parse(frame.payload());
        } catch (ProtocolException e) {
            fail(new BridgeFailure("protocol-error", "bridge sent invalid JSON before init", null));
            return;
        }
        if (!"init".equals(init.command())) {
            fail(new BridgeFailure("protocol-error", "bridge sent " + init.command() + " before init", null));
            return;
        }
        var problem = init.string("problem");
        if (problem.isPresent()) {
            fail(new BridgeFailure(problem.get(), init.string("message").orElse(null), null));
            return;
        }
        initSeen = true;
        ferny.stopCommands();
        started.complete(new Started(this, init, boot.beibootMode(), boot.existingFiles()));
    }

    private void readErr(IoInputStream err) {
        Buffer buf = new ByteArrayBuffer(8 * 1024, false);
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
                if (initSeen && LOG.isDebugEnabled()) {
                    LOG.debugf("bridge %s stderr: %s", name,
                            new String(b.array(), b.rpos(), b.available(), StandardCharsets.UTF_8).strip());
                }
                ferny.feed(b.array(), b.rpos(), b.available());
                if (!closed.get()) {
                    readErr(err);
                }
            });
        } catch (RuntimeException e) {
            // channel closing; nothing more to drain
        }
    }

    private void onStreamEnd(Throwable error) {
        if (!started.isDone()) {
            // exit before init: wait for the exit status, mapped in onChannelClosed
            closeSoon();
            return;
        }
        terminate(session.isOpen() ? "terminated" : "disconnected", null);
    }

    private void onChannelClosed() {
        if (!started.isDone()) {
            BootFailure bf = boot.onExitBeforeInit(channel.getExitStatus(), channel.getExitSignal(), ferny.textTail());
            fail(new BridgeFailure(bf.problem(), bf.message(), bf.extraFields()));
            return;
        }
        terminate(session.isOpen() ? "terminated" : "disconnected", null);
    }

    private void terminate(String problem, String message) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        LOG.debugf("bridge %s closed: %s", name, problem);
        channel.close(true);
        session.close(true);
        Listener l;
        synchronized (early) {
            l = listener;
            if (l == null) {
                pendingClose = new String[] { problem, message };
            }
        }
        if (l != null) {
            l.onClosed(problem, message);
        }
    }

    private String[] pendingClose;

    // ---------------------------------------------------------------- after init

    /** Starts delivering frames (and the close) to the listener; frames read meanwhile are delivered first. */
    public void attach(Listener l) {
        String[] pc;
        List<Frame> queued;
        synchronized (early) {
            queued = new ArrayList<>(early);
            early.clear();
        }
        for (Frame f : queued) {
            l.onFrame(f);
        }
        synchronized (early) {
            // frames that raced in while we replayed
            while (!early.isEmpty()) {
                l.onFrame(early.remove(0));
            }
            listener = l;
            pc = pendingClose;
        }
        if (pc != null) {
            l.onClosed(pc[0], pc[1]);
        }
    }

    /** Stops or resumes reading the bridge's stdout (browser back-pressure). */
    public void setReadPaused(boolean paused) {
        boolean resume;
        synchronized (readLock) {
            readPaused = paused;
            resume = !paused && !readPending && !closed.get();
            if (resume) {
                readPending = true;
            }
        }
        if (resume) {
            readOut();
        }
    }

    /** Sends one frame. */
    public void send(String channelId, byte[] payload) {
        write(FrameEncoder.encode(channelId, payload));
    }

    /** Sends one frame with a slice of a buffer as payload. */
    public void send(String channelId, byte[] payload, int off, int len) {
        write(FrameEncoder.encode(channelId, payload, off, len));
    }

    /** Sends one control message. */
    public void send(ControlMessage msg) {
        write(FrameEncoder.encodeControl(msg));
    }

    /** Whether the queue towards the bridge is below the high-water mark. */
    public boolean writable() {
        synchronized (writeLock) {
            return queuedBytes < WRITE_HIGH_WATER;
        }
    }

    public long bytesFromBridge() {
        return bytesIn.get();
    }

    public long bytesToBridge() {
        return bytesOut.get();
    }

    public boolean isOpen() {
        return !closed.get();
    }

    private void write(byte[] data) {
        synchronized (writeLock) {
            if (closed.get()) {
                return;
            }
            writeQueue.add(data);
            queuedBytes += data.length;
            if (writing) {
                return;
            }
            writing = true;
        }
        writeNext();
    }

    private void writeNext() {
        byte[] data;
        synchronized (writeLock) {
            data = writeQueue.peek();
            if (data == null || closed.get()) {
                writing = false;
                return;
            }
        }
        IoOutputStream in = channel.getAsyncIn();
        try {
            in.writeBuffer(new ByteArrayBuffer(data)).addListener(f -> {
                if (!f.isWritten()) {
                    synchronized (writeLock) {
                        writing = false;
                        writeQueue.clear();
                        queuedBytes = 0;
                    }
                    return;
                }
                boolean wasFull;
                boolean nowWritable;
                synchronized (writeLock) {
                    writeQueue.poll();
                    wasFull = queuedBytes >= WRITE_HIGH_WATER;
                    queuedBytes -= data.length;
                    nowWritable = queuedBytes < WRITE_HIGH_WATER;
                }
                bytesOut.addAndGet(data.length);
                Listener l = listener;
                if (wasFull && nowWritable && l != null) {
                    l.onWritable();
                }
                writeNext();
            });
        } catch (IOException | RuntimeException e) {
            synchronized (writeLock) {
                writing = false;
            }
            LOG.debugf("bridge %s: write failed: %s", name, e.getMessage());
        }
    }

    // ---------------------------------------------------------------- shutdown

    /** Orderly shutdown: EOF on stdin (the bridge closes its channels and exits), hard close after a grace period. */
    public void close() {
        if (closed.get()) {
            return;
        }
        try {
            channel.getAsyncIn().close(false);
        } catch (RuntimeException e) {
            // already closing
        }
        closeSoon();
    }

    private void closeSoon() {
        CompletableFuture.delayedExecutor(EXIT_GRACE.toMillis(), TimeUnit.MILLISECONDS).execute(this::closeNow);
    }

    private void closeNow() {
        channel.close(true);
        session.close(true);
        if (started.isDone() && !started.isCompletedExceptionally()) {
            terminate("terminated", null);
        }
    }

    @Override
    public String toString() {
        return "BridgeConnection[" + name + "]";
    }
}
