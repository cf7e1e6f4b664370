package io.cockpitwsjava.bridge;

import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * A {@link BridgeTransport} in memory, for unit tests of the relay without SSH or root: the test plays the bridge
 * ({@link #bridgeWrites}) and reads what the gateway wrote to its stdin ({@link #stdin()}). Stdout is pushed with a
 * window, as over SSH: at most {@link #window()} bytes are delivered and not yet {@link #consumed}; the rest waits here
 * (and a chunk is split at the window's edge, as sshd does). Deliveries happen on the thread that wrote or that gave
 * window back, one at a time. Writes complete at once unless {@link #holdWrites()} is on, then the test completes them
 * ({@link #completeWrites}).
 */
public final class InMemoryTransport implements BridgeTransport {
    /** MINA's default channel window. */
    public static final int DEFAULT_WINDOW = 2 * 1024 * 1024;
    private static final byte[] END = new byte[0];

    private final int window;
    private Events events;
    private final Deque<byte[]> stdout = new ArrayDeque<>();
    /** Offset into the head of {@link #stdout} already delivered (a chunk split at the window's edge). */
    private int headOffset;
    private long unconsumed;
    private long maxUnconsumed;
    private long deliveredBytes;
    private boolean delivering;
    private final ByteArrayOutputStream stdin = new ByteArrayOutputStream();
    private boolean holdWrites;
    private final Deque<Consumer<Boolean>> heldWrites = new ArrayDeque<>();
    private boolean inputShut;
    private boolean closed;
    private volatile boolean connectionOpen = true;
    private Integer exitStatus;
    private String exitSignal;

    public InMemoryTransport() {
        this(DEFAULT_WINDOW);
    }

    public InMemoryTransport(int window) {
        this.window = window;
    }

    @Override
    public void open(Events e) {
        this.events = e;
        e.opened();
    }

    /**
     * From now on a bridge thread writes the chunks of {@code chunks} (null = end of stdout) as fast as the window
     * lets it, like a real bridge blocked on a full pipe.
     */
    public void streamStdout(java.util.function.Supplier<byte[]> chunks) {
        Thread t = Thread.ofPlatform().daemon().name("in-memory-bridge").unstarted(() -> {
            try {
                while (true) {
                    synchronized (this) {
                        // a real bridge blocks on its pipe while sshd has no window left to send
                        while (!closed && (!stdout.isEmpty() || unconsumed >= window)) {
                            wait();
                        }
                        if (closed) {
                            return;
                        }
                    }
                    byte[] chunk = chunks.get();
                    if (chunk == null) {
                        bridgeEndsStdout();
                        return;
                    }
                    bridgeWrites(chunk);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();
    }

    /** The bridge writes to its stdout; delivered now as far as the window allows, the rest when it is given back. */
    public void bridgeWrites(byte[] data) {
        synchronized (this) {
            if (data.length > 0) {
                stdout.add(data);
            }
        }
        deliver();
    }

    /** The bridge closes its stdout (reported after everything written before). */
    public void bridgeEndsStdout() {
        synchronized (this) {
            stdout.add(END);
        }
        deliver();
    }

    /** Delivers what the window allows; one delivering thread at a time, which loops until nothing more fits. */
    private void deliver() {
        while (true) {
            byte[] chunk;
            synchronized (this) {
                if (delivering || closed || stdout.isEmpty()) {
                    return;
                }
                byte[] head = stdout.peek();
                if (head == END) {
                    stdout.poll();
                    chunk = END;
                } else {
                    int room = (int) Math.min(Integer.MAX_VALUE, window - unconsumed);
                    if (room <= 0) {
                        return;
                    }
                    int n = Math.min(room, head.length - headOffset);
                    chunk = Arrays.copyOfRange(head, headOffset, headOffset + n);
                    headOffset += n;
                    if (headOffset == head.length) {
                        stdout.poll();
                        headOffset = 0;
                    }
                    unconsumed += n;
                    maxUnconsumed = Math.max(maxUnconsumed, unconsumed);
                    deliveredBytes += n;
                }
                delivering = true;
            }
            try {
                if (chunk == END) {
                    events.stdoutEnd(null);
                } else {
                    events.stdout(chunk, 0, chunk.length);
                }
            } finally {
                synchronized (this) {
                    delivering = false;
                    notifyAll();
                }
            }
        }
    }

    @Override
    public void consumed(int n) {
        synchronized (this) {
            if (n < 0 || n > unconsumed) {
                throw new IllegalStateException("consumed " + n + " of " + unconsumed + " unconsumed bytes");
            }
            unconsumed -= n;
            notifyAll();
        }
        deliver();
    }

    /** The window: stdout bytes delivered and not yet consumed never exceed it. */
    public int window() {
        return window;
    }

    /** The bridge writes to stderr. */
    public void bridgeWritesStderr(byte[] data) {
        events.stderr(data, 0, data.length);
    }

    /** The bridge process ends (with the connection up or down). */
    public void bridgeExits(Integer status, String signal, boolean connectionStillOpen) {
        synchronized (this) {
            exitStatus = status;
            exitSignal = signal;
            connectionOpen = connectionStillOpen;
        }
        events.closed();
    }

    /** Stdout bytes delivered and not yet given back. */
    public synchronized long unconsumed() {
        return unconsumed;
    }

    /** The most stdout bytes that were ever delivered and not given back at once. */
    public synchronized long maxUnconsumed() {
        return maxUnconsumed;
    }

    /** Stdout bytes delivered so far. */
    public synchronized long deliveredBytes() {
        return deliveredBytes;
    }

    /** Stdout bytes written by the bridge and not yet delivered (waiting for window). */
    public synchronized long waitingBytes() {
        long n = -headOffset;
        for (byte[] b : stdout) {
            n += b.length;
        }
        return n;
    }

    public synchronized byte[] stdin() {
        return stdin.toByteArray();
    }

    public synchronized void clearStdin() {
        stdin.reset();
    }

    public synchronized void holdWrites() {
        holdWrites = true;
    }

    /** Completes up to {@code n} held writes (successfully); returns how many were completed. */
    public int completeWrites(int n) {
        int done = 0;
        while (done < n) {
            Consumer<Boolean> cb;
            synchronized (this) {
                cb = heldWrites.poll();
                if (cb == null) {
                    holdWrites = false;
                    break;
                }
            }
            cb.accept(true);
            done++;
        }
        return done;
    }

    public synchronized int heldWrites() {
        return heldWrites.size();
    }

    @Override
    public void write(byte[] data, int offset, int length, Consumer<Boolean> done) {
        boolean now;
        synchronized (this) {
            if (closed) {
                now = true;
            } else {
                stdin.write(data, offset, length);
                now = !holdWrites;
                if (!now) {
                    heldWrites.add(done);
                }
            }
        }
        if (now) {
            done.accept(!isClosed());
        }
    }

    @Override
    public synchronized void shutdownInput() {
        inputShut = true;
    }

    public synchronized boolean inputShut() {
        return inputShut;
    }

    @Override
    public synchronized void close() {
        closed = true;
        notifyAll();
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    @Override
    public boolean connectionOpen() {
        return connectionOpen;
    }

    @Override
    public synchronized Integer exitStatus() {
        return exitStatus;
    }

    @Override
    public synchronized String exitSignal() {
        return exitSignal;
    }
}
