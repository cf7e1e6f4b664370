package io.cockpitwsjava.identity;

import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One entry of the {@code access:} list: who ({@code users} and/or {@code groups}) may reach which hosts, as which SSH
 * user, and whether the session may become superuser.
 *
 * @param number    position in the file, 1-based (audit and messages say "rule 2")
 * @param line      line of the rule in the inventory file, 0 if it did not come from a file
 * @param users     user names this rule applies to
 * @param groups    group names this rule applies to (any one suffices)
 * @param hosts     which hosts
 * @param sshUser   the account on the host; also the certificate's principal
 * @param superuser whether the session may use administrative access (the bridge's {@code sudo})
 */
public record AccessRule(int number, int line, Set<String> users, Set<String> groups, HostSelector hosts,
        String sshUser, boolean superuser) {

    public AccessRule {
        Objects.requireNonNull(hosts, "hosts");
        Objects.requireNonNull(sshUser, "sshUser");
        checkSshUser(sshUser);
        users = Set.copyOf(users);
        groups = Set.copyOf(groups);
        if (users.isEmpty() && groups.isEmpty()) {
            throw new IllegalArgumentException("an access rule needs users or groups");
        }
        if (number < 1) {
            throw new IllegalArgumentException("rule numbers start at 1");
        }
    }

    /**
     * SSH user names: a letter or {@code _}, then up to 31 letters, digits, {@code .}, {@code _} or {@code -} (the
     * portable POSIX user name set, plus upper case and dots as some directories use). The name becomes the
     * certificate's principal and appears in the VMs' logs.
     */
    public static final Pattern SSH_USER = Pattern.compile("[A-Za-z_][A-Za-z0-9._-]{0,31}");

    /** Throws a clear {@link IllegalArgumentException} unless {@code name} matches {@link #SSH_USER}. */
    public static void checkSshUser(String name) {
        if (!SSH_USER.matcher(name).matches()) {
            throw new IllegalArgumentException("bad ssh user name '" + name
                    + "': use a letter or '_' then up to 31 letters, digits, '.', '_' or '-'");
        }
    }

    /** True if the rule names this identity: its user name, or one of its groups. */
    public boolean appliesTo(Identity who) {
        return users.contains(who.user()) || !Collections.disjoint(groups, who.groups());
    }

    /** True if the rule grants {@code who} access to {@code host}. */
    public boolean grants(Identity who, LabelledHost host) {
        return appliesTo(who) && hosts.matches(host.labels());
    }

    /**
     * True if this rule matches every (identity, host) pair that {@code later} matches, so {@code later} can never be
     * the first match. Group membership is unknown here, so only literal containment counts.
     */
    public boolean shadows(AccessRule later) {
        return users.containsAll(later.users) && groups.containsAll(later.groups) && hosts.covers(later.hosts);
    }

    /** "rule 2 (line 14)", for messages. */
    public String describe() {
        return line > 0 ? "rule " + number + " (line " + line + ")" : "rule " + number;
    }
}
