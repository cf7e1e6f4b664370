package io.cockpitwsjava.web;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.cockpitwsjava.config.GatewaySettings;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.quarkus.vertx.http.HttpServerStart;
import io.quarkus.vertx.http.HttpsServerStart;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.impl.TCPServerBase;
import io.vertx.ext.web.RoutingContext;

/**
 * cockpit-ws's request timeout (docs/protocol.md §1.1 H6) on every HTTP listener of this gateway: a connection that has
 * not delivered a complete request head {@code cockpit.web.request-head-timeout} after it was accepted, or after its
 * previous response ended, is closed ({@link HeadDeadline}).
 *
 * <p>Neither Quarkus nor Vert.x 4 offers a hook between accepting a connection and its first complete request head:
 * Quarkus owns the server's connection handler (it uses it for {@code quarkus.http.limits.max-connections}) and the
 * router only sees complete heads, while an idle timeout is reset by every trickled byte. So this reaches the
 * listening Netty channels through Vert.x's table of running servers and puts a small handler before the acceptor
 * that gives each accepted connection its deadline. That is one access to Vert.x internals (a private field of
 * {@code TCPServerBase}); if a Vert.x upgrade removes it, start-up logs an error and {@code RequestHeadTimeoutTest}
 * fails.
 */
@Singleton
public class RequestHeadTimeout {
    private static final Logger LOG = Logger.getLogger(RequestHeadTimeout.class);
    static final String ACCEPTOR_NAME = "cockpit-request-head-deadline";

    @Inject
    Vertx vertx;
    @Inject
    GatewaySettings settings;

    void httpStarted(@Observes HttpServerStart start) {
        install();
    }

    void httpStartedAsync(@ObservesAsync HttpServerStart start) {
        install();
    }

    void httpsStarted(@Observes HttpsServerStart start) {
        install();
    }

    void httpsStartedAsync(@ObservesAsync HttpsServerStart start) {
        install();
    }

    /** Gives every listening HTTP server of this Vert.x instance the deadline (idempotent). */
    synchronized void install() {
        Acceptor acceptor = new Acceptor(settings.requestHeadTimeout().toNanos());
        for (Future<Channel> bound : listeningChannels()) {
            bound.onSuccess(server -> server.eventLoop().execute(() -> {
                // a listener that outlived an application restart (dev mode) takes the new timeout
                if (server.pipeline().get(ACCEPTOR_NAME) == null) {
                    server.pipeline().addFirst(ACCEPTOR_NAME, acceptor);
                } else {
                    server.pipeline().replace(ACCEPTOR_NAME, ACCEPTOR_NAME, acceptor);
                }
                LOG.debugf("request-head timeout of %s on %s", settings.requestHeadTimeout(), server.localAddress());
            }));
        }
    }

    /** Marks the start of a request on its connection; the deadline returns when the response ends. */
    static void requestStarted(RoutingContext ctx) {
        HeadDeadline.of(ctx.request().connection()).ifPresent(d -> {
            d.headReceived();
            ctx.addEndHandler(done -> d.responseEnded());
        });
    }

    /** The request's connection is now a WebSocket. */
    static void upgraded(HttpServerRequest request) {
        HeadDeadline.of(request.connection()).ifPresent(HeadDeadline::upgraded);
    }

    @SuppressWarnings("unchecked")
    private List<Future<Channel>> listeningChannels() {
        List<Future<Channel>> out = new ArrayList<>();
        try {
            Field bindFuture = TCPServerBase.class.getDeclaredField("bindFuture");
            bindFuture.setAccessible(true);
            for (var server : ((VertxInternal) vertx).sharedHttpServers().values()) {
                Object f = bindFuture.get(server);
                if (f != null) {
                    out.add((Future<Channel>) f);
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.errorf("cannot install the request-head timeout on the HTTP listeners (Vert.x internals changed?): %s",
                    e.toString());
        }
        return out;
    }

    /** On a listening channel: each accepted connection gets its own {@link HeadDeadline} first in its pipeline. */
    @ChannelHandler.Sharable
    private static final class Acceptor extends ChannelInboundHandlerAdapter {
        private final long timeoutNanos;

        Acceptor(long timeoutNanos) {
            this.timeoutNanos = timeoutNanos;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (msg instanceof Channel accepted) {
                accepted.pipeline().addFirst(new HeadDeadline(timeoutNanos));
            }
            super.channelRead(ctx, msg);
        }
    }
}
