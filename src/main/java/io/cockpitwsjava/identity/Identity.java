package io.cockpitwsjava.identity;

import java.util.Arrays;
import java.util.Objects;
import java.util.Set;

/**
 * Who is signed in: the user name and the groups the identity provider vouches for (the token's
 * {@code preferred_username} and group claim, or a users-file entry). Access rules match on exactly these strings.
 *
 * @param user  the user name, never blank
 * @param groups group names as the provider sends them (case-sensitive)
 */
public record Identity(String user, Set<String> groups) {

    /** Longer names are refused: they end up in certificates, audit lines and the VMs' sshd logs. */
    public static final int MAX_LENGTH = 256;

    public Identity {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(groups, "groups");
        checkName("user name", user);
        groups.forEach(g -> checkName("group name", Objects.requireNonNull(g, "group")));
        groups = Set.copyOf(groups);
    }

    /** An identity with these groups (none is fine: then only {@code users:} rules can match). */
    public static Identity of(String user, String... groups) {
        return new Identity(user, Set.copyOf(Arrays.asList(groups)));
    }

    private static void checkName(String what, String name) {
        if (name.isBlank()) {
            throw new IllegalArgumentException("empty " + what);
        }
        if (name.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(what + " longer than " + MAX_LENGTH + " characters");
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("control character in " + what);
        }
    }
}
