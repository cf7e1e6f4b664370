package io.cockpitwsjava.signin;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.cockpitwsjava.config.SignInConfig;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TrustedAuthenticationRequest;
import io.smallrye.mutiny.Uni;

/**
 * Turns the users-file sign-in cookie, which Quarkus form authentication has already decrypted and checked for its
 * idle timeout, back into an identity: enforces the sign-in's lifetime and takes the user's groups from the users file
 * as it is now (a removed user is signed out).
 */
@ApplicationScoped
public class UsersFileSessionCheck implements IdentityProvider<TrustedAuthenticationRequest> {

    @Inject
    UsersFileSource source;
    @Inject
    SignInConfig config;

    Clock clock = Clock.systemUTC();

    @Override
    public Class<TrustedAuthenticationRequest> getRequestType() {
        return TrustedAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TrustedAuthenticationRequest request,
            AuthenticationRequestContext context) {
        return context.runBlocking(() -> UsersFileIdentities.restore(request.getPrincipal(), source.current(),
                config.lifetime(), clock));
    }
}
