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

    Prober prober();

    Api api();

    /** The per-login user certificates. */
    interface Certificate {
        /** How long a certificate is valid after it is made (10s..1h); sshd checks it only at login. */
        @WithDefault("5m")
        Duration validity();

        /** Validity starts this long before now, for VMs whose clock is behind (0..10m). */
        @WithDefault("1m")
        Duration clockSkew();
    }

    /**
     * The status prober's limits (docs/fleet.md, "Status prober"). It runs when the inventory has a {@code probe:}
     * section, which also sets the interval.
     */
    interface Prober {
        /** Hosts being connected to at once (runs on connections already open do not wait for this). */
        @WithDefault("16")
        int concurrency();

        /** Time allowed to connect, and then to log in. */
        @WithDefault("10s")
        Duration connectTimeout();

        /** Time allowed for one run of the status command; a host that misses it is down. */
        @WithDefault("5s")
        Duration runTimeout();

        /** Bytes read from one run's output; a host printing more is down ("output too large"). */
        @WithDefault("65536")
        int maxOutputBytes();

        /** How often a host is asked for its pending updates (a slower run); 0 = never. */
        @WithDefault("1h")
        Duration updatesInterval();

        /** MINA I/O threads of the prober's own SSH client. */
        @WithDefault("2")
        int nioWorkers();
    }

    /** The fleet API ({@code <root>/fleet/api/}). */
    interface Api {
        /** Event streams ({@code fleet/api/events}) open at once in this gateway; more are refused with 503. */
        @WithDefault("500")
        int maxEventStreams();

        /** A comment line on idle event streams this often, so that proxies do not close them. */
        @WithDefault("15s")
        Duration eventsHeartbeat();

        /** An event stream is closed after this long; the browser reconnects, and the sign-in is checked again. */
        @WithDefault("10m")
        Duration eventsMaxAge();
    }
}
