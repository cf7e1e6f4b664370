package io.cockpitwsjava.testing;

import java.net.URI;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * A raw HTTP/1.1 + WebSocket client for protocol tests: sees reason phrases, every header, and each WebSocket
 * message with its frame type.
 */
public final class GatewayClient implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private final Vertx vertx = Vertx.vertx();
    private final HttpClient http;
    private final java.net.http.HttpClient webSockets;
    private final String host;
    private final int port;

    public GatewayClient(String host, int port) {
        this(host, port, null);
    }

    /**
     * A client whose connections leave from {@code localAddress} (e.g. {@code 127.0.0.2}: every 127/8 address is on
     * the loopback interface), so the gateway sees a different client address; null = the system's choice.
     */
    public GatewayClient(String host, int port, String localAddress) {
        this.host = host;
        this.port = port;
        HttpClientOptions options = new HttpClientOptions().setDefaultHost(host).setDefaultPort(port);
        if (localAddress != null) {
            options.setLocalAddress(localAddress);
        }
        this.http = vertx.createHttpClient(options);
        var webSocketClient = java.net.http.HttpClient.newBuilder().connectTimeout(WAIT);
        if (localAddress != null) {
            try {
                webSocketClient.localAddress(java.net.InetAddress.getByName(localAddress));
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException(localAddress, e);
            }
        }
        this.webSockets = webSocketClient.build();
    }

    /** The Origin the gateway expects by default. */
    public String origin() {
        return "http://" + host + ":" + port;
    }

    public record Response(int status, String reason, MultiMap headers, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return headers.get(name);
        }

        public List<String> all(String name) {
            return headers.getAll(name);
        }
    }

    public Response get(String path, Map<String, String> headers) {
        return request(HttpMethod.GET, path, headers);
    }

    /** A GET that does not wait: for requests that a broken target might never answer. */
    public java.util.concurrent.CompletableFuture<Response> getAsync(String path, Map<String, String> headers) {
        RequestOptions o = new RequestOptions().setMethod(HttpMethod.GET).setURI(path).setTimeout(60_000);
        headers.forEach(o::putHeader);
        return http.request(o).compose(req -> req.send().compose(resp -> resp.body().map(body -> new Response(
                resp.statusCode(), resp.statusMessage(), resp.headers(), body.getBytes()))))
                .toCompletionStage().toCompletableFuture();
    }

    public Response request(HttpMethod method, String path, Map<String, String> headers) {
        RequestOptions o = new RequestOptions().setMethod(method).setURI(path).setTimeout(60_000);
        headers.forEach(o::putHeader);
        return http.request(o).compose(req -> req.send().compose(resp -> resp.body().map(body -> new Response(
                resp.statusCode(), resp.statusMessage(), resp.headers(), body.getBytes()))))
                .toCompletionStage().toCompletableFuture().join();
    }

    /** Authorization header as login.js builds it. */
    public static String basic(String user, String password, String knownHosts) {
        String raw = user + ":" + password + "\0" + (knownHosts == null ? "" : knownHosts);
        return "Basic " + Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    public static String conversation(String id, String answer) {
        return "X-Conversation " + id + " " + Base64.getEncoder().encodeToString(answer.getBytes(StandardCharsets.UTF_8));
    }

    /** Cookie header value from a Set-Cookie header. */
    public static String cookieOf(String setCookie) {
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    public record Message(boolean binary, byte[] data) {
        public String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    /**
     * One WebSocket connection with its received messages queued. It is the JDK's client: its listener is given
     * before the handshake, so the gateway's first message (sent right after it) always has a receiver. Vert.x 4.5's
     * client lost that message about once in 500 connections under load: the gateway had sent it (a raw-socket client
     * saw it every time in 12 000 connections), but it arrived before the client's handlers were attached.
     */
    public static final class Socket implements AutoCloseable {
        final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
        private final CompletableFuture<Void> inputClosed = new CompletableFuture<>();
        private volatile WebSocket ws;
        volatile Short closeCode;
        volatile String closeReason;
        /** The JDK's WebSocket allows one outstanding send: each send starts after the one before it. */
        private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);

        private final WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();
            private final java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();

            @Override
            public void onOpen(WebSocket webSocket) {
                ws = webSocket;
                webSocket.request(1);
            }

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    messages.add(new Message(false, text.toString().getBytes(StandardCharsets.UTF_8)));
                    text.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                byte[] b = new byte[data.remaining()];
                data.get(b);
                binary.writeBytes(b);
                if (last) {
                    messages.add(new Message(true, binary.toByteArray()));
                    binary.reset();
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                // no status in the close frame: the JDK reports 1005, as Vert.x did
                closeReason = reason;
                closeCode = (short) statusCode;
                inputClosed.complete(null);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                // a connection that drops without a close frame: 1006, as the browser reports it
                if (closeCode == null) {
                    closeReason = String.valueOf(error.getMessage());
                    closeCode = 1006;
                }
                inputClosed.complete(null);
            }
        };

        public String subprotocol() {
            return ws.getSubprotocol();
        }

        private synchronized CompletableFuture<?> enqueue(java.util.function.Function<WebSocket, CompletableFuture<WebSocket>> send) {
            sending = sending.handle((v, e) -> null).thenCompose(v -> send.apply(ws));
            return sending;
        }

        private static void join(CompletableFuture<?> f) {
            try {
                f.join();
            } catch (java.util.concurrent.CompletionException e) {
                throw new IllegalStateException("send failed: " + e.getCause(), e.getCause());
            }
        }

        public void send(String text) {
            join(enqueue(w -> w.sendText(text, true)));
        }

        /**
         * Sends without waiting longer than {@code timeout} for the bytes to leave: false when the gateway stopped
         * reading (back-pressure); the message then stays queued in this client.
         */
        public boolean trySend(String text, Duration timeout) throws InterruptedException {
            try {
                enqueue(w -> w.sendText(text, true)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return true;
            } catch (java.util.concurrent.TimeoutException e) {
                return false;
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("send failed", e.getCause());
            }
        }

        public void sendBinary(byte[] data) {
            join(enqueue(w -> w.sendBinary(ByteBuffer.wrap(data), true)));
        }

        /** Next message, or null after the timeout. */
        public Message next(Duration timeout) throws InterruptedException {
            return messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** Waits for a message whose text contains {@code needle}; fails after the timeout, saying what came. */
        public Message await(String needle, Duration timeout) throws InterruptedException {
            long end = System.nanoTime() + timeout.toNanos();
            int seen = 0;
            String first = null;
            while (System.nanoTime() < end) {
                Message m = messages.poll(Math.max(1, (end - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
                if (m != null && m.text().contains(needle)) {
                    return m;
                }
                if (m != null && seen++ == 0) {
                    first = m.text().length() > 200 ? m.text().substring(0, 200) + "…" : m.text();
                }
            }
            throw new AssertionError("no message containing " + needle + " within " + timeout + " (" + seen
                    + " other messages" + (first == null ? "" : ", the first: " + first) + "; socket "
                    + (closeCode == null ? "open" : "closed with " + closeCode + " " + closeReason) + ")");
        }

        /** Waits until the socket is closed; returns the close code (null if still open). */
        public Short awaitClose(Duration timeout) throws InterruptedException {
            try {
                inputClosed.get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                // still open
            }
            return closeCode;
        }

        public String closeReason() {
            return closeReason;
        }

        public boolean isClosed() {
            WebSocket w = ws;
            return closeCode != null || w.isInputClosed() || w.isOutputClosed();
        }

        /** Sends a normal close (1000) unless the socket is closed already; does not wait for the answer. */
        @Override
        public void close() {
            WebSocket w = ws;
            if (!w.isOutputClosed() && closeCode == null) {
                enqueue(x -> x.sendClose(WebSocket.NORMAL_CLOSURE, ""));
            }
        }
    }

    /** Opens a WebSocket; returns the socket or throws with the handshake failure (e.g. 403). */
    public Socket socket(String path, String origin, String cookie) {
        WebSocket.Builder b = webSockets.newWebSocketBuilder().subprotocols("cockpit1").connectTimeout(WAIT);
        if (origin != null) {
            b.header("Origin", origin);
        }
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        Socket socket = new Socket();
        try {
            // onOpen sets it too, but the JDK does not promise that it runs before the future completes
            socket.ws = b.buildAsync(URI.create("ws://" + hostForUri() + ":" + port + path), socket.listener).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during the WebSocket handshake", e);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof WebSocketHandshakeException h) {
                throw new IllegalStateException("WebSocket handshake failed: " + h.getResponse().statusCode(), h);
            }
            throw new IllegalStateException("WebSocket handshake failed: " + cause, cause);
        }
        return socket;
    }

    private String hostForUri() {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    public static Map<String, String> headers(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Override
    public void close() {
        // connections still open are dropped, as a browser tab that goes away does
        webSockets.shutdownNow();
        http.close();
        vertx.close();
    }
}
