package io.cockpitwsjava.web;

import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.cockpitwsjava.config.GatewaySettings;
import io.cockpitwsjava.session.Application;
import io.cockpitwsjava.session.SessionRegistry;
import io.cockpitwsjava.session.WebSession;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** The cockpit-ws URL space (docs/protocol.md §3): one catch-all route that dispatches in upstream's order. */
@Singleton
public class GatewayRoutes {
    private static final Logger LOG = Logger.getLogger(GatewayRoutes.class);
    private static final Pattern SHELL_FIRST_SEGMENT = Pattern.compile("[A-Za-z0-9_-]*");

    @Inject
    GatewaySettings settings;
    @Inject
    SessionRegistry registry;
    @Inject
    LoginEndpoint login;
    @Inject
    SocketEndpoint socket;
    @Inject
    PackageEndpoint packages;
    @Inject
    ExternalChannelEndpoint external;
    @Inject
    StaticEndpoint statics;
    @Inject
    LoginPage loginPage;
    @Inject
    io.vertx.core.Vertx vertx;
    @Inject
    FleetRoutes fleet;

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 100).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        RequestHeadTimeout.requestStarted(ctx);
        var req = ctx.request();
        String raw = req.path() == null ? "" : req.path();
        if (settings.urlRoot().isPresent()) {
            String root = settings.urlRoot().get();
            if (!raw.equals(root) && !raw.startsWith(root + "/")) {
                new Exchange(req, settings, raw).fail(404, null);
                return;
            }
            raw = raw.length() == root.length() ? "/" : raw.substring(root.length());
        }
        Exchange ex = new Exchange(req, settings, raw);
        try {
            // fleet mode's own paths (sign-in, fleet page and API) come first: they take POSTs too
            if (fleet.owns(raw)) {
                fleet.handle(ex, ctx);
                return;
            }
            dispatch(ex, ctx);
        } catch (RuntimeException e) {
            LOG.errorf(e, "request %s failed", raw);
            if (!ex.response().headWritten()) {
                ex.fail(500, null);
            }
        }
    }

    private void dispatch(Exchange ex, RoutingContext ctx) {
        String method = ex.request().method().name();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            ex.fail(405, null);
            return;
        }
        String cl = ex.header("Content-Length");
        if (cl != null) {
            try {
                if (Long.parseLong(cl.strip()) != 0) {
                    ex.fail(413, null);
                    return;
                }
            } catch (NumberFormatException e) {
                ex.fail(400, null);
                return;
            }
        }
        if (ex.host().isEmpty()) {
            ex.fail(400, null);
            return;
        }
        String path = ex.path();
        if (!path.startsWith("/")) {
            ex.fail(400, null);
            return;
        }
        Application app = Application.fromPath(path);
        String first = Application.firstSegment(path);
        String afterFirst = path.length() > first.length() + 1 ? path.substring(first.length() + 1) : "";
        boolean cockpitApp = first.equals("cockpit") || first.startsWith("cockpit+");
        // A host application names a destination: one that does not parse is refused here, before any cookie or page
        // is derived from it. Its /login answers like an unknown host (the login page posts "Connect to" there).
        if (app.isHost() && app.target().isEmpty() && !(cockpitApp && afterFirst.equals("/login"))) {
            ex.fail(404, null);
            return;
        }
        // R1 main WebSocket
        if (path.equals("/socket") || afterFirst.equals("/socket")) {
            socket.handle(ex, path.equals("/socket") ? Application.DEFAULT : app);
            return;
        }
        // R2 external channel (valid cookie and token), else falls through to R11
        if (cockpitApp && afterFirst.startsWith("/channel/")) {
            String token = afterFirst.substring("/channel/".length());
            Optional<WebSession> s = registry.find(app, ex.cookies());
            if (s.isPresent() && !token.isEmpty() && java.security.MessageDigest.isEqual(
                    token.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    s.get().csrfToken().getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
                external.handle(ex, s.get());
                return;
            }
            ex.fail(404, null);
            return;
        }
        switch (path) {
            case "/ping" -> {
                ex.response().headers().set("Access-Control-Allow-Origin", "*");
                ex.json(200, null, CacheType.NONE, "{ \"service\": \"cockpit\" }".getBytes());
                return;
            }
            case "/favicon.ico", "/apple-touch-icon.png" -> {
                blocking(ex, () -> statics.icon(ex, path.substring(1)));
                return;
            }
            case "/ca.cer", "/cockpit", "/cockpit/" -> {
                ex.fail(404, null);
                return;
            }
            default -> {
            }
        }
        if (path.endsWith("/robots.txt")) {
            ex.response().headers().set("Content-Type", "text/plain");
            ex.send(200, null, CacheType.NONE, "User-agent: *\nDisallow: /\n".getBytes());
            return;
        }
        if (cockpitApp) {
            cockpitApplication(ex, app, afterFirst, ctx);
            return;
        }
        // R12 shell paths
        if (isShellPath(path, first)) {
            Optional<WebSession> s = registry.find(app, ex.cookies());
            if (s.isPresent()) {
                packages.serve(ex, app, s.get(), null, settings.shell());
            } else {
                blocking(ex, () -> loginPage.serve(ex, app));
            }
            return;
        }
        ex.fail(404, null);
    }

    /** File-reading work goes to a worker thread: the event loop never waits for the disk. */
    private void blocking(Exchange ex, Runnable work) {
        vertx.executeBlocking(() -> {
            work.run();
            return null;
        }, false).onFailure(err -> {
            LOG.errorf(err, "request %s failed", ex.path());
            if (!ex.response().headWritten()) {
                ex.fail(500, null);
            }
        });
    }

    private void cockpitApplication(Exchange ex, Application app, String rest, RoutingContext ctx) {
        if (rest.startsWith("/static/")) {
            Optional<WebSession> s = registry.find(app, ex.cookies());
            if (app.isHost() && s.isEmpty()) {
                ex.fail(403, null);
                return;
            }
            blocking(ex, () -> statics.serve(ex, rest.substring("/static/".length()),
                    s.map(WebSession::osRelease).orElse(null)));
            return;
        }
        if (rest.equals("/login")) {
            login.handle(ex, app, ctx);
            return;
        }
        String where = Application.firstSegment(rest);
        if (where.startsWith("@") || where.startsWith("$")) {
            Optional<WebSession> s = registry.find(app, ex.cookies());
            String filePath = rest.substring(where.length() + 1);
            if (s.isEmpty()) {
                if (filePath.endsWith(".html")) {
                    blocking(ex, () -> loginPage.serve(ex, app));
                } else {
                    ex.fail(401, null);
                }
                return;
            }
            packages.serve(ex, app, s.get(), where, filePath.isEmpty() ? "/" : filePath);
            return;
        }
        ex.fail(404, null);
    }

    /** docs/protocol.md §3 R12. */
    static boolean isShellPath(String path, String first) {
        if (path.startsWith("/=/") || path.startsWith("/@/") || path.startsWith("//")) {
            return false;
        }
        return path.equals("/") || path.startsWith("/@") || path.startsWith("/=")
                || SHELL_FIRST_SEGMENT.matcher(first).matches();
    }
}
