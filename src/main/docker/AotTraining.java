import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The training workload of the image's AOT cache: run once during the image build (a single-file program,
 * {@code java AotTraining.java ...}, with the build stage's full JDK) against the gateway started with
 * {@code -XX:AOTCacheOutput} and two sshd targets on loopback inside the build. It does what the first users of a
 * fresh gateway do — the login page, password logins on a target with an installed bridge and on one with only
 * python3 (beiboot), the WebSocket {@code init} exchange, echo round trips, one flow-controlled stream — so the
 * classes of those paths are loaded and linked ahead of time and their methods come with profiles (JDK 25).
 *
 * <p>Arguments: {@code GATEWAY_URL USER PASSWORD STREAM_BYTES TARGET...} with a target as
 * {@code PORT=KNOWN_HOSTS_PUBLIC_KEY_FILE} on 127.0.0.1. Exits non-zero when any step fails, so a broken
 * training fails the image build instead of silently shipping an untrained cache.
 */
public final class AotTraining {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int LOGINS = 8;
    private static final int ECHOES = 3000;

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: java AotTraining.java GATEWAY_URL USER PASSWORD STREAM_BYTES PORT=HOSTKEY.pub...");
            System.exit(2);
        }
        String gateway = args[0];
        String user = args[1];
        String password = args[2];
        long streamBytes = Long.parseLong(args[3]);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(WAIT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        awaitGateway(http, gateway + "/");
        for (int i = 4; i < args.length; i++) {
            String[] t = args[i].split("=", 2);
            int port = Integer.parseInt(t[0]);
            String[] key = Files.readString(Path.of(t[1])).strip().split(" ", 3);
            String hostKey = key[0] + " " + key[1];
            String app = "/cockpit+=127.0.0.1:" + port;
            String raw = user + ":" + password + "\0[127.0.0.1]:" + port + " " + hostKey + "\n";
            String basic = "Basic " + Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
            for (int n = 0; n < LOGINS; n++) {
                long t0 = System.nanoTime();
                session(http, gateway, app, basic, n == 0 && i == 4 ? streamBytes : 0);
                System.out.printf("training: target %d login %d done in %d ms%n", port, n,
                        (System.nanoTime() - t0) / 1_000_000);
            }
        }
        System.out.println("training: done");
    }

    /** The first GET, repeated until the gateway (started just before this program) accepts connections. */
    private static void awaitGateway(HttpClient http, String url) throws Exception {
        long end = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            try {
                page(http, url);
                return;
            } catch (java.net.ConnectException e) {
                if (System.nanoTime() > end) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    /** A GET that must not fail on the server side (the page itself is not checked). */
    private static void page(HttpClient http, String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(WAIT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 500) {
            throw new IllegalStateException("GET " + url + " answered " + r.statusCode());
        }
    }

    /** One login with WebSocket, echo channel and (if streamBytes > 0) one stream, then logout. */
    private static void session(HttpClient http, String gateway, String app, String basic, long streamBytes)
            throws Exception {
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(gateway + app + "/login"))
                .timeout(WAIT).header("Authorization", basic).header("X-Superuser", "none").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (login.statusCode() != 200) {
            throw new IllegalStateException("login to " + app + " answered " + login.statusCode() + ": " + login.body());
        }
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
        // the shell page of the session (served through the bridge): trained, but not this program's to judge
        HttpResponse<Void> shell = http.send(HttpRequest.newBuilder(URI.create(gateway + app + "/")).timeout(WAIT)
                .header("Cookie", cookie).GET().build(), HttpResponse.BodyHandlers.discarding());
        if (shell.statusCode() != 200) {
            System.out.println("training: " + app + "/ answered " + shell.statusCode());
        }
        Socket s = new Socket();
        String ws = gateway.replaceFirst("^http", "ws") + app + "/socket";
        http.newWebSocketBuilder().subprotocols("cockpit1").header("Origin", gateway).header("Cookie", cookie)
                .connectTimeout(WAIT).buildAsync(URI.create(ws), s).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        String init = s.await(m -> m.startsWith("\n") && m.contains("\"init\""));
        if (init.contains("\"problem\"")) {
            throw new IllegalStateException("init with a problem: " + init.strip());
        }
        Matcher seed = Pattern.compile("\"channel-seed\"\\s*:\\s*\"([^\"]*)\"").matcher(init);
        String prefix = seed.find() ? seed.group(1) : "1:";
        s.send("\n{\"command\":\"init\",\"version\":1}");

        String echo = prefix + "1";
        s.send("\n{\"command\":\"open\",\"channel\":\"" + echo + "\",\"payload\":\"echo\",\"flow-control\":true}");
        s.await(m -> m.startsWith("\n") && m.contains("\"" + echo + "\"") && m.contains("\"ready\""));
        for (int i = 0; i < ECHOES; i++) {
            String msg = echo + "\ntraining echo " + i + " abcdefghijklmnopqrstuvwxyz";
            s.send(msg);
            String back = s.await(m -> m.startsWith(echo + "\n"));
            if (!back.equals(msg)) {
                throw new IllegalStateException("echo answered '" + back + "'");
            }
        }
        s.send("\n{\"command\":\"close\",\"channel\":\"" + echo + "\"}");

        if (streamBytes > 0) {
            String stream = prefix + "2";
            s.streamChannel = stream + "\n";
            s.send("\n{\"command\":\"open\",\"channel\":\"" + stream + "\",\"payload\":\"stream\",\"spawn\":"
                    + "[\"/usr/bin/head\",\"-c\",\"" + streamBytes + "\",\"/dev/zero\"],\"binary\":\"raw\","
                    + "\"flow-control\":true}");
            String close = s.await(m -> m.startsWith("\n") && m.contains("\"" + stream + "\"")
                    && m.contains("\"close\""));
            if (close.contains("\"problem\"") || s.streamed.get() != streamBytes) {
                throw new IllegalStateException("stream ended with " + close.strip() + " after " + s.streamed.get()
                        + " of " + streamBytes + " bytes");
            }
        }
        s.send("\n{\"command\":\"logout\",\"disconnect\":true}");
        s.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** A {@code cockpit1} socket: text messages queued, stream bytes counted, flow-control pings answered. */
    private static final class Socket implements WebSocket.Listener {
        final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        final AtomicLong streamed = new AtomicLong();
        volatile String streamChannel;
        private final StringBuilder text = new StringBuilder();
        private int headerLeft = -1;
        private WebSocket ws;
        private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);

        @Override
        public void onOpen(WebSocket webSocket) {
            ws = webSocket;
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String m = text.toString();
                text.setLength(0);
                if (m.startsWith("\n") && m.contains("\"ping\"") && m.contains("\"channel\"")) {
                    // flow control: answer a channel ping with the same message as pong, as cockpit.js does
                    send(m.replaceFirst("\"command\"\\s*:\\s*\"ping\"", "\"command\":\"pong\""));
                } else {
                    texts.add(m);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            // "<channel>\n<payload>": only the stream channel's payload is counted
            if (headerLeft < 0) {
                headerLeft = streamChannel == null ? 0 : streamChannel.length();
            }
            int skip = Math.min(headerLeft, data.remaining());
            headerLeft -= skip;
            streamed.addAndGet(data.remaining() - skip);
            if (last) {
                headerLeft = -1;
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }

        synchronized void send(String m) {
            // one outstanding send at a time (the JDK client's rule)
            sending = sending.thenCompose(v -> ws.sendText(m, true));
        }

        String await(java.util.function.Predicate<String> wanted) throws InterruptedException {
            long end = System.nanoTime() + WAIT.toNanos();
            while (true) {
                String m = texts.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (m == null) {
                    throw new IllegalStateException("no expected message within " + WAIT
                            + (closed.isDone() ? " (socket closed)" : ""));
                }
                if (wanted.test(m)) {
                    return m;
                }
            }
        }
    }
}
