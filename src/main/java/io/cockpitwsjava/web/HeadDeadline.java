package io.cockpitwsjava.web;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * The request-head deadline of one HTTP connection, first in its Netty pipeline: armed when the connection is
 * accepted and whenever its last response has ended, disarmed when the routes see a complete request head, and
 * closing the connection when it fires. Counting time from the start of the head rather than from the last byte is
 * what stops a client that trickles a byte every few seconds. Removed once the connection is a WebSocket.
 *
 * <p>All state is touched on the connection's event loop; the routes' signals are handed over to it.
 */
final class HeadDeadline extends ChannelDuplexHandler {
    private static final Logger LOG = Logger.getLogger(HeadDeadline.class);

    private final long timeoutNanos;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    /** Requests whose head arrived and whose response has not ended (HTTP/1.1 pipelining can queue several). */
    private int inFlight;
    private boolean upgraded;
    /** Whether bytes arrived since the deadline was armed: a partial head, not just an idle connection. */
    private boolean partial;

    HeadDeadline(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
    }

    /** The deadline of the connection a request arrived on, if the connection has one. */
    static Optional<HeadDeadline> of(HttpConnection connection) {
        if (connection instanceof ConnectionBase base) {
            return Optional.ofNullable(base.channel().pipeline().get(HeadDeadline.class));
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------------ signals from the routes

    /** A complete request head arrived: no deadline until its response ends. */
    void headReceived() {
        onLoop(() -> {
            inFlight++;
            disarm();
        });
    }

    /** A response ended: the next head is due within the timeout (idle keep-alive connections close then). */
    void responseEnded() {
        onLoop(() -> {
            if (inFlight > 0) {
                inFlight--;
            }
            arm();
        });
    }

    /** The connection became a WebSocket: it lives as long as the session, without this deadline. */
    void upgraded() {
        onLoop(() -> {
            upgraded = true;
            disarm();
            if (ctx.pipeline().context(this) != null) {
                ctx.pipeline().remove(this);
            }
        });
    }

    private void onLoop(Runnable r) {
        ChannelHandlerContext c = ctx;
        if (c == null) {
            return;
        }
        if (c.executor().inEventLoop()) {
            r.run();
        } else {
            c.executor().execute(r);
        }
    }

    // ------------------------------------------------------------------ Netty events

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive()) {
            arm();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        arm();
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (timer != null) {
            partial = true;
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        disarm();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        disarm();
    }

    private void arm() {
        if (timer == null && inFlight == 0 && !upgraded && ctx.channel().isActive()) {
            partial = false;
            timer = ctx.executor().schedule(this::expire, timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void disarm() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void expire() {
        timer = null;
        if (inFlight == 0 && !upgraded && ctx.channel().isActive()) {
            // no address here: a flood of these must not turn into a flood of log lines at INFO
            LOG.debugf("closing an HTTP connection: %s within %d ms", partial ? "request head incomplete"
                    : "no request", TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
            ctx.close();
        }
    }
}
