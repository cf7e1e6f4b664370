package io.cockpitwsjava.e2e;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A WebSocket client on a plain socket, for what a client library hides: sending the upgrade and a close frame in one
 * write, and reading frames at a chosen pace without buffering them (so a slow reader is really slow and the test
 * JVM, which is also the gateway's, holds nothing).
 */
final class RawWebSocket implements AutoCloseable {
    final Socket socket = new Socket();
    private final DataInputStream in;
    private final OutputStream out;

    /** Connects with a small receive buffer, so the gateway feels a slow reader at once. */
    RawWebSocket(String host, int port, int receiveBuffer) throws IOException {
        socket.setReceiveBufferSize(receiveBuffer);
        socket.connect(new InetSocketAddress(host, port));
        socket.setSoTimeout(60_000);
        in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 16 * 1024));
        out = socket.getOutputStream();
    }

    static byte[] upgrade(String host, int port, String path, String cookie) {
        return ("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "Origin: http://" + host + ":" + port + "\r\nCookie: " + cookie + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** A masked close frame with status 1000, as a browser sends it. */
    static byte[] closeFrame() {
        byte[] mask = {0x11, 0x22, 0x33, 0x44};
        byte[] payload = {0x03, (byte) 0xe8};
        return new byte[] {(byte) 0x88, (byte) 0x82, mask[0], mask[1], mask[2], mask[3],
                (byte) (payload[0] ^ mask[0]), (byte) (payload[1] ^ mask[1])};
    }

    void write(byte[]... parts) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            all.writeBytes(p);
        }
        out.write(all.toByteArray());
        out.flush();
    }

    /** Reads the handshake response head; returns its status line. */
    String readHandshake() throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("closed during the handshake: " + head);
            }
            head.append((char) c);
        }
        return head.substring(0, head.indexOf("\r\n"));
    }

    /** One frame's header: opcode and payload length; the payload is still to be read. */
    record Frame(int opcode, long length) {
    }

    Frame nextFrame() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long len = b1 & 0x7f;
        if (len == 126) {
            len = in.readUnsignedShort();
        } else if (len == 127) {
            len = in.readLong();
        }
        if ((b1 & 0x80) != 0) {
            throw new IOException("server frames are not masked");
        }
        return new Frame(b0 & 0x0f, len);
    }

    /** Reads and drops {@code n} payload bytes into {@code buffer}-sized pieces; calls {@code paced} after each. */
    void skip(long n, byte[] buffer, java.util.function.IntConsumer paced) throws IOException {
        while (n > 0) {
            int r = in.read(buffer, 0, (int) Math.min(buffer.length, n));
            if (r < 0) {
                throw new EOFException(n + " payload bytes missing");
            }
            n -= r;
            paced.accept(r);
        }
    }

    byte[] readPayload(long n) throws IOException {
        byte[] b = new byte[(int) n];
        in.readFully(b);
        return b;
    }

    /** Reads until the server closes the connection (or the timeout passes); true if it did. */
    boolean drainUntilClosed(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        byte[] buf = new byte[4096];
        try {
            while (in.read(buf) >= 0) {
                // discard
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
