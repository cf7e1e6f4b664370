package io.cockpitwsjava.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback port where no SSH server answers, in the ways a port scan tells apart: {@link #closed()} (refused at
 * once), {@link #filtered()} (SYNs dropped: the accept queue is full, so the kernel never answers — what a firewall
 * DROP looks like), {@link #silent()} (the handshake completes, then not a byte), {@link #notSsh()} (an HTTP-like
 * server that answers garbage and hangs up). Only 127.0.0.1 is used.
 */
public final class DeadEndPort implements AutoCloseable {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final int port;
    private final ServerSocket server;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Thread acceptor;

    private DeadEndPort(int port, ServerSocket server, Thread acceptor) {
        this.port = port;
        this.server = server;
        this.acceptor = acceptor;
    }

    /** A port nothing listens on (bound and released again: refused). */
    public static DeadEndPort closed() {
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            return new DeadEndPort(s.getLocalPort(), null, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A listener that is never accepted from and whose queue is full: connection attempts get no answer at all. */
    public static DeadEndPort filtered() {
        try {
            ServerSocket s = new ServerSocket(0, 1, LOOPBACK); // accept queue: backlog + 1 = 2 connections
            DeadEndPort p = new DeadEndPort(s.getLocalPort(), s, null);
            for (int i = 0; i < 4; i++) {
                SocketChannel c = SocketChannel.open();
                c.configureBlocking(false);
                c.connect(new InetSocketAddress(LOOPBACK, p.port));
                p.resources.add(c);
            }
            p.awaitFiltered();
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A listener that completes the TCP handshake (kernel backlog) and then never sends or reads a byte. */
    public static DeadEndPort silent() {
        try {
            ServerSocket s = new ServerSocket(0, 50, LOOPBACK);
            return new DeadEndPort(s.getLocalPort(), s, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A server that is not SSH: it answers every connection with an HTTP error and closes it. */
    public static DeadEndPort notSsh() {
        try {
            ServerSocket s = new ServerSocket(0, 50, LOOPBACK);
            Thread t = Thread.ofVirtual().name("not-ssh-" + s.getLocalPort()).start(() -> {
                while (!s.isClosed()) {
                    try (Socket c = s.accept(); OutputStream out = c.getOutputStream()) {
                        out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    } catch (IOException e) {
                        // closed or the client went away: next one
                    }
                }
            });
            return new DeadEndPort(s.getLocalPort(), s, t);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** Waits until a fresh connection attempt goes unanswered (the queue filled up). */
    private void awaitFiltered() throws IOException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < end) {
            try (Socket probe = new Socket()) {
                // still accepted into the queue, which now holds one more (closing it does not free the slot)
                probe.connect(new InetSocketAddress(LOOPBACK, port), 300);
            } catch (SocketTimeoutException expected) {
                return;
            }
        }
        throw new IllegalStateException("port " + port + " still answers connection attempts");
    }

    @Override
    public void close() {
        if (acceptor != null) {
            acceptor.interrupt();
        }
        for (AutoCloseable c : resources) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
        if (server != null) {
            try {
                server.close();
            } catch (IOException ignored) {
                // best effort
            }
        }
    }
}
