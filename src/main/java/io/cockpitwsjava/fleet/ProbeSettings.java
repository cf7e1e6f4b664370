package io.cockpitwsjava.fleet;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import io.cockpitwsjava.identity.AccessRule;

/**
 * The inventory's {@code probe:} section: the status prober runs only when it is present.
 *
 * @param interval how often each host is checked
 * @param sshUser  the account the prober logs in as; empty: the first {@code ssh-user} a rule grants for that host
 */
public record ProbeSettings(Duration interval, Optional<String> sshUser) {

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    public static final Duration MIN_INTERVAL = Duration.ofSeconds(5);
    public static final Duration MAX_INTERVAL = Duration.ofHours(24);

    public ProbeSettings {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(sshUser, "sshUser");
        if (interval.compareTo(MIN_INTERVAL) < 0 || interval.compareTo(MAX_INTERVAL) > 0) {
            throw new IllegalArgumentException("probe interval must be between 5s and 24h");
        }
        sshUser.ifPresent(AccessRule::checkSshUser);
    }
}
