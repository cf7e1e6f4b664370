package io.cockpitwsjava.web;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cockpitwsjava.audit.AuditEvent.SignInMethod;
import io.cockpitwsjava.audit.AuditTrail;
import io.cockpitwsjava.config.GatewaySettings;
import io.cockpitwsjava.protocol.ControlMessage;
import io.cockpitwsjava.signin.SignIn;
import io.cockpitwsjava.signin.SignIn.Attempt;
import io.cockpitwsjava.signin.UsersFileSetup;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.quarkus.oidc.OidcSession;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.quarkus.vertx.http.runtime.security.FormAuthenticationMechanism;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.impl.ServerCookie;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code <root>/fleet/...}: the fleet page, the gateway sign-in and the fleet API. These paths exist only when a
 * sign-in is configured ({@link SignIn#enabled()}); otherwise they are shell paths as before and reach Cockpit.
 * <ul>
 * <li>{@code GET fleet/} the fleet page, whether signed in or not: the page asks the API and shows a "Sign in" link on
 * 401 (and after signing out). {@code GET fleet} redirects there.</li>
 * <li>{@code GET fleet/sign-in[?return=<path>]} signs in: signed in already, it redirects to {@code return} (a path
 * below the UrlRoot, else the fleet page); otherwise OpenID Connect redirects to the provider, whose redirect back
 * comes to this same path, and the users file gets the sign-in form.</li>
 * <li>{@code POST fleet/j_security_check} the sign-in form's post (users file; Quarkus form authentication).</li>
 * <li>{@code POST fleet/sign-out} signs out and redirects to the fleet page, or to the provider's logout first.</li>
 * <li>{@code fleet/api/<name>} the fleet API ({@link FleetApiEndpoint} beans): 401 with a JSON body without a valid
 * sign-in, never a redirect.</li>
 * </ul>
 * Both POSTs must come from an allowed Origin (as WebSockets, {@code cockpit.web.origins}), else 403. Every cookie
 * these routes set is {@code Secure} when the request counts as https (TLS, {@code cockpit.web.for-tls-proxy} or
 * ProtocolHeader).
 */
@Singleton
public class FleetRoutes {
    private static final Logger LOG = Logger.getLogger(FleetRoutes.class);
    /** Where to go after signing in, across the provider's redirects (set by sign-in, read after it). */
    public static final String RETURN_COOKIE = "cockpit-fleet-return";
    private static final int RETURN_MAX = 2048;

    @Inject
    SignIn signIn;
    @Inject
    GatewaySettings settings;
    @Inject
    FleetPages pages;
    @Inject
    Instance<FleetApiEndpoint> endpoints;
    @Inject
    AuditTrail audit;

    private volatile Map<String, FleetApiEndpoint> byName;

    /** Whether {@code path} (UrlRoot removed) is one of ours. */
    boolean owns(String path) {
        return (path.equals("/fleet") || path.startsWith("/fleet/")) && signIn.enabled();
    }

    void handle(Exchange ex, RoutingContext ctx) {
        if (ex.host().isEmpty()) {
            ex.fail(400, null);
            return;
        }
        secureCookies(ex, ctx);
        String path = ex.path();
        String method = ex.request().method().name();
        boolean read = method.equals("GET") || method.equals("HEAD");
        if (path.startsWith("/fleet/api/")) {
            api(ex, ctx, path.substring("/fleet/api/".length()));
            return;
        }
        switch (path) {
            case "/fleet" -> {
                if (read) {
                    redirect(ex, 302, root() + "/fleet/");
                } else {
                    notAllowed(ex, "GET, HEAD");
                }
            }
            case "/fleet/" -> {
                if (read) {
                    pages.serve(ex, FleetPages.FLEET, environment());
                } else {
                    notAllowed(ex, "GET, HEAD");
                }
            }
            case "/fleet/sign-in" -> {
                if (read) {
                    signIn(ex, ctx);
                } else {
                    notAllowed(ex, "GET, HEAD");
                }
            }
            case UsersFileSetup.POST_LOCATION -> {
                if (signIn.method().equals(Optional.of(SignIn.Method.USERS_FILE))) {
                    if (!method.equals("POST")) {
                        notAllowed(ex, "POST");
                    } else if (originAllowed(ex)) {
                        formPost(ex, ctx);
                    }
                } else {
                    ex.fail(404, null);
                }
            }
            case "/fleet/sign-out" -> {
                if (!method.equals("POST")) {
                    notAllowed(ex, "POST");
                } else if (originAllowed(ex)) {
                    signOut(ex, ctx);
                }
            }
            default -> ex.fail(404, null);
        }
    }

    // ---- sign-in ---------------------------------------------------------------------------------------------------

    private void signIn(Exchange ex, RoutingContext ctx) {
        io.vertx.core.MultiMap query;
        try {
            query = ctx.queryParams();
        } catch (RuntimeException malformed) {
            ex.fail(400, null);
            return;
        }
        boolean callback = query.contains("code") || query.contains("error") || query.contains("state");
        signIn.attempt(ctx).subscribe().with(attempt -> {
            switch (attempt) {
                case Attempt.Redirect r -> redirect(ex, r.status(), r.location());
                case Attempt.SignedIn s -> {
                    String target = returnTarget(ex).orElse(root() + "/fleet/");
                    clearReturnCookie(ex);
                    redirect(ex, 302, target);
                }
                case Attempt.Refused r when callback -> {
                    // the provider's redirect back failed (state cookie gone, code refused...): starting over
                    // could loop between us and the provider, so say so and let the person try again
                    LOG.infof("sign-in failed for %s: %s", ex.remoteAddress(), r.cause().getMessage());
                    audit.signInFailed(SignInMethod.OIDC, null, ex.remoteAddress(), "authentication-failed");
                    ex.fail(401, "Sign-in failed");
                }
                case Attempt.Anonymous a -> startSignIn(ex, ctx);
                case Attempt.Refused r -> startSignIn(ex, ctx); // a stale sign-in cookie: sign in anew
            }
        }, err -> internalError(ex, err));
    }

    private void startSignIn(Exchange ex, RoutingContext ctx) {
        String target = ctx.queryParams().get("return");
        if (target != null) {
            if (validReturn(target)) {
                ex.response().headers().add("Set-Cookie", RETURN_COOKIE + "="
                        + URLEncoder.encode(target, StandardCharsets.UTF_8) + "; Path=" + root()
                        + "/fleet/; Max-Age=900; HttpOnly; SameSite=Lax");
            } else {
                LOG.debugf("sign-in: ignoring return target that is not a path below the UrlRoot");
            }
        }
        if (signIn.method().equals(Optional.of(SignIn.Method.USERS_FILE))) {
            pages.serve(ex, FleetPages.SIGN_IN, environment());
            return;
        }
        signIn.challenge(ctx).subscribe().with(challenge -> {
            if (ex.response().ended()) {
                return;
            }
            ex.response().headers().set("Cache-Control", "no-store");
            challenge.getHeaders().forEach((name, value) -> ex.response().headers().set(name, value));
            ex.send(challenge.status, null, CacheType.NONE, null);
        }, err -> internalError(ex, err));
    }

    private void formPost(Exchange ex, RoutingContext ctx) {
        signIn.attempt(ctx).subscribe().with(attempt -> {
            if (ex.response().ended()) {
                // Quarkus form authentication answered 200 and set the sign-in cookie (its identity is not handed on:
                // the name is the one posted, which the users file just accepted)
                audit.signedIn(SignInMethod.PASSWORD, postedUser(ctx), ex.remoteAddress());
                return;
            }
            if (attempt instanceof Attempt.Refused) {
                audit.signInFailed(SignInMethod.PASSWORD, postedUser(ctx), ex.remoteAddress(), "authentication-failed");
            }
            switch (attempt) {
                case Attempt.SignedIn s -> ex.json(200, null, CacheType.NONE, "{}".getBytes(StandardCharsets.UTF_8));
                case Attempt.Refused r -> problem(ex, 401, "authentication-failed", "Wrong user name or password");
                case Attempt.Anonymous a -> problem(ex, 400, "protocol-error", "User name and password are required");
                case Attempt.Redirect r -> redirect(ex, r.status(), r.location());
            }
        }, err -> internalError(ex, err));
    }

    // ---- sign-out --------------------------------------------------------------------------------------------------

    private void signOut(Exchange ex, RoutingContext ctx) {
        String fleet = root() + "/fleet/";
        signIn.attempt(ctx).subscribe().with(attempt -> {
            switch (attempt) {
                // the provider's logout (RP-initiated): Quarkus removed the session cookie, the provider comes back
                // to the fleet page
                case Attempt.Redirect r -> redirect(ex, r.status(), r.location());
                case Attempt.SignedIn s -> {
                    audit.signOut(s.identity().user(), ex.remoteAddress());
                    if (signIn.method().equals(Optional.of(SignIn.Method.USERS_FILE))) {
                        FormAuthenticationMechanism.logout(ctx);
                        redirect(ex, 303, fleet);
                    } else {
                        localOidcSignOut(ctx).whenComplete((v, err) -> {
                            if (err != null) {
                                internalError(ex, err);
                            } else {
                                redirect(ex, 303, fleet);
                            }
                        });
                    }
                }
                case Attempt.Anonymous a -> redirect(ex, 303, fleet);
                case Attempt.Refused r -> {
                    if (signIn.method().equals(Optional.of(SignIn.Method.USERS_FILE))) {
                        // an expired or no longer valid sign-in: the browser need not keep its cookie
                        ex.response().headers().add("Set-Cookie", formCookieName() + "=; Path=" + root()
                                + "/; Max-Age=0; HttpOnly; SameSite=Strict");
                    }
                    redirect(ex, 303, fleet);
                }
            }
        }, err -> internalError(ex, err));
    }

    /** Ends only the gateway's OpenID Connect session (no provider logout): Quarkus' OidcSession removes the cookie. */
    private static CompletableFuture<Void> localOidcSignOut(RoutingContext ctx) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        ManagedContext requestContext = Arc.container().requestContext();
        requestContext.activate();
        try {
            // OidcSession reads the request from the CDI request context, which a Vert.x route does not have
            Arc.container().instance(CurrentVertxRequest.class).get().setCurrent(ctx);
            Arc.container().instance(OidcSession.class).get().logout()
                    .subscribe().with(done::complete, done::completeExceptionally);
        } finally {
            requestContext.terminate();
        }
        return done;
    }

    // ---- API -------------------------------------------------------------------------------------------------------

    private void api(Exchange ex, RoutingContext ctx, String name) {
        signIn.attempt(ctx).subscribe().with(attempt -> {
            if (ex.response().ended()) {
                return;
            }
            switch (attempt) {
                case Attempt.SignedIn s -> {
                    FleetApiEndpoint endpoint = endpoints().get(name);
                    if (endpoint == null) {
                        problem(ex, 404, "not-found", "No such fleet API resource");
                        return;
                    }
                    try {
                        endpoint.handle(ex, ctx, s.identity());
                    } catch (RuntimeException e) {
                        internalError(ex, e);
                    }
                }
                case Attempt.Refused r -> unauthorized(ex, "The sign-in or access token is not valid (any more)");
                case Attempt.Anonymous a -> unauthorized(ex, "Not signed in");
                // a redirect is for browsers navigating, never for API clients
                case Attempt.Redirect r -> unauthorized(ex, "Not signed in");
            }
        }, err -> internalError(ex, err));
    }

    private void unauthorized(Exchange ex, String message) {
        if (signIn.method().equals(Optional.of(SignIn.Method.OIDC))) {
            ex.response().headers().set("WWW-Authenticate", "Bearer");
        }
        problem(ex, 401, "authentication-failed", message);
    }

    private Map<String, FleetApiEndpoint> endpoints() {
        Map<String, FleetApiEndpoint> m = byName;
        if (m == null) {
            m = new HashMap<>();
            for (FleetApiEndpoint e : endpoints) {
                FleetApiEndpoint previous = m.put(e.name(), e);
                if (previous != null) {
                    throw new IllegalStateException("two fleet API endpoints named " + e.name());
                }
            }
            byName = m = Map.copyOf(m);
        }
        return m;
    }

    // ---- pieces ----------------------------------------------------------------------------------------------------

    private String root() {
        return settings.urlRoot().orElse("");
    }

    private ObjectNode environment() {
        ObjectNode env = JsonNodeFactory.instance.objectNode();
        env.put("sign_in", signIn.method().map(m -> m == SignIn.Method.OIDC ? "oidc" : "users-file").orElse("none"));
        settings.loginTitle().ifPresent(t -> env.putObject("page").put("title", t));
        return env;
    }

    private boolean validReturn(String target) {
        return validReturn(root(), target);
    }

    /**
     * A return target is a path below the UrlRoot on this origin, with an optional query: no scheme, host, backslash,
     * control character, fragment or dot segment (also percent-encoded), so a redirect to it cannot leave the gateway.
     */
    static boolean validReturn(String root, String target) {
        if (target.length() > RETURN_MAX || !target.startsWith(root + "/") || target.startsWith("//")
                || target.contains("\\") || target.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
            return false;
        }
        String path = target.split("[?#]", 2)[0];
        for (String segment : path.split("/", -1)) {
            String decoded;
            try {
                decoded = URLDecoder.decode(segment, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return false;
            }
            if (decoded.equals(".") || decoded.equals("..") || decoded.contains("/") || decoded.contains("\\")) {
                return false;
            }
        }
        return !target.contains("#");
    }

    private Optional<String> returnTarget(Exchange ex) {
        String raw = ex.cookies().get(RETURN_COOKIE);
        return raw != null && validReturn(raw) ? Optional.of(raw) : Optional.empty();
    }

    private void clearReturnCookie(Exchange ex) {
        if (ex.cookies().containsKey(RETURN_COOKIE)) {
            ex.response().headers().add("Set-Cookie", RETURN_COOKIE + "=; Path=" + root()
                    + "/fleet/; Max-Age=0; HttpOnly; SameSite=Lax");
        }
    }

    private boolean originAllowed(Exchange ex) {
        if (OriginPolicy.allowed(ex.header("Origin"), settings.origins(), ex.selfOrigin())) {
            return true;
        }
        LOG.infof("refused %s %s from %s: Origin %s is not allowed", ex.request().method(), ex.path(),
                ex.remoteAddress(), ex.header("Origin") == null ? "(none)" : ex.header("Origin"));
        ex.fail(403, "Origin not allowed");
        return false;
    }

    /**
     * Every cookie set on this response (by Quarkus' mechanisms too, which only know the connection's TLS) becomes
     * {@code Secure} when the request counts as https.
     */
    private static void secureCookies(Exchange ex, RoutingContext ctx) {
        if (!ex.isHttps()) {
            return;
        }
        ctx.addHeadersEndHandler(v -> {
            for (Cookie c : ctx.request().cookies()) {
                if (c instanceof ServerCookie s && s.isChanged()) {
                    c.setSecure(true);
                }
            }
            var h = ex.response().headers();
            var raw = h.getAll("Set-Cookie");
            if (!raw.isEmpty()) {
                h.remove("Set-Cookie");
                for (String cookie : raw) {
                    h.add("Set-Cookie", cookie.matches("(?i).*;\\s*secure\\s*(;.*)?") ? cookie : cookie + "; Secure");
                }
            }
        });
    }

    /** The user name of a sign-in form post (after Quarkus read the form), or null. */
    private static String postedUser(RoutingContext ctx) {
        String field = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValue("quarkus.http.auth.form.username-parameter", String.class).orElse("j_username");
        try {
            return ctx.request().isEnded() ? ctx.request().getFormAttribute(field) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String formCookieName() {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValue("quarkus.http.auth.form.cookie-name", String.class).orElse("quarkus-credential");
    }

    private static void redirect(Exchange ex, int status, String location) {
        if (ex.response().ended()) {
            return;
        }
        if (status == 200) {
            // quarkus.oidc.logout.logout-mode=form-post: Quarkus hands over a page that posts itself to the provider
            ex.response().headers().set("Content-Type", "text/html; charset=UTF-8");
            ex.response().headers().set("Cache-Control", "no-store");
            ex.send(200, null, CacheType.NONE, location.getBytes(StandardCharsets.UTF_8));
            return;
        }
        ex.response().headers().set("Location", location);
        ex.response().headers().set("Cache-Control", "no-store");
        ex.send(status, null, CacheType.NONE, null);
    }

    private static void notAllowed(Exchange ex, String allow) {
        ex.response().headers().set("Allow", allow);
        ex.fail(405, null);
    }

    private static void problem(Exchange ex, int status, String problem, String message) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("problem", problem);
        body.put("message", message);
        try {
            ex.json(status, null, CacheType.NONE, ControlMessage.MAPPER.writeValueAsBytes(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void internalError(Exchange ex, Throwable err) {
        LOG.errorf(err, "fleet request %s failed", ex.path());
        if (!ex.response().headWritten()) {
            ex.fail(500, null);
        }
    }
}
