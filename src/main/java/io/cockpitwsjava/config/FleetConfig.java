package io.cockpitwsjava.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Fleet mode (docs/fleet.md): people sign in at an identity provider and reach inventory hosts with short-lived SSH
 * certificates. The provider itself is configured through the standard {@code quarkus.oidc.*} settings.
 */
@ConfigMapping(prefix = "cockpit.fleet")
public interface FleetConfig {

    /** The inventory and access rules file (YAML). Setting it (with {@link #userCaKey()}) turns fleet mode on. */
    Optional<Path> inventory();

    /** How often the inventory file is checked for changes (its content is hashed; edits apply within this time). */
    @WithDefault("5s")
    Duration inventoryCheckInterval();

    /** The user CA's private key, OpenSSH format, unencrypted; the VMs trust its public key (TrustedUserCAKeys). */
    Optional<Path> userCaKey();

    Certificate certificate();

    /** The per-login user certificates. */
    interface Certificate {
        /** How long a certificate is valid after it is made (10s..1h); sshd checks it only at login. */
        @WithDefault("5m")
        Duration validity();

        /** Validity starts this long before now, for VMs whose clock is behind (0..10m). */
        @WithDefault("1m")
        Duration clockSkew();
    }
}
