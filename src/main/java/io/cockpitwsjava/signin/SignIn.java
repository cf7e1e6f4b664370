package io.cockpitwsjava.signin;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import io.cockpitwsjava.config.SignInConfig;
import io.cockpitwsjava.identity.Identity;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.AuthenticationRedirectException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticator;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Who is signed in to the gateway on a request: the one place that asks Quarkus security (OpenID Connect through
 * {@code quarkus-oidc}, or the users file through Quarkus form authentication) and turns its answer into an
 * {@link Identity}. This is the seam for everything that acts on behalf of a signed-in person (host logins by
 * identity, the fleet API).
 *
 * <h2>Use</h2>
 * <pre>{@code
 * @Inject SignIn signIn;
 * ...
 * if (signIn.enabled()) {
 *     signIn.identity(ctx).thenAccept(who -> who.ifPresentOrElse(id -> ..., () -> ...401...));
 * }
 * }</pre>
 * <ul>
 * <li>{@link #enabled()}: a sign-in is configured ({@code quarkus.oidc.auth-server-url}, or
 * {@code cockpit.fleet.sign-in.users-file}); without one the gateway behaves as it did before sign-in existed and
 * {@link #identity} always answers empty.</li>
 * <li>{@link #identity(RoutingContext)}: the signed-in person of this request, from the browser's sign-in cookie or an
 * {@code Authorization: Bearer <access token>} header (which wins when both are present). Empty when there is no
 * sign-in, or when the credentials are invalid, expired, for another audience, or name no usable user (the reason is
 * logged at debug level). It never fails and writes nothing to the response but what Quarkus decides to renew: a
 * refreshed OpenID Connect session cookie, or the users-file cookie renewed once a minute (its idle timeout). Call it
 * from any route and thread; the answer is computed once per request and then reused. On the sign-in paths themselves
 * ({@code <root>/fleet/sign-in} with the provider's {@code code}, {@code <root>/fleet/sign-out}) Quarkus answers with
 * a redirect, and this method with empty: those paths belong to {@code web/FleetRoutes}.</li>
 * </ul>
 * Mapping: the user is the token's {@code preferred_username} (else the principal Quarkus chose) or the users-file
 * name; the groups are the roles Quarkus security found: the token claim named by
 * {@code quarkus.oidc.roles.role-claim-path} (default here: {@code groups}), or the users-file groups.
 *
 * <p>Authentication runs only when asked for (Quarkus' proactive authentication is off): a Cockpit password login, or
 * any request that does not ask, is never touched by a stale or invalid sign-in cookie, and never redirected to the
 * identity provider.
 */
@Singleton
public class SignIn {
    private static final Logger LOG = Logger.getLogger(SignIn.class);

    /** How people sign in to the gateway. */
    public enum Method {
        /** An OpenID Connect provider ({@code quarkus.oidc.*}). */
        OIDC,
        /** The users file ({@code cockpit.fleet.sign-in.users-file}). */
        USERS_FILE
    }

    /** The outcome of authenticating one request, for the sign-in routes. */
    public sealed interface Attempt {
        /** Credentials were sent and are valid. */
        record SignedIn(SecurityIdentity security, Identity identity) implements Attempt {
        }

        /** No credentials were sent. */
        record Anonymous() implements Attempt {
        }

        /** Credentials were sent but refused (the cause is for logs, never for the client). */
        record Refused(Throwable cause) implements Attempt {
        }

        /**
         * Quarkus answers with a redirect: the provider's redirect back was handled and the session cookie set, or
         * sign-out goes on at the provider.
         */
        record Redirect(int status, String location) implements Attempt {
        }
    }

    @Inject
    SignInConfig config;
    @Inject
    Instance<HttpAuthenticator> authenticator;

    private volatile Optional<Method> method;
    private volatile Optional<String> providerOrigin;

    /** Fails the start when both ways of signing in are configured: which one applies must never be a guess. */
    void check(@Observes StartupEvent start) {
        method();
    }

    /** Whether a sign-in is configured (fleet mode's sign-in). */
    public boolean enabled() {
        return method().isPresent();
    }

    /** How people sign in, if at all. */
    public Optional<Method> method() {
        Optional<Method> m = method;
        if (m == null) {
            var mp = ConfigProvider.getConfig();
            boolean oidc = mp.getOptionalValue("quarkus.oidc.auth-server-url", String.class).isPresent()
                    && mp.getOptionalValue("quarkus.oidc.tenant-enabled", Boolean.class).orElse(true);
            boolean usersFile = config.usersFile().isPresent();
            if (oidc && usersFile) {
                throw new IllegalStateException("both quarkus.oidc.auth-server-url and cockpit.fleet.sign-in.users-file "
                        + "are set: configure one way of signing in");
            }
            m = oidc ? Optional.of(Method.OIDC) : usersFile ? Optional.of(Method.USERS_FILE) : Optional.empty();
            method = m;
        }
        return m;
    }

    /**
     * The origin the fleet page's sign-out form ends up at besides the gateway: the OpenID Connect provider's, whose
     * logout endpoint the gateway redirects the form's POST to. Browsers apply the page's CSP {@code form-action} to
     * that redirect too, so the page must name it. Empty without a provider or when the provider's logout is off.
     */
    public Optional<String> providerOrigin() {
        Optional<String> o = providerOrigin;
        if (o == null) {
            // settings do not change while the gateway runs: worked out once, not per page served
            o = method().equals(Optional.of(Method.OIDC)) && config.providerLogout()
                    ? ConfigProvider.getConfig().getOptionalValue("quarkus.oidc.auth-server-url", String.class)
                            .flatMap(SignIn::origin)
                    : Optional.empty();
            providerOrigin = o;
        }
        return o;
    }

    /** {@code scheme://host[:port]} of an absolute http(s) URL. */
    static Optional<String> origin(String url) {
        try {
            java.net.URI u = java.net.URI.create(url.strip());
            String scheme = u.getScheme();
            if (u.getHost() == null || scheme == null
                    || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
                return Optional.empty();
            }
            String host = u.getHost().contains(":") && !u.getHost().startsWith("[") ? "[" + u.getHost() + "]" : u.getHost();
            return Optional.of(scheme.toLowerCase(java.util.Locale.ROOT) + "://" + host
                    + (u.getPort() >= 0 ? ":" + u.getPort() : ""));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The person signed in on this request, if any (see the class description). The stage completes on a Vert.x or
     * worker thread, never with an exception.
     */
    public CompletionStage<Optional<Identity>> identity(RoutingContext ctx) {
        return attempt(ctx).map(a -> a instanceof Attempt.SignedIn s ? Optional.of(s.identity()) : Optional.<Identity>empty())
                .subscribeAsCompletionStage();
    }

    /** Authenticates this request once (later calls get the same answer). */
    public Uni<Attempt> attempt(RoutingContext ctx) {
        if (!enabled()) {
            return Uni.createFrom().item(new Attempt.Anonymous());
        }
        HttpAuthenticator auth = authenticator.get();
        // Our routes run before Quarkus' own authentication handler (which never sees gateway requests), so the
        // deferred identity is usually made here; if that handler did run, its answer is reused, but its failure
        // handler (which would send a challenge: a redirect to the provider) is replaced by none: we answer.
        ctx.put(QuarkusHttpUser.AUTH_FAILURE_HANDLER, (BiConsumer<RoutingContext, Throwable>) (c, t) -> {
        });
        Uni<SecurityIdentity> deferred = ctx.get(QuarkusHttpUser.DEFERRED_IDENTITY_KEY);
        if (deferred == null) {
            ctx.put(HttpAuthenticator.class.getName(), auth);
            deferred = auth.attemptAuthentication(ctx).memoize().indefinitely();
            ctx.put(QuarkusHttpUser.DEFERRED_IDENTITY_KEY, deferred);
        }
        return deferred.map(SignIn::classify).onFailure().recoverWithItem(SignIn::classifyFailure);
    }

    /**
     * The challenge that starts a sign-in (OpenID Connect: a redirect to the provider, with the state cookie set on
     * the response). Only for a request that {@link #attempt} found {@link Attempt.Anonymous} or refused.
     */
    public Uni<ChallengeData> challenge(RoutingContext ctx) {
        return authenticator.get().getChallenge(ctx);
    }

    /** The user name of a signed-in identity, as {@link #identity} maps it (for the audit log). */
    public static String userName(SecurityIdentity security) {
        return UsersFileIdentities.user(security).orElseGet(() -> preferredUsername(security));
    }

    private static Attempt classify(SecurityIdentity security) {
        if (security == null || security.isAnonymous()) {
            return new Attempt.Anonymous();
        }
        String user = userName(security);
        try {
            return new Attempt.SignedIn(security, new Identity(user, security.getRoles()));
        } catch (IllegalArgumentException e) {
            LOG.warnf("sign-in refused: the identity provider's user or group name is unusable (%s)", e.getMessage());
            return new Attempt.Refused(e);
        }
    }

    private static Attempt classifyFailure(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && !(t instanceof AuthenticationRedirectException)) {
            t = t.getCause();
        }
        if (t instanceof AuthenticationRedirectException r) {
            return new Attempt.Redirect(r.getCode(), r.getRedirectUri());
        }
        LOG.debugf("sign-in credentials refused: %s", failure.toString());
        return new Attempt.Refused(failure);
    }

    private static String preferredUsername(SecurityIdentity security) {
        if (security.getPrincipal() instanceof JsonWebToken jwt) {
            Object name = jwt.getClaim("preferred_username");
            if (name instanceof String s && !s.isBlank()) {
                return s;
            }
            if (name instanceof jakarta.json.JsonString s && !s.getString().isBlank()) {
                return s.getString();
            }
        }
        return security.getPrincipal().getName();
    }
}
