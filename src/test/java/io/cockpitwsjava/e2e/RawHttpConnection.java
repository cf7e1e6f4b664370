package io.cockpitwsjava.e2e;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One TCP connection to 127.0.0.1 that speaks HTTP/1.1 (and the first steps of a WebSocket) by hand, so a test can
 * send exactly the bytes it means, malformed ones included, and check that every answer is well-formed: a status
 * line, token-named headers, and a body delimited by Content-Length, chunks or the end of the connection.
 */
final class RawHttpConnection implements AutoCloseable {

    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] (\\d{3}) ([\\x20-\\x7e\\x80-\\xff]*)");
    private static final Pattern HEADER = Pattern.compile("([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \\t]*(.*?)[ \\t]*");
    private static final int MAX_HEAD = 64 * 1024;

    /** A response, read completely. */
    record Response(int status, String reason, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null ? null : v.get(0);
        }

        /** Whether the server said it closes the connection after this response. */
        boolean closes() {
            String c = header("connection");
            return c != null && c.toLowerCase(Locale.ROOT).contains("close");
        }
    }

    /** The answer does not follow HTTP/1.1. */
    static final class MalformedResponse extends IOException {
        private static final long serialVersionUID = 1L;

        MalformedResponse(String message) {
            super(message);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawHttpConnection(int port, int timeoutMillis) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(timeoutMillis);
        socket.setTcpNoDelay(true);
        in = new java.io.BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void send(String ascii) throws IOException {
        send(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Reads one response; {@code head} for a response to HEAD (headers only). */
    Response read(boolean head) throws IOException {
        String statusLine = line();
        Matcher m = STATUS_LINE.matcher(statusLine);
        if (!m.matches()) {
            throw new MalformedResponse("bad status line: " + statusLine);
        }
        int status = Integer.parseInt(m.group(1));
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String h = line(); !h.isEmpty(); h = line()) {
            Matcher hm = HEADER.matcher(h);
            if (!hm.matches()) {
                throw new MalformedResponse("bad header line: " + h);
            }
            headers.computeIfAbsent(hm.group(1).toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(hm.group(2));
        }
        Response shell = new Response(status, m.group(2), headers, new byte[0]);
        if (head || status / 100 == 1 || status == 204 || status == 304) {
            return shell;
        }
        String te = shell.header("transfer-encoding");
        String cl = shell.header("content-length");
        byte[] body;
        if (te != null && te.equalsIgnoreCase("chunked")) {
            body = chunked();
        } else if (cl != null) {
            if (!cl.matches("\\d{1,12}") || headers.get("content-length").size() != 1) {
                throw new MalformedResponse("bad Content-Length: " + headers.get("content-length"));
            }
            body = in.readNBytes(Integer.parseInt(cl));
            if (body.length != Integer.parseInt(cl)) {
                throw new MalformedResponse("body shorter than its Content-Length");
            }
        } else if (shell.closes()) {
            body = in.readAllBytes();
        } else {
            throw new MalformedResponse("no body length and no Connection: close (status " + status + ")");
        }
        return new Response(status, m.group(2), headers, body);
    }

    private byte[] chunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line();
            int semi = size.indexOf(';');
            int n;
            try {
                n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).strip(), 16);
            } catch (NumberFormatException e) {
                throw new MalformedResponse("bad chunk size: " + size);
            }
            if (n == 0) {
                while (!line().isEmpty()) {
                    // trailers
                }
                return body.toByteArray();
            }
            byte[] chunk = in.readNBytes(n);
            if (chunk.length != n || !line().isEmpty()) {
                throw new MalformedResponse("bad chunk");
            }
            body.writeBytes(chunk);
        }
    }

    /** One CRLF-terminated line (bare LF is not HTTP/1.1 from a server). */
    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("connection closed " + (b.size() == 0 ? "before a response" : "inside a line"));
            }
            if (c == '\n') {
                byte[] l = b.toByteArray();
                if (l.length == 0 || l[l.length - 1] != '\r') {
                    throw new MalformedResponse("line not ended by CRLF");
                }
                return new String(l, 0, l.length - 1, StandardCharsets.ISO_8859_1);
            }
            b.write(c);
            if (b.size() > MAX_HEAD) {
                throw new MalformedResponse("line longer than " + MAX_HEAD);
            }
        }
    }

    /** One WebSocket frame from the server: opcode and payload (servers never mask). */
    record Frame(int opcode, byte[] payload) {
        /** The close code of a close frame, or -1. */
        int closeCode() {
            return opcode == 8 && payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
        }
    }

    Frame readFrame() throws IOException {
        int b0 = in.read();
        int b1 = in.read();
        if (b0 < 0 || b1 < 0) {
            throw new EOFException("connection closed before a frame");
        }
        if ((b1 & 0x80) != 0) {
            throw new MalformedResponse("masked frame from the server");
        }
        long len = b1 & 0x7f;
        if (len == 126) {
            len = ((in.read() & 0xff) << 8) | (in.read() & 0xff);
        } else if (len == 127) {
            len = 0;
            for (int i = 0; i < 8; i++) {
                len = (len << 8) | (in.read() & 0xff);
            }
        }
        if (len > 1 << 20) {
            throw new MalformedResponse("frame of " + len + " bytes");
        }
        byte[] payload = in.readNBytes((int) len);
        if (payload.length != len) {
            throw new EOFException("connection closed inside a frame");
        }
        return new Frame(b0 & 0x0f, payload);
    }

    /** Whether the server has closed the connection: reads (and drops) until the end, up to the socket timeout. */
    boolean drainsToEnd() throws IOException {
        try {
            byte[] buf = new byte[4096];
            while (in.read(buf) >= 0) {
                // discard
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        }
    }

    /** A masked client frame (RFC 6455 §5.3). */
    static byte[] clientFrame(int opcode, byte[] payload, byte[] mask) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(0x80 | opcode);
        if (payload.length < 126) {
            f.write(0x80 | payload.length);
        } else {
            f.write(0x80 | 126);
            f.write(payload.length >>> 8);
            f.write(payload.length);
        }
        f.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            f.write(payload[i] ^ mask[i % 4]);
        }
        return f.toByteArray();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a socket the server may have closed first
        }
    }
}
