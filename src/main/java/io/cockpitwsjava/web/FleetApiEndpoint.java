package io.cockpitwsjava.web;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.cockpitwsjava.config.FleetConfig;
import io.cockpitwsjava.fleet.FleetMode;
import io.cockpitwsjava.fleet.InventoryFile;
import io.cockpitwsjava.identity.Identity;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * The fleet API under {@code <root>/fleet/api/} (docs/fleet.md, "Fleet API"): {@code hosts} (JSON), {@code events}
 * (Server-Sent Events) and {@code me}, each for the signed-in caller ({@link FleetCaller}) and showing only the hosts
 * the access rules let them reach. Without fleet mode the paths do not exist (404); without a sign-in, 401.
 */
@Singleton
public class FleetApiEndpoint {

    static final String PREFIX = "/fleet/api/";
    private static final Logger LOG = Logger.getLogger(FleetApiEndpoint.class);
    /** Bytes queued on a stream's connection before it counts as full (then only the latest states are kept). */
    static final int STREAM_QUEUE_BYTES = 256 * 1024;
    /** A stream whose client reads nothing for this long is closed. */
    static final Duration STREAM_STALL = Duration.ofMinutes(1);

    @Inject
    FleetMode fleet;
    @Inject
    FleetCaller caller;
    @Inject
    FleetConfig config;
    @Inject
    Vertx vertx;

    private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
    private final AtomicInteger open = new AtomicInteger();

    /** A live stream and the event loop it belongs to. */
    private record Stream(FleetEventStream events, Context context) {
    }

    @PostConstruct
    void listen() {
        fleet.status().onChange((name, s) -> each(st -> st.hostChanged(name)));
        fleet.inventory().ifPresent(f -> f.onChange(i -> each(FleetEventStream::inventoryChanged)));
        fleet.onInventoryStatus(s -> each(FleetEventStream::inventoryStatusChanged));
    }

    private void each(java.util.function.Consumer<FleetEventStream> action) {
        for (Stream s : streams) {
            s.context().runOnContext(v -> action.accept(s.events()));
        }
    }

    /** True for the paths this endpoint answers (after UrlRoot). */
    static boolean handles(String path) {
        return path.startsWith(PREFIX);
    }

    void handle(RoutingContext ctx, Exchange ex) {
        String method = ex.request().method().name();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            ex.response().putHeader("Allow", "GET, HEAD");
            ex.fail(405, null);
            return;
        }
        String what = ex.path().substring(PREFIX.length());
        Optional<InventoryFile> file = fleet.inventory();
        if (file.isEmpty() || !(what.equals("hosts") || what.equals("events") || what.equals("me"))) {
            ex.fail(404, null);
            return;
        }
        Context context = Vertx.currentContext();
        caller.identity(ctx).whenComplete((who, error) -> context.runOnContext(v -> {
            if (error != null) {
                LOG.errorf(error, "fleet API: cannot tell who is signed in");
                problem(ex, 500, "internal-error", "cannot tell who is signed in");
            } else if (who == null || who.isEmpty()) {
                ex.response().putHeader("WWW-Authenticate", "Bearer");
                problem(ex, 401, "authentication-required", "sign in first");
            } else {
                answer(ex, what, who.get(), file.get(), context);
            }
        }));
    }

    private void answer(Exchange ex, String what, Identity who, InventoryFile file, Context context) {
        switch (what) {
            case "hosts" -> json(ex, FleetJson.hosts(file.current(), fleet.status(), who));
            case "me" -> json(ex, FleetJson.me(who));
            default -> events(ex, who, file, context);
        }
    }

    private void events(Exchange ex, Identity who, InventoryFile file, Context context) {
        FleetConfig.Api api = config.api();
        if (open.incrementAndGet() > api.maxEventStreams()) {
            open.decrementAndGet();
            ex.response().putHeader("Retry-After", "30");
            problem(ex, 503, "too-many-streams", "too many event streams are open");
            return;
        }
        HttpServerResponse r = ex.response();
        r.setStatusCode(200);
        r.setChunked(true);
        r.setWriteQueueMaxSize(STREAM_QUEUE_BYTES);
        r.putHeader("Content-Type", "text/event-stream; charset=utf-8");
        r.putHeader("Cache-Control", "no-cache, no-store");
        // no buffering in front of us (nginx honours this)
        r.putHeader("X-Accel-Buffering", "no");
        ex.finishHeaders(200, CacheType.NONE);
        if (ex.request().method().name().equals("HEAD")) {
            open.decrementAndGet();
            r.end();
            return;
        }
        FleetEventStream events = new FleetEventStream(who, file::current, fleet.status(), file::status,
                new ResponseSink(ex.request()), System::nanoTime, STREAM_STALL, api.eventsMaxAge());
        Stream stream = new Stream(events, context);
        long timer = vertx.setPeriodic(api.eventsHeartbeat().toMillis(), id -> {
            if (!events.tick()) {
                vertx.cancelTimer(id);
            }
        });
        Runnable gone = () -> {
            vertx.cancelTimer(timer);
            if (streams.remove(stream)) {
                open.decrementAndGet();
            }
            events.close();
        };
        r.closeHandler(v -> gone.run());
        r.endHandler(v -> gone.run());
        streams.add(stream);
        // the browser waits this long before reconnecting after the stream ends
        r.write("retry: 5000\n\n");
        events.open();
    }

    private static void json(Exchange ex, String body) {
        ex.json(200, null, CacheType.NO_CACHE, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void problem(Exchange ex, int status, String problem, String message) {
        String body = "{\"problem\":\"" + problem + "\",\"message\":\"" + message + "\"}";
        ex.json(status, null, CacheType.NO_CACHE, body.getBytes(StandardCharsets.UTF_8));
    }

    /** The HTTP response as the stream's sink. */
    private static final class ResponseSink implements FleetEventStream.Sink {
        private final io.vertx.core.http.HttpServerRequest request;
        private final HttpServerResponse response;

        ResponseSink(io.vertx.core.http.HttpServerRequest request) {
            this.request = request;
            this.response = request.response();
        }

        @Override
        public boolean writeQueueFull() {
            return response.writeQueueFull();
        }

        @Override
        public void write(String chunk) {
            if (!response.ended() && !response.closed()) {
                response.write(chunk);
            }
        }

        @Override
        public void onDrain(Runnable handler) {
            response.drainHandler(v -> handler.run());
        }

        /** Ends the stream; a client that stopped reading loses its connection, so its queue is freed now. */
        @Override
        public void close() {
            if (response.ended() || response.closed()) {
                return;
            }
            if (response.writeQueueFull()) {
                request.connection().close();
            } else {
                response.end();
            }
        }
    }
}
