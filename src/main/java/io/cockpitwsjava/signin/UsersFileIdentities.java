package io.cockpitwsjava.signin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;

/**
 * The security identities of users-file sign-ins. The sign-in cookie (Quarkus form authentication, encrypted and
 * authenticated with the session key) stores only the principal's name, so that name carries the moment the password
 * was entered, {@code <epoch seconds>:<user>}: the sign-in's lifetime is enforced from it on every request, however
 * often the cookie is renewed. The plain user name is the attribute {@value #USER}.
 */
final class UsersFileIdentities {
    /** Identity attribute: the user name (a String). */
    static final String USER = "cockpit.users-file.user";
    /** Identity attribute: when the password was entered (an Instant). */
    static final String SIGNED_IN_AT = "cockpit.users-file.signed-in-at";
    /** A sign-in time this far ahead of the clock is not believed. */
    private static final Duration FUTURE_TOLERANCE = Duration.ofMinutes(1);

    private UsersFileIdentities() {
    }

    /** An identity for this users-file entry, signed in at {@code at}. */
    static SecurityIdentity of(UsersFile.Entry entry, Instant at) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(at.getEpochSecond() + ":" + entry.user()))
                .addRoles(entry.groups())
                .addAttribute(USER, entry.user())
                .addAttribute(SIGNED_IN_AT, at)
                .build();
    }

    /** The identity a sign-in cookie's principal stands for, with the groups the file gives that user now. */
    static SecurityIdentity restore(String principal, Optional<UsersFile> file, Duration lifetime, Clock clock) {
        int colon = principal.indexOf(':');
        long epoch;
        try {
            epoch = colon > 0 ? Long.parseLong(principal.substring(0, colon)) : -1;
        } catch (NumberFormatException e) {
            epoch = -1;
        }
        if (epoch < 0) {
            throw new AuthenticationFailedException("not a users-file sign-in");
        }
        Instant at = Instant.ofEpochSecond(epoch);
        Instant now = clock.instant();
        if (at.isAfter(now.plus(FUTURE_TOLERANCE)) || !now.isBefore(at.plus(lifetime))) {
            throw new AuthenticationFailedException("users-file sign-in expired");
        }
        String user = principal.substring(colon + 1);
        // a person removed from the file is signed out at their next request
        UsersFile.Entry entry = file.flatMap(f -> f.find(user))
                .orElseThrow(() -> new AuthenticationFailedException("user no longer in the users file"));
        return of(entry, at);
    }

    /** The user name of a users-file identity, if it is one. */
    static Optional<String> user(SecurityIdentity identity) {
        Object user = identity.getAttribute(USER);
        return user instanceof String s ? Optional.of(s) : Optional.empty();
    }
}
