package io.cockpitwsjava.web;

import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.cockpitwsjava.config.GatewaySettings;
import io.cockpitwsjava.protocol.Limits;
import io.cockpitwsjava.protocol.Problem;
import io.cockpitwsjava.session.Application;
import io.cockpitwsjava.session.SessionRegistry;
import io.cockpitwsjava.session.SessionSocket;
import io.cockpitwsjava.session.WebSession;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;

/** The main WebSocket {@code /<app>/socket} (docs/protocol.md §6): Origin check, upgrade, hand-over to the session. */
@Singleton
public class SocketEndpoint {
    private static final Logger LOG = Logger.getLogger(SocketEndpoint.class);
    static final String VERSION = "cockpit-ws-java " + Optional.ofNullable(SocketEndpoint.class.getPackage().getImplementationVersion()).orElse("dev");
    private static final int WRITE_QUEUE_BYTES = 1024 * 1024;

    @Inject
    GatewaySettings settings;
    @Inject
    SessionRegistry registry;
    @Inject
    Vertx vertx;

    void handle(Exchange ex, Application app) {
        if (!OriginPolicy.allowed(ex.header("Origin"), settings.origins(), ex.selfOrigin())) {
            LOG.infof("WebSocket refused: origin %s not allowed", ex.header("Origin"));
            ex.fail(403, null);
            return;
        }
        Optional<WebSession> session = registry.find(app, ex.cookies());
        ex.request().toWebSocket().onSuccess(ws -> {
            RequestHeadTimeout.upgraded(ex.request());
            if (session.isEmpty() || session.get().isEnded()) {
                ws.writeTextMessage("\n{\"command\":\"init\",\"problem\":\"no-session\"}");
                ws.close((short) 1001, Problem.NO_SESSION.wireName());
                return;
            }
            open(ws, session.get());
        }).onFailure(err -> LOG.debugf("WebSocket upgrade failed: %s", err.getMessage()));
    }

    private void open(ServerWebSocket ws, WebSession session) {
        if (ws.isClosed()) {
            // the browser went away during the handshake: Vert.x refuses handlers on a closed socket
            return;
        }
        ws.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
        SessionSocket socket = registry.attach(session, new VertxBrowserSocket(ws), VERSION);
        long timer = vertx.setPeriodic(settings.pingInterval().toMillis(), id -> socket.ping());
        ws.frameHandler(BrowserMessages.of(ws, Limits.MAX_BROWSER_MESSAGE_BYTES, socket::onMessage));
        ws.exceptionHandler(err -> LOG.debugf("WebSocket error: %s", err.getMessage()));
        ws.closeHandler(v -> {
            vertx.cancelTimer(timer);
            socket.onSocketClosed();
        });
    }
}
