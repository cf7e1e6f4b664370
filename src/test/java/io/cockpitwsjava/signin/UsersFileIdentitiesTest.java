package io.cockpitwsjava.signin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;

/** A users-file sign-in cookie's principal: lifetime, clock, removed users, groups as the file says now. */
class UsersFileIdentitiesTest {
    private static final Instant SIGNED_IN = Instant.parse("2026-05-06T07:00:00Z");
    private static final Duration LIFETIME = Duration.ofHours(12);

    private static UsersFile file(String groups) throws Exception {
        return UsersFile.parse("alice:" + OpenBSDBCrypt.generate("2y", "pw".toCharArray(), new byte[16], 4) + groups);
    }

    private static Clock at(Instant now) {
        return Clock.fixed(now, ZoneOffset.UTC);
    }

    @Test
    void theCookieKeepsTheSignInTimeAndTheFileDecidesTheGroups() throws Exception {
        SecurityIdentity signedIn = UsersFileIdentities.of(file(":ops").find("alice").orElseThrow(), SIGNED_IN);
        String principal = signedIn.getPrincipal().getName();
        assertEquals(SIGNED_IN.getEpochSecond() + ":alice", principal);
        SecurityIdentity later = UsersFileIdentities.restore(principal, Optional.of(file(":ops,dev")), LIFETIME,
                at(SIGNED_IN.plus(Duration.ofHours(11))));
        assertEquals(Optional.of("alice"), UsersFileIdentities.user(later));
        assertEquals(Set.of("ops", "dev"), later.getRoles());
        assertEquals(principal, later.getPrincipal().getName(), "renewed cookies keep the original time");
    }

    @Test
    void expiredFutureRemovedAndForeignPrincipalsAreRefused() throws Exception {
        String principal = SIGNED_IN.getEpochSecond() + ":alice";
        Optional<UsersFile> file = Optional.of(file(""));
        assertThrows(AuthenticationFailedException.class, () -> UsersFileIdentities.restore(principal, file, LIFETIME,
                at(SIGNED_IN.plus(LIFETIME))));
        assertThrows(AuthenticationFailedException.class, () -> UsersFileIdentities.restore(principal, file, LIFETIME,
                at(SIGNED_IN.minus(Duration.ofMinutes(2)))));
        assertThrows(AuthenticationFailedException.class, () -> UsersFileIdentities.restore(principal,
                Optional.of(UsersFile.parse("# empty")), LIFETIME, at(SIGNED_IN)));
        assertThrows(AuthenticationFailedException.class, () -> UsersFileIdentities.restore(principal,
                Optional.empty(), LIFETIME, at(SIGNED_IN)));
        for (String foreign : new String[] {"alice", ":alice", "x:alice", "-5:alice"}) {
            assertThrows(AuthenticationFailedException.class, () -> UsersFileIdentities.restore(foreign, file, LIFETIME,
                    at(SIGNED_IN)), foreign);
        }
    }
}
