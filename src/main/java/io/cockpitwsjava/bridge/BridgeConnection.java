package io.cockpitwsjava.bridge;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import io.cockpitwsjava.beiboot.BootFailure;
import io.cockpitwsjava.beiboot.BootSequence;
import io.cockpitwsjava.beiboot.FernyStderrParser;
import io.cockpitwsjava.protocol.ControlMessage;
import io.cockpitwsjava.protocol.Frame;
import io.cockpitwsjava.protocol.FrameDecoder;
import io.cockpitwsjava.protocol.FrameEncoder;
import io.cockpitwsjava.protocol.Limits;
import io.cockpitwsjava.protocol.Problem;
import io.cockpitwsjava.protocol.ProblemException;
import io.cockpitwsjava.protocol.ProtocolException;

/**
 * One running Cockpit bridge on a {@link BridgeTransport}: boots it (stage 1, payload on request), waits for its
 * {@code init}, then relays frames asynchronously. Control messages are parsed once, here; the bridge's own
 * {@code authorize} challenges are answered here with the login password (once). Reading stdout stops while the
 * owner asks for it (browser back-pressure) and between the init and {@link #attach}, which lets the transport
 * throttle the target; writes go through one queue.
 *
 * <p>What a target can make the gateway hold is bounded: frames up to {@link Limits#MAX_FRAME_BYTES_BEFORE_INIT}
 * before the init and up to the configured frame limit after it, buffered only as their bytes arrive; stderr through
 * the {@link FernyStderrParser}'s bounded buffers. A bridge that exceeds a limit ends with {@code protocol-error}.
 */
public final class BridgeConnection {
    private static final Logger LOG = Logger.getLogger(BridgeConnection.class);
    /** Above this many queued bytes towards the bridge, {@link #writable()} turns false. */
    static final long WRITE_HIGH_WATER = 1024 * 1024;
    private static final Duration EXIT_GRACE = Duration.ofSeconds(5);
    /**
     * Runs the hard closes after {@link #EXIT_GRACE}. Cancelled timers leave the queue at once, so a bridge that exits
     * in time is not kept reachable (with its SSH buffers and partial frame) until the grace period is over.
     */
    private static final java.util.concurrent.ScheduledThreadPoolExecutor GRACE_TIMERS = graceTimers();

