package io.cockpitwsjava.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * A raw HTTP/1.1 + WebSocket client for protocol tests: sees reason phrases, every header, and each WebSocket
 * message with its frame type.
 */
public final class GatewayClient implements AutoCloseable {
    private final Vertx vertx = Vertx.vertx();
    private final HttpClient http;
    private final io.vertx.core.http.WebSocketClient webSockets;
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
        HttpClientOptions options = new HttpClientOptions().setDefaultHost(host).setDefaultPort(port)
                .setMaxWebSocketMessageSize(64 * 1024 * 1024).setMaxWebSocketFrameSize(16 * 1024 * 1024);
        var socketOptions = new io.vertx.core.http.WebSocketClientOptions()
                .setMaxMessageSize(64 * 1024 * 1024).setMaxFrameSize(16 * 1024 * 1024);
        if (localAddress != null) {
            options.setLocalAddress(localAddress);
            socketOptions.setLocalAddress(localAddress);
        }
        this.http = vertx.createHttpClient(options);
        this.webSockets = vertx.createWebSocketClient(socketOptions);
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

    /** One WebSocket connection with its received messages queued. */
    public static final class Socket implements AutoCloseable {
        private final WebSocket ws;
        final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
        volatile Short closeCode;
        volatile String closeReason;

        Socket(WebSocket ws) {
            this.ws = ws;
            ws.textMessageHandler(t -> messages.add(new Message(false, t.getBytes(StandardCharsets.UTF_8))));
            ws.binaryMessageHandler(b -> messages.add(new Message(true, b.getBytes())));
            ws.closeHandler(v -> {
                closeCode = ws.closeStatusCode();
                closeReason = ws.closeReason();
            });
        }

        public String subprotocol() {
            return ws.subProtocol();
        }

        public void send(String text) {
            ws.writeTextMessage(text).toCompletionStage().toCompletableFuture().join();
        }

        /**
         * Sends without waiting longer than {@code timeout} for the bytes to leave: false when the gateway stopped
         * reading (back-pressure); the message then stays queued in this client.
         */
        public boolean trySend(String text, Duration timeout) throws InterruptedException {
            try {
                ws.writeTextMessage(text).toCompletionStage().toCompletableFuture()
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return true;
            } catch (java.util.concurrent.TimeoutException e) {
                return false;
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("send failed", e.getCause());
            }
        }

        public void sendBinary(byte[] data) {
            ws.writeBinaryMessage(io.vertx.core.buffer.Buffer.buffer(data)).toCompletionStage().toCompletableFuture().join();
        }

        /** Next message, or null after the timeout. */
        public Message next(Duration timeout) throws InterruptedException {
            return messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** Waits for a message whose text contains {@code needle}; fails after the timeout. */
        public Message await(String needle, Duration timeout) throws InterruptedException {
            long end = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < end) {
                Message m = messages.poll(Math.max(1, (end - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
                if (m != null && m.text().contains(needle)) {
                    return m;
                }
            }
            throw new AssertionError("no message containing " + needle + " within " + timeout);
        }

        /** Waits until the socket is closed; returns the close code (null if still open). */
        public Short awaitClose(Duration timeout) throws InterruptedException {
            long end = System.nanoTime() + timeout.toNanos();
            while (closeCode == null && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            return closeCode;
        }

        public String closeReason() {
            return closeReason;
        }

        public boolean isClosed() {
            return ws.isClosed();
        }

        @Override
        public void close() {
            if (!ws.isClosed()) {
                ws.close();
            }
        }
    }

    /** Opens a WebSocket; returns the socket or throws with the handshake failure (e.g. 403). */
    public Socket socket(String path, String origin, String cookie) {
        WebSocketConnectOptions o = new WebSocketConnectOptions().setHost(host).setPort(port).setURI(path)
                .addSubProtocol("cockpit1");
        if (origin != null) {
            o.addHeader("Origin", origin);
        }
        o.setAllowOriginHeader(origin != null);
        if (cookie != null) {
            o.addHeader("Cookie", cookie);
        }
        // handlers are installed before connecting, so the gateway's first message (sent right after the
        // handshake) cannot arrive before anyone listens
        io.vertx.core.http.ClientWebSocket ws = webSockets.webSocket();
        Socket socket = new Socket(ws);
        ws.connect(o).toCompletionStage().toCompletableFuture().join();
        return socket;
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
        webSockets.close();
        http.close();
        vertx.close();
    }
}
