package io.cockpitwsjava.web;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.cockpitwsjava.config.FleetConfig;
import io.cockpitwsjava.fleet.FleetMode;
import io.cockpitwsjava.fleet.Inventory;
import io.cockpitwsjava.fleet.InventoryFile;
import io.cockpitwsjava.fleet.InventoryStatus;
import io.cockpitwsjava.identity.Identity;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET <root>/fleet/api/events}: the fleet page's stream of changes as Server-Sent Events, one
 * {@link FleetEventStream} per connection (docs/fleet.md, "Fleet API"). This bean is the hub: it hears the status
 * cache, inventory reloads and the inventory file's status once, and hands each change to every open stream on that
 * stream's own event loop.
 */
@Singleton
public class FleetEventsEndpoint implements FleetApiEndpoint {

    /** Bytes queued on a stream's connection before it counts as full (then only the latest states are kept). */
    static final int STREAM_QUEUE_BYTES = 256 * 1024;
    /** A stream whose client reads nothing for this long is closed. */
    static final Duration STREAM_STALL = Duration.ofMinutes(1);

    @Inject
    FleetMode fleet;
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

    private void each(Consumer<FleetEventStream> action) {
        for (Stream s : streams) {
            s.context().runOnContext(v -> action.accept(s.events()));
        }
    }

    @Override
    public String name() {
        return "events";
    }

    @Override
    public void handle(Exchange ex, RoutingContext ctx, Identity who) {
        if (!FleetHostsEndpoint.readOnly(ex)) {
            return;
        }
        FleetConfig.Api api = config.api();
        if (open.incrementAndGet() > api.maxEventStreams()) {
            open.decrementAndGet();
            ex.response().headers().set("Retry-After", "30");
            byte[] body = "{\"problem\":\"too-many-streams\",\"message\":\"Too many event streams are open\"}"
                    .getBytes(StandardCharsets.UTF_8);
            ex.json(503, null, CacheType.NO_CACHE, body);
            return;
        }
        HttpServerResponse r = ex.response();
        r.setStatusCode(200);
        r.setChunked(true);
        r.setWriteQueueMaxSize(STREAM_QUEUE_BYTES);
        r.headers().set("Content-Type", "text/event-stream; charset=utf-8");
        r.headers().set("Cache-Control", "no-cache, no-store");
        // no buffering in front of us (nginx honours this)
        r.headers().set("X-Accel-Buffering", "no");
        ex.finishHeaders(200, CacheType.NONE);
        if (ex.request().method().name().equals("HEAD")) {
            open.decrementAndGet();
            r.end();
            return;
        }
        Optional<InventoryFile> file = fleet.inventory();
        FleetEventStream events = new FleetEventStream(who,
                () -> file.map(InventoryFile::current).orElse(Inventory.EMPTY), fleet.status(),
                file.<java.util.function.Supplier<InventoryStatus>>map(f -> f::status).orElse(null),
                new ResponseSink(ex.request()), System::nanoTime, STREAM_STALL, api.eventsMaxAge());
        Context context = Vertx.currentContext() != null ? Vertx.currentContext() : vertx.getOrCreateContext();
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

    /** Streams open now (tests). */
    int openStreams() {
        return open.get();
    }

    /** The HTTP response as the stream's sink. */
    private static final class ResponseSink implements FleetEventStream.Sink {
        private final HttpServerRequest request;
        private final HttpServerResponse response;

        ResponseSink(HttpServerRequest request) {
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