    private static java.util.concurrent.ScheduledThreadPoolExecutor graceTimers() {
        var timers = new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "bridge-exit-grace");
            t.setDaemon(true);
            return t;
        });
        timers.setRemoveOnCancelPolicy(true);
        return timers;
    }

    /** Receives what the bridge says after its init. Called on transport threads, in order. */
    public interface Listener {
        /** Channel data. */
        void onData(String channel, byte[] payload);

        /** A control message (parsed and validated), except the authorize exchange handled by the connection. */
        void onControl(ControlMessage message);

        /** Once, when the bridge is gone: {@code terminated}, {@code disconnected}, {@code protocol-error}... */
        void onClosed(Problem problem, String message);

        /** The write queue fell below the high-water mark again. */
        default void onWritable() {
        }
    }

    /** The bridge's init and what the boot learned about the target. */
    public record Started(BridgeConnection bridge, ControlMessage init, boolean beibootMode,
            Map<String, Boolean> existingFiles) {

        /** Whether the bridge takes {@code superuser} in the gateway's init (Cockpit ≥ 300 bridges). */
        public boolean explicitSuperuser() {
            return init.node().path("capabilities").path("explicit-superuser").asBoolean(false);
        }
    }

    private final BridgeTransport transport;
    private final BootSequence boot;
    private final String name;
    /**
     * Null once the owner closed the bridge or it ended: what the bridge still says is drained unread, and a partial
     * frame (up to the frame limit) is released at once rather than after the exit grace period. Only the reading
     * thread feeds it; other threads only drop the reference.
     */
    private volatile FrameDecoder decoder;
    /** Frame limit once the init arrived ({@code cockpit.limits.frame-bytes}). */
    private final int maxFrameBytes;
    private final FernyStderrParser ferny;
    private final CompletableFuture<Started> started = new CompletableFuture<>();
    private final CompletableFuture<Void> superuserInitDone = new CompletableFuture<>();
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

    /** Frames and the close that arrive between init and {@link #attach}. */
    private final Object early = new Object();
    private final List<Frame> earlyFrames = new ArrayList<>();
    private Object[] pendingClose;
    private volatile Listener listener;
    private volatile boolean initSeen;

    private final List<Runnable> closeHooks = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile java.util.concurrent.ScheduledFuture<?> graceTimer;

    private final Object credentialLock = new Object();
    private String credentialUser;
    private char[] password;

    private BridgeConnection(BridgeTransport transport, BootSequence boot, String name, int maxFrameBytes) {
        this.transport = transport;
        this.boot = boot;
        this.name = name;
        this.maxFrameBytes = maxFrameBytes;
        // until the init we do not know that a bridge answers at all: only a frame of the init's size is accepted
        this.decoder = new FrameDecoder(Math.min(maxFrameBytes, Limits.MAX_FRAME_BYTES_BEFORE_INIT));
        this.ferny = new FernyStderrParser(this::onFernyCommand, FernyStderrParser.DEFAULT_TEXT_TAIL_BYTES);
    }

    /** {@link #start(BridgeTransport, BootSequence, Duration, String, int)} with the default frame limit. */
    public static CompletableFuture<Started> start(BridgeTransport transport, BootSequence boot, Duration timeout,
            String name) {
        return start(transport, boot, timeout, name, Limits.DEFAULT_MAX_FRAME_BYTES_READ);
    }

    /**
     * Opens the transport and boots the bridge. The future completes with the bridge's init, or fails with a
     * {@link ProblemException}; on failure the transport is closed.
     *
     * @param maxFrameBytes largest frame accepted after the init ({@code cockpit.limits.frame-bytes}); a larger one
     *                      ends the bridge with {@code protocol-error}
     */
    public static CompletableFuture<Started> start(BridgeTransport transport, BootSequence boot, Duration timeout,
            String name, int maxFrameBytes) {
        return start(transport, boot, timeout, name, maxFrameBytes, BufferBudget.UNLIMITED);
    }

    /**
     * {@link #start(BridgeTransport, BootSequence, Duration, String, int)}, with the bridge's large partial frames
     * counted in the gateway's {@code budget}; a bridge that the budget refuses, or that is evicted to make room, ends
     * with {@code too-large}.
     */
    public static CompletableFuture<Started> start(BridgeTransport transport, BootSequence boot, Duration timeout,
            String name, int maxFrameBytes, BufferBudget budget) {
        BridgeConnection bridge = new BridgeConnection(transport, boot, name, maxFrameBytes);
        bridge.decoder.budget(budget.open(name, () -> bridge.terminate(Problem.TOO_LARGE,
                "the gateway's buffer budget for targets is used up")));
        bridge.open(timeout);
        return bridge.started;
    }

    /** Drops the decoder (what the bridge still says is drained unread) and gives back what it counted. */
    private void dropDecoder() {
        FrameDecoder d = decoder;
        decoder = null;
        if (d != null) {
            d.release();
        }
    }

    private void open(Duration timeout) {
        started.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((ok, err) -> {
            if (err != null) {
                if (ProblemException.of(err).getCause() instanceof TimeoutException) {
                    LOG.infof("bridge %s: no init within %s", name, timeout);
                }
                closeNow();
            }
        });
        transport.open(new BridgeTransport.Events() {
            @Override
            public void opened() {
                write(boot.stage1());
                synchronized (readLock) {
                    readPending = true;
                }
                transport.readStdout();
            }

            @Override
            public void openFailed(String why) {
                fail(new ProblemException(Problem.DISCONNECTED, why));
            }

            @Override
            public void stdout(byte[] data, int offset, int length) {
                onStdout(data, offset, length);
            }

            @Override
            public void stdoutEnd(Throwable error) {
                onStreamEnd();
            }

            @Override
            public void stderr(byte[] data, int offset, int length) {
                onStderr(data, offset, length);
            }

            @Override
            public void closed() {
                onTransportClosed();
            }
        });
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
            fail(problemOf(a.failure()));
        }
    }

    private static ProblemException problemOf(BootFailure bf) {
        return new ProblemException(bf.problem(), bf.message(), bf.extraFields(), null, null);
    }

    private void fail(ProblemException failure) {
        if (started.completeExceptionally(failure)) {
            LOG.debugf("bridge %s failed to start: %s", name, failure.problem());
        }
        closeNow();
    }

    // ---------------------------------------------------------------- reading

    private void onStdout(byte[] data, int offset, int length) {
        bytesIn.addAndGet(length);
        FrameDecoder d = decoder;
        try {
            if (d != null) {
                d.feed(ByteBuffer.wrap(data, offset, length), this::onFrame);
            }
        } catch (ProtocolException e) {
            LOG.infof("bridge %s: %s", name, e.getMessage());
            if (!started.isDone()) {
                fail(new ProblemException(e.problem(), e.getMessage()));
            } else {
                terminate(e.problem(), e.getMessage());
            }
            return;
        }
        boolean next;
        synchronized (readLock) {
            // after the init nobody takes frames until attach: read on only then (attach resumes)
            next = !readPaused && !closed.get() && (!initSeen || listener != null);
            readPending = next;
        }
        if (next) {
            transport.readStdout();
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
                    earlyFrames.add(frame);
                    return;
                }
            }
            l = listener;
        }
        deliver(l, frame);
    }

    /** Parses control frames once and keeps the bridge's own authorize exchange here. */
    private void deliver(Listener l, Frame frame) {
        if (!frame.isControl()) {
            l.onData(frame.channel(), frame.payload());
            return;
        }
        ControlMessage msg;
        try {
            msg = ControlMessage.parse(frame.payload());
        } catch (ProtocolException e) {
            LOG.infof("bridge %s sent an invalid control message: %s", name, e.getMessage());
            terminate(Problem.PROTOCOL_ERROR, e.getMessage());
            return;
        }
        if (msg.channel() == null) {
            switch (msg.command()) {
                case "authorize" -> {
                    answerAuthorize(msg);
                    return;
                }
                case "superuser-init-done" -> {
                    wipeCredential();
                    superuserInitDone.complete(null);
                    return;
                }
                default -> {
                }
            }
        }
        l.onControl(msg);
    }

    private void handleFirstFrame(Frame frame) {
        if (!frame.isControl()) {
            fail(new ProblemException(Problem.PROTOCOL_ERROR, "bridge sent data before init"));
            return;
        }
        ControlMessage init;
        try {
            init = ControlMessage.parse(frame.payload());
        } catch (ProtocolException e) {
            fail(new ProblemException(Problem.PROTOCOL_ERROR, "bridge sent invalid JSON before init"));
            return;
        }
        if (!"init".equals(init.command())) {
            fail(new ProblemException(Problem.PROTOCOL_ERROR, "bridge sent " + init.command() + " before init"));
            return;
        }
        var problem = init.string("problem");
        if (problem.isPresent()) {
            Problem p = Problem.fromWire(problem.get()).orElse(Problem.INTERNAL_ERROR);
            fail(new ProblemException(p, init.string("message").orElse(null)));
            return;
        }
        initSeen = true;
        FrameDecoder d = decoder;
        if (d != null) {
            d.setMaxFrameBytes(maxFrameBytes);
        }
        ferny.stopCommands();
        started.complete(new Started(this, init, boot.beibootMode(), boot.existingFiles()));
    }

    private void onStderr(byte[] data, int offset, int length) {
        if (initSeen && LOG.isDebugEnabled()) {
            LOG.debugf("bridge %s stderr: %s", name, new String(data, offset, length, StandardCharsets.UTF_8).strip());
        }
        ferny.feed(data, offset, length);
    }

    private void onStreamEnd() {
        if (!started.isDone()) {
            // exit before init: wait for the exit status, mapped when the transport closes
            closeSoon();
            return;
        }
        terminate(transport.connectionOpen() ? Problem.TERMINATED : Problem.DISCONNECTED, null);
    }

    private void onTransportClosed() {
        if (!started.isDone()) {
            fail(problemOf(boot.onExitBeforeInit(transport.exitStatus(), transport.exitSignal(), ferny.textTail())));
            return;
        }
        terminate(transport.connectionOpen() ? Problem.TERMINATED : Problem.DISCONNECTED, null);
    }

    private void terminate(Problem problem, String message) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        LOG.debugf("bridge %s closed: %s", name, problem);
        dropDecoder();
        var timer = graceTimer;
        if (timer != null) {
            timer.cancel(false);
        }
        wipeCredential();
        transport.close();
        closeHooks.forEach(Runnable::run);
        closeHooks.clear();
        Listener l;
        synchronized (early) {
            l = listener;
            if (l == null) {
                pendingClose = new Object[] { problem, message };
            }
        }
        if (l != null) {
            l.onClosed(problem, message);
        }
    }

    // ---------------------------------------------------------------- after init

    /** Starts delivering frames (and the close) to the listener; frames read meanwhile are delivered first. */
    public void attach(Listener l) {
        Object[] pc;
        List<Frame> queued;
        synchronized (early) {
            queued = new ArrayList<>(earlyFrames);
            earlyFrames.clear();
        }
        for (Frame f : queued) {
            deliver(l, f);
        }
        synchronized (early) {
            // frames that raced in while we replayed
            while (!earlyFrames.isEmpty()) {
                deliver(l, earlyFrames.remove(0));
            }
            listener = l;
            pc = pendingClose;
        }
        if (pc != null) {
            l.onClosed((Problem) pc[0], (String) pc[1]);
            return;
        }
        resumeReading();
    }

    /** Runs {@code hook} once when the bridge has ended (at once if it already has). */
    public void onClose(Runnable hook) {
        closeHooks.add(hook);
        if (closed.get() && closeHooks.remove(hook)) {
            hook.run();
        }
    }

    /** Stops or resumes reading the bridge's stdout (browser back-pressure). */
    public void setReadPaused(boolean paused) {
        synchronized (readLock) {
            readPaused = paused;
        }
        if (!paused) {
            resumeReading();
        }
    }

    /** Asks for the next stdout chunk unless one is outstanding or reading is paused. */
    private void resumeReading() {
        boolean resume;
        synchronized (readLock) {
            resume = !readPaused && !readPending && !closed.get();
            if (resume) {
                readPending = true;
            }
        }
        if (resume) {
            transport.readStdout();
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

    /**
     * Completes when the bridge says it is done starting the superuser bridge of the gateway's init
     * ({@code superuser-init-done}), whether that worked or not; never for a bridge that was not asked to.
     */
    public java.util.concurrent.CompletionStage<Void> superuserInitDone() {
        return superuserInitDone.minimalCompletionStage();
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
        transport.write(data, 0, data.length, ok -> {
            if (!ok) {
                synchronized (writeLock) {
                    writing = false;
                    writeQueue.clear();
                    queuedBytes = 0;
                }
                LOG.debugf("bridge %s: write failed", name);
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
    }

    // ---------------------------------------------------------------- the login password

    /**
     * Keeps the login password to answer the bridge's {@code authorize} challenge once (superuser via sudo). The
     * array is taken over, not copied; it is wiped when used, on {@link #wipeCredential()} and when the bridge ends.
     */
    public void keepCredential(String user, char[] secret) {
        synchronized (credentialLock) {
            wipeLocked();
            credentialUser = user;
            password = secret;
        }
    }

    /** Forgets the password (superuser started, retention expired, logout). */
    public void wipeCredential() {
        synchronized (credentialLock) {
            wipeLocked();
        }
    }

    private void wipeLocked() {
        if (password != null) {
            Arrays.fill(password, '\0');
            password = null;
        }
    }

    /** {@code plain1:<hex user>} gets the password once, {@code basic} a Basic header once, anything else "". */
    private void answerAuthorize(ControlMessage msg) {
        String challenge = msg.string("challenge").orElse("");
        String response = "";
        synchronized (credentialLock) {
            if (password != null) {
                if (challenge.startsWith("plain1:") && subjectMatches(challenge.substring(7))) {
                    response = new String(password);
                    wipeLocked();
                } else if (challenge.equals("basic") || challenge.startsWith("basic:")) {
                    response = "Basic " + java.util.Base64.getEncoder().encodeToString(
                            (credentialUser + ":" + new String(password)).getBytes(StandardCharsets.UTF_8));
                    wipeLocked();
                }
            }
        }
        ControlMessage reply = ControlMessage.of("authorize").with("response", response);
        msg.string("cookie").ifPresent(c -> reply.with("cookie", c));
        msg.string("host").ifPresent(h -> reply.with("host", h));
        send(reply);
    }

    private boolean subjectMatches(String hex) {
        if (hex.isEmpty()) {
            return true;
        }
        HexFormat hf = HexFormat.of();
        String user = credentialUser == null ? "" : credentialUser;
        return hex.equalsIgnoreCase(hf.formatHex(user.getBytes(StandardCharsets.UTF_8)))
                || hex.equalsIgnoreCase(hf.formatHex(user.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8)));
    }

    // ---------------------------------------------------------------- shutdown

    /** Orderly shutdown: EOF on stdin (the bridge closes its channels and exits), hard close after a grace period. */
    public void close() {
        if (closed.get()) {
            return;
        }
        wipeCredential();
        // nobody takes frames any more; keep draining so the bridge can finish writing and exit
        dropDecoder();
        synchronized (early) {
            earlyFrames.clear();
        }
        transport.shutdownInput();
        closeSoon();
    }

    private void closeSoon() {
        graceTimer = GRACE_TIMERS.schedule(this::closeNow, EXIT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void closeNow() {
        var timer = graceTimer;
        if (timer != null) {
            timer.cancel(false);
        }
        transport.close();
        if (started.isDone() && !started.isCompletedExceptionally()) {
            terminate(Problem.TERMINATED, null);
        }
    }

    @Override
    public String toString() {
        return "BridgeConnection[" + name + "]";
    }
}
