package io.cockpitwsjava.bridge;

import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * A {@link BridgeTransport} in memory, for unit tests of the relay without SSH or root: the test plays the bridge
 * ({@link #bridgeWrites}) and reads what the gateway wrote to its stdin ({@link #stdin()}). Stdout is pull-based as
 * in production: a chunk is delivered only when the connection asked for one. Writes complete at once unless
 * {@link #holdWrites()} is on, then the test completes them ({@link #completeWrites}).
 */
public final class InMemoryTransport implements BridgeTransport {
    private Events events;
    /** When set, every stdout read is answered from here on a separate thread (null = end of stdout). */
    private java.util.function.Supplier<byte[]> source;
    private final java.util.concurrent.ExecutorService pump = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "in-memory-bridge");
        t.setDaemon(true);
        return t;
    });
    private final Deque<byte[]> stdout = new ArrayDeque<>();
    private boolean readWanted;
    private int readRequests;
    private final ByteArrayOutputStream stdin = new ByteArrayOutputStream();
    private boolean holdWrites;
    private final Deque<Consumer<Boolean>> heldWrites = new ArrayDeque<>();
    private boolean inputShut;
    private boolean closed;
    private volatile boolean connectionOpen = true;
    private Integer exitStatus;
    private String exitSignal;

    @Override
    public void open(Events e) {
        this.events = e;
        e.opened();
    }

    /** From now on, answer each read with the next chunk of {@code chunks} (asynchronously, like a real pipe). */
    public synchronized void streamStdout(java.util.function.Supplier<byte[]> chunks) {
        source = chunks;
        if (readWanted) {
            readWanted = false;
            pump.execute(this::pumpOne);
        }
    }

    private void pumpOne() {
        byte[] chunk = source.get();
        deliver(chunk == null ? new byte[0] : chunk);
    }

    @Override
    public void readStdout() {
        synchronized (this) {
            if (source != null) {
                readRequests++;
                pump.execute(this::pumpOne);
                return;
            }
        }
        byte[] chunk;
        synchronized (this) {
            readRequests++;
            chunk = stdout.poll();
            if (chunk == null) {
                readWanted = true;
                return;
            }
        }
        deliver(chunk);
    }

    private void deliver(byte[] chunk) {
        if (chunk.length == 0) {
            events.stdoutEnd(null);
        } else {
            events.stdout(chunk, 0, chunk.length);
        }
    }

    /** The bridge writes to its stdout; delivered now if a read is outstanding, else queued. */
    public void bridgeWrites(byte[] data) {
        boolean now;
        synchronized (this) {
            now = readWanted;
            if (now) {
                readWanted = false;
            } else {
                stdout.add(data);
            }
        }
        if (now) {
            deliver(data);
        }
    }

    /** The bridge closes its stdout. */
    public void bridgeEndsStdout() {
        bridgeWrites(new byte[0]);
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

    public synchronized int readRequests() {
        return readRequests;
    }

    /** Whether a stdout read is outstanding and unanswered. */
    public synchronized boolean readWanted() {
        return readWanted;
    }

    public synchronized int queuedStdoutChunks() {
        return stdout.size();
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
        pump.shutdown();
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
