package io.cockpitwsjava.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A plain TCP connection to the gateway for what an HTTP client library will not do: half-sent heads, trickling. */
final class RawConnection implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    RawConnection(String host, int port) throws IOException {
        socket = new Socket(host, port);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    void send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Reads until the server has sent {@code needle} (or closes, or the timeout passes); returns what came. */
    String readUntil(String needle, Duration timeout) throws IOException {
        return readUntil(needle, 1, timeout);
    }

    /** Reads until {@code needle} occurs {@code times} times in all that was received. */
    String readUntil(String needle, int times, Duration timeout) throws IOException {
        long end = System.nanoTime() + timeout.toNanos();
        while (count(received(), needle) < times && System.nanoTime() < end) {
            if (readSome(Math.max(1, (end - System.nanoTime()) / 1_000_000)) < 0) {
                break;
            }
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    /** Whether the server closed the connection within {@code timeout} (end of stream or reset). */
    boolean closedWithin(Duration timeout) throws IOException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (readSome(Math.max(1, (end - System.nanoTime()) / 1_000_000)) < 0) {
                return true;
            }
        }
        return false;
    }

    /** -1 once the server closed; else the number of bytes read (0 on timeout). */
    private int readSome(long millis) throws IOException {
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, millis));
        byte[] buf = new byte[4096];
        try {
            int n = in.read(buf);
            if (n > 0) {
                received.write(buf, 0, n);
            }
            return n < 0 ? -1 : n;
        } catch (SocketTimeoutException e) {
            return 0;
        } catch (SocketException e) {
            // reset by the server
            return -1;
        }
    }

    static int count(String text, String needle) {
        return text.split(java.util.regex.Pattern.quote(needle), -1).length - 1;
    }

    String received() {
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
