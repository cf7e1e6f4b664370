package io.cockpitwsjava.signin;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.smallrye.mutiny.Uni;

/**
 * Checks a user name and password from the sign-in form against the users file (Quarkus form authentication hands
 * them over). The bcrypt check runs on a worker thread: it takes tens of milliseconds by design.
 */
@ApplicationScoped
public class UsersFilePasswordCheck implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    @Inject
    UsersFileSource source;

    Clock clock = Clock.systemUTC();

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request,
            AuthenticationRequestContext context) {
        return context.runBlocking(() -> {
            char[] password = request.getPassword().getPassword();
            UsersFile.Entry entry = source.current()
                    .flatMap(file -> file.check(request.getUsername(), password))
                    .orElseThrow(() -> new AuthenticationFailedException("wrong user name or password"));
            return UsersFileIdentities.of(entry, clock.instant());
        });
    }
}
