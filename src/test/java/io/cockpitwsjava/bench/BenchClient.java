package io.cockpitwsjava.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * What a browser does against a gateway, minus the browser: the Basic login of login.js and the {@code cockpit1}
 * WebSocket of cockpit.js (init exchange, channel pongs for flow control), with stream bytes counted instead of
 * kept.
 */
final class BenchClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(60);

    private final Vertx vertx = Vertx.vertx();
    private final HttpClient http;
    private final int port;

    BenchClient(int port) {
        this.port = port;
        this.http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
                .setMaxPoolSize(8).setMaxWebSockets(1000)
                .setMaxWebSocketMessageSize(64 * 1024 * 1024).setMaxWebSocketFrameSize(16 * 1024 * 1024));
    }

    String origin() {
        return "http://127.0.0.1:" + port;
    }

    /** A logged-in session. */
    record Login(String cookie, String csrf) {
    }

    /** A login that did not answer 200. */
    static final class LoginFailed extends RuntimeException {
        LoginFailed(int status, String reason, String body) {
            super("login answered " + status + " " + reason + ": " + body);
        }
    }

    static String basic(String user, String password, String knownHosts) {
        String raw = user + ":" + password + "\0" + knownHosts;
        return "Basic " + Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code GET <app>/login} with Basic credentials (known_hosts after the NUL); returns on 200, else throws. */
    Login login(String app, String authorization) {
        RequestOptions o = new RequestOptions().setMethod(HttpMethod.GET).setURI(app + "/login").setTimeout(WAIT.toMillis())
                .putHeader("Authorization", authorization).putHeader("X-Superuser", "none");
        record Answer(int status, String reason, String setCookie, String body) {
        }
        Answer a = http.request(o).compose(req -> req.send().compose(resp -> resp.body().map(body -> new Answer(
                resp.statusCode(), resp.statusMessage(), resp.getHeader("Set-Cookie"), body.toString()))))
                .toCompletionStage().toCompletableFuture().join();
        if (a.status() != 200) {
            throw new LoginFailed(a.status(), a.reason(), a.body());
        }
        try {
            String csrf = JSON.readTree(a.body()).path("csrf-token").asText();
            return new Login(a.setCookie().substring(0, a.setCookie().indexOf(';')), csrf);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("login answer is not JSON: " + a.body(), e);
        }
    }

    /** Opens {@code <app>/socket}, waits for the gateway's init and answers it, as cockpit.js does. */
    Socket socket(String app, Login login) throws InterruptedException {
        WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
                .setURI(app + "/socket").addSubProtocol("cockpit1").addHeader("Origin", origin())
                .addHeader("Cookie", login.cookie()).setAllowOriginHeader(true).setTimeout(WAIT.toMillis());
        Socket s = http.webSocket(o).map(Socket::new).toCompletionStage().toCompletableFuture().join();
        String init = s.await(t -> t.startsWith("\n") && t.contains("\"init\""), WAIT);
        try {
            JsonNode json = JSON.readTree(init.substring(1));
            if (json.has("problem")) {
                throw new IllegalStateException("socket init problem: " + init);
            }
            s.channelSeed = json.path("channel-seed").asText("1:");
        } catch (java.io.IOException e) {
            throw new IllegalStateException("bad init: " + init, e);
        }
        s.send("\n{\"command\":\"init\",\"version\":1}");
        return s;
    }

    /** One {@code cockpit1} WebSocket. Text messages are queued; binary data of registered channels is only counted. */
    static final class Socket implements AutoCloseable {
        private final WebSocket ws;
        private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        private final Map<String, LongAdder> counted = new ConcurrentHashMap<>();
        private final CompletableFuture<Short> closed = new CompletableFuture<>();
        private String channelSeed;

        Socket(WebSocket ws) {
            this.ws = ws;
            ws.textMessageHandler(this::onText);
            ws.binaryMessageHandler(this::onBinary);
            ws.closeHandler(v -> closed.complete(ws.closeStatusCode()));
            ws.exceptionHandler(e -> closed.complete((short) -1));
        }

        private void onText(String text) {
            if (text.startsWith("\n{\"command\":\"ping\"}")) {
                return; // the gateway's keep-alive
            }
            if (text.startsWith("\n") && text.contains("\"ping\"")) {
                try {
                    JsonNode m = JSON.readTree(text.substring(1));
                    if ("ping".equals(m.path("command").asText()) && m.has("channel")) {
                        // cockpit.js answers a channel ping (flow control) with the same message as pong
                        ((ObjectNode) m).put("command", "pong");
                        ws.writeTextMessage("\n" + m);
                        return;
                    }
                } catch (java.io.IOException e) {
                    // not ours to judge: queue it
                }
            }
            texts.add(text);
        }

        private void onBinary(Buffer b) {
            int nl = -1;
            for (int i = 0; i < Math.min(b.length(), 64); i++) {
                if (b.getByte(i) == '\n') {
                    nl = i;
                    break;
                }
            }
            LongAdder counter = nl < 0 ? null : counted.get(b.getString(0, nl));
            if (counter != null) {
                counter.add(b.length() - nl - 1);
            } else {
                texts.add(b.toString(StandardCharsets.UTF_8));
            }
        }

        /** The channel id prefix the gateway assigned to this socket (e.g. {@code 1:}). */
        String channel(int n) {
            return channelSeed + n;
        }

        void send(String text) {
            ws.writeTextMessage(text);
        }

        /** Counts binary data arriving on {@code channel} instead of queueing it. */
        LongAdder count(String channel) {
            return counted.computeIfAbsent(channel, c -> new LongAdder());
        }

        /** The next text message matching, dropping others; throws after the timeout. */
        String await(Predicate<String> wanted, Duration timeout) throws InterruptedException {
            long end = System.nanoTime() + timeout.toNanos();
            while (true) {
                long left = end - System.nanoTime();
                String t = left <= 0 ? null : texts.poll(left, TimeUnit.NANOSECONDS);
                if (t == null) {
                    throw new IllegalStateException("no expected message within " + timeout
                            + (closed.isDone() ? " (socket closed " + closed.getNow(null) + ")" : ""));
                }
                if (wanted.test(t)) {
                    return t;
                }
            }
        }

        /** Next queued text message (any), or null. */
        String poll(Duration timeout) throws InterruptedException {
            return texts.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }

        /** Sends cockpit.logout(): {@code {"command":"logout","disconnect":true}}, waits for the close. */
        Short logout(Duration timeout) {
            send("\n{\"command\":\"logout\",\"disconnect\":true}");
            try {
                return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                close();
                return null;
            }
        }

        boolean isClosed() {
            return closed.isDone();
        }

        @Override
        public void close() {
            if (!ws.isClosed()) {
                ws.close();
            }
        }
    }

    @Override
    public void close() {
        http.close();
        vertx.close();
    }
}
