package io.cockpitwsjava.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The gateway sign-in of fleet mode (docs/fleet.md, "Sign-in"). The identity provider itself is configured with the
 * standard {@code quarkus.oidc.*} settings; these are the gateway's own additions: the users file for a single admin
 * without a provider, and the lifetime of a sign-in.
 */
@ConfigMapping(prefix = "cockpit.fleet.sign-in")
public interface SignInConfig {

    /**
     * A users file ({@code user:bcrypt-hash[:group,group]} per line) for signing in without an identity provider.
     * Not together with {@code quarkus.oidc.auth-server-url}.
     */
    Optional<Path> usersFile();

    /**
     * A sign-in ends after this long without a request. Users file: the sign-in cookie's idle timeout. OpenID
     * Connect: how long the session outlives its ID token, during which a request refreshes the tokens at the provider
     * (whose own session limits also apply).
     */
    @WithDefault("30m")
    Duration idleTimeout();

    /**
     * Users file: a sign-in ends this long after the password was entered, however active it is. With OpenID Connect
     * the provider's maximum session length decides (refreshing the tokens fails after it).
     */
    @WithDefault("12h")
    Duration lifetime();

    /**
     * OpenID Connect: signing out also ends the session at the provider (RP-initiated logout, the provider's
     * {@code end_session_endpoint}). Turn off for a provider without one; signing out then ends only the gateway's
     * session, and the next sign-in may pass the provider without a password.
     */
    @WithDefault("true")
    boolean providerLogout();
}
