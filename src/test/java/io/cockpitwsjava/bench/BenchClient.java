package io.cockpitwsjava.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a browser does against a gateway, minus the browser: the Basic login of login.js and the {@code cockpit1}
 * WebSocket of cockpit.js (init exchange, channel pongs for flow control), with stream bytes counted instead of
 * kept. Connections come from several loopback source addresses (one JDK {@link HttpClient} per address), so a
 * gateway's per-client-address limits see many clients rather than one; a session's login and its WebSocket always
 * use the same address.
 *
 * <p>The JDK's WebSocket client, not Vert.x's: its listener is given before the handshake and messages are
 * delivered on demand, so the gateway's {@code init} — sent right after the handshake, often in the same TCP
 * segment as the 101 answer — cannot be lost. (Vert.x 4.5's client creates the WebSocket, which can fire frames
 * already read, before it pauses it for the application's handlers; under load about one login in a few hundred
 * lost its init that way.)
 */
final class BenchClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(60);

    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "bench-client");
        t.setDaemon(true);
        return t;
    });
    private final List<Endpoint> endpoints = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    private final int port;

    /** The HTTP client bound to one source address. */
    private record Endpoint(String source, HttpClient http) {
    }

    /** A client of the gateway on 127.0.0.1:{@code port}, connecting from {@code sourceAddresses} in turn. */
    BenchClient(int port, List<String> sourceAddresses) {
        this.port = port;
        for (String source : sourceAddresses) {
            try {
                endpoints.add(new Endpoint(source, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .localAddress(InetAddress.getByName(source)).connectTimeout(WAIT)
                        .followRedirects(HttpClient.Redirect.NEVER).executor(executor).build()));
            } catch (IOException e) {
                throw new IllegalArgumentException("bad source address " + source, e);
            }
        }
    }

    String origin() {
        return "http://127.0.0.1:" + port;
    }

    /** A logged-in session: its cookie and the source address it logged in from. */
    record Login(String cookie, String csrf, int endpoint) {
    }

    /** A login that did not answer 200. */
    static final class LoginFailed extends RuntimeException {
        LoginFailed(int status, String body) {
            super("login answered " + status + ": " + body);
        }
    }

    static String basic(String user, String password, String knownHosts) {
        String raw = user + ":" + password + "\0" + knownHosts;
        return "Basic " + Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@code GET <app>/login} with Basic credentials (known_hosts after the NUL) from the next source address in
     * turn; returns on 200, else throws.
     */
    Login login(String app, String authorization) {
        return login(app, "Authorization", authorization);
    }

    /**
     * {@code GET <app>/login} with one credential header ({@code Authorization}, or {@code Cookie} for a login by
     * identity with the gateway sign-in cookie); returns on 200, else throws.
     */
    Login login(String app, String header, String value) {
        int e = Math.floorMod(next.getAndIncrement(), endpoints.size());
        HttpRequest request = HttpRequest.newBuilder(URI.create(origin() + app + "/login")).timeout(WAIT)
                .header(header, value).header("X-Superuser", "none").GET().build();
        HttpResponse<String> a;
        try {
            a = endpoints.get(e).http().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException ex) {
            throw new IllegalStateException("login request failed: " + ex, ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
        if (a.statusCode() != 200) {
            throw new LoginFailed(a.statusCode(), a.body());
        }
        String setCookie = a.headers().firstValue("Set-Cookie").orElseThrow(
                () -> new IllegalStateException("login answered 200 without a cookie"));
        try {
            String csrf = JSON.readTree(a.body()).path("csrf-token").asText();
            return new Login(setCookie.substring(0, setCookie.indexOf(';')), csrf, e);
        } catch (IOException ex) {
            throw new IllegalStateException("login answer is not JSON: " + a.body(), ex);
        }
    }

    /** Opens {@code <app>/socket}, waits for the gateway's init and answers it, as cockpit.js does. */
    Socket socket(String app, Login login) throws InterruptedException {
        Socket s = new Socket();
        Endpoint endpoint = endpoints.get(login.endpoint());
        try {
            endpoint.http().newWebSocketBuilder().subprotocols("cockpit1").header("Origin", origin())
                    .header("Cookie", login.cookie()).connectTimeout(WAIT)
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + app + "/socket"), s.listener)
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("WebSocket handshake failed: " + e.getCause(), e);
        }
        String init;
        try {
            init = s.await(t -> t.startsWith("\n") && t.contains("\"init\""), WAIT);
        } catch (IllegalStateException e) {
            s.close();
            throw new IllegalStateException("no init on the WebSocket of a login from " + endpoint.source() + " within "
                    + WAIT + " (" + s.received + " messages received, first: " + s.firstTexts + ", socket "
                    + (s.isClosed() ? "closed " + s.closeCode() : "open") + ")", e);
        }
        try {
            JsonNode json = JSON.readTree(init.substring(1));
            if (json.has("problem")) {
                throw new IllegalStateException("socket init problem: " + init);
            }
            s.channelSeed = json.path("channel-seed").asText("1:");
        } catch (IOException e) {
            throw new IllegalStateException("bad init: " + init, e);
        }
        s.send("\n{\"command\":\"init\",\"version\":1}");
        return s;
    }

    /** A text message and when it arrived ({@link System#nanoTime()} in the client's listener). */
    record Received(String text, long nanos) {
    }

    /** One {@code cockpit1} WebSocket. Text messages are queued; binary data of registered channels is only counted. */
    static final class Socket implements AutoCloseable {
        private final BlockingQueue<Received> texts = new LinkedBlockingQueue<>();
        private final Map<String, LongAdder> counted = new ConcurrentHashMap<>();
        private final CompletableFuture<Short> closed = new CompletableFuture<>();
        private final Listener listener = new Listener();
        /** The first few text messages, abbreviated, for failure messages. */
        private final List<String> firstTexts = Collections.synchronizedList(new ArrayList<>());
        private volatile Link link;
        private volatile int received;
        // the JDK's WebSocket allows one outstanding send: every send waits for the one before
        private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);
        private String channelSeed;

        /** What carries the socket's messages: the gateway's WebSocket, or a bridge's stdin ({@link DirectBridge}). */
        interface Link {
            /** Sends one text message; completes when the next may be sent. */
            CompletionStage<?> sendText(String text);

            /** Drops the connection at once. */
            void abort();
        }

        /** A socket on a WebSocket the listener gets once it is open. */
        Socket() {
        }

        /**
         * A socket on another transport: its messages are given by {@link #deliver} and {@link #counter}, and
         * {@link #closedWith} ends it; {@code seed} is the channel id prefix.
         */
        Socket(Link link, String seed) {
            this.link = link;
            this.channelSeed = seed;
        }

        /** Gets every message as it comes (demand of one message at a time, requested again after each). */
        private final class Listener implements WebSocket.Listener {
            private final StringBuilder text = new StringBuilder();
            /** The start of a binary message until its channel is known; null once it is. */
            private java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
            /** The binary message being received: its counter (null = not counted, kept and queued as text). */
            private LongAdder binaryCounter;
            private java.io.ByteArrayOutputStream binaryUncounted;

            @Override
            public void onOpen(WebSocket webSocket) {
                link = new Link() {
                    @Override
                    public CompletionStage<?> sendText(String text) {
                        return webSocket.sendText(text, true);
                    }

                    @Override
                    public void abort() {
                        webSocket.abort();
                    }
                };
                webSocket.request(1);
            }

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    String t = text.toString();
                    text.setLength(0);
                    onMessage(t, System.nanoTime());
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                if (head != null) {
                    // "<channel>\n<payload>": the channel decides whether the payload is only counted; a message
                    // may come in pieces, so the channel prefix may end in a later piece than the first
                    while (data.hasRemaining() && head != null) {
                        byte b = data.get();
                        head.write(b);
                        if (b == '\n' || head.size() >= 64) {
                            String prefix = head.toString(StandardCharsets.UTF_8);
                            binaryCounter = b == '\n' ? counted.get(prefix.substring(0, prefix.length() - 1)) : null;
                            if (binaryCounter == null) {
                                binaryUncounted = head;
                            }
                            head = null;
                        }
                    }
                }
                if (head == null) {
                    if (binaryCounter != null) {
                        binaryCounter.add(data.remaining());
                    } else {
                        byte[] b = new byte[data.remaining()];
                        data.get(b);
                        binaryUncounted.writeBytes(b);
                    }
                }
                if (last) {
                    if (binaryCounter == null) {
                        java.io.ByteArrayOutputStream all = head != null ? head : binaryUncounted;
                        texts.add(new Received(all.toString(StandardCharsets.UTF_8), System.nanoTime()));
                    }
                    head = new java.io.ByteArrayOutputStream();
                    binaryCounter = null;
                    binaryUncounted = null;
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed.complete((short) statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closed.complete((short) -1);
            }
        }

        private void onMessage(String text, long now) {
            received++;
            if (firstTexts.size() < 3) {
                firstTexts.add(text.length() > 80 ? text.substring(0, 80) + "…" : text);
            }
            if (text.startsWith("\n{\"command\":\"ping\"}")) {
                return; // the gateway's keep-alive
            }
            if (text.startsWith("\n") && text.contains("\"ping\"")) {
                try {
                    JsonNode m = JSON.readTree(text.substring(1));
                    if ("ping".equals(m.path("command").asText()) && m.has("channel")) {
                        // cockpit.js answers a channel ping (flow control) with the same message as pong
                        ((ObjectNode) m).put("command", "pong");
                        send("\n" + m);
                        return;
                    }
                } catch (IOException e) {
                    // not ours to judge: queue it
                }
            }
            texts.add(new Received(text, now));
        }

        /** A text message that arrived at {@code nanos} on a transport other than the WebSocket. */
        void deliver(String text, long nanos) {
            onMessage(text, nanos);
        }

        /** The counter of a channel whose data is only counted, or null. */
        LongAdder counter(String channel) {
            return counted.get(channel);
        }

        /** The transport ended with {@code code}. */
        void closedWith(short code) {
            closed.complete(code);
        }

        /** The channel id {@code n} in the id space the gateway assigned to this socket (e.g. {@code 1:n}). */
        String channel(int n) {
            return channelSeed + n;
        }

        /** Queues a text message; messages go out in order, one after the other. */
        void send(String text) {
            synchronized (this) {
                sending = sending.handle((v, e) -> null).thenCompose(v -> closed.isDone()
                        ? CompletableFuture.completedFuture(null) : link.sendText(text).toCompletableFuture());
            }
        }

        /** Counts binary data arriving on {@code channel} instead of queueing it. */
        LongAdder count(String channel) {
            return counted.computeIfAbsent(channel, c -> new LongAdder());
        }

        /** Stops counting {@code channel} (after its close), so a long-lived socket keeps no per-channel state. */
        void forget(String channel) {
            counted.remove(channel);
        }

        /** The next text message matching, dropping others; throws after the timeout. */
        String await(Predicate<String> wanted, Duration timeout) throws InterruptedException {
            return awaitTimed(wanted, timeout).text();
        }

        /** The next text message matching, with its arrival time, dropping others; throws after the timeout. */
        Received awaitTimed(Predicate<String> wanted, Duration timeout) throws InterruptedException {
            long end = System.nanoTime() + timeout.toNanos();
            while (true) {
                long left = end - System.nanoTime();
                Received r = left <= 0 ? null : texts.poll(left, TimeUnit.NANOSECONDS);
                if (r == null) {
                    throw new IllegalStateException("no expected message within " + timeout
                            + (closed.isDone() ? " (socket closed " + closed.getNow(null) + ")" : ""));
                }
                if (wanted.test(r.text())) {
                    return r;
                }
            }
        }

        /** Sends cockpit.logout(): {@code {"command":"logout","disconnect":true}}, waits for the close. */
        Short logout(Duration timeout) {
            send("\n{\"command\":\"logout\",\"disconnect\":true}");
            Short code = awaitClosed(timeout);
            if (code == null) {
                close();
            }
            return code;
        }

        /** The close code once closed within {@code timeout}; null if still open. */
        Short awaitClosed(Duration timeout) {
            try {
                return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                return null;
            }
        }

        boolean isClosed() {
            return closed.isDone();
        }

        /** The close code if the socket is closed (-1 after a transport error), else null. */
        Short closeCode() {
            return closed.getNow(null);
        }

        @Override
        public void close() {
            Link w = link;
            if (w != null && !closed.isDone()) {
                w.abort();
                closed.complete((short) -2);
            }
        }
    }

    @Override
    public void close() {
        for (Endpoint e : endpoints) {
            e.http().shutdownNow();
        }
        executor.shutdownNow();
    }
}
