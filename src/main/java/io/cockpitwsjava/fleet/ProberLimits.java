package io.cockpitwsjava.fleet;

import java.time.Duration;

/**
 * The prober's own limits ({@code cockpit.fleet.prober.*}), apart from the interval, which the inventory sets.
 *
 * @param concurrency     hosts being connected to at once (TCP, key exchange, certificate login); status runs on
 *                        connections already open do not wait for this
 * @param connectTimeout  connecting and logging in, each
 * @param runTimeout      one run of the status command on an open connection
 * @param maxOutputBytes  bytes read from one run (stdout and stderr each); more ends the run as
 *                        {@link ProbeProblem#OUTPUT_TOO_LARGE}
 * @param updatesInterval how often a host is asked for its pending updates; zero = never
 */
public record ProberLimits(int concurrency, Duration connectTimeout, Duration runTimeout, int maxOutputBytes,
        Duration updatesInterval) {

    /**
     * Extra time a run that counts pending updates gets (the package manager reads its cache). It runs beside the
     * status runs and never decides the host's state.
     */
    public static final Duration UPDATES_EXTRA = Duration.ofSeconds(25);

    public static final ProberLimits DEFAULTS = new ProberLimits(16, Duration.ofSeconds(10), Duration.ofSeconds(5),
            64 * 1024, Duration.ofHours(1));

    public ProberLimits {
        if (concurrency < 1 || concurrency > 1024) {
            throw new IllegalArgumentException("prober concurrency must be 1..1024, is " + concurrency);
        }
        within("connect timeout", connectTimeout, Duration.ofSeconds(1), Duration.ofMinutes(5));
        within("run timeout", runTimeout, Duration.ofSeconds(1), Duration.ofMinutes(5));
        if (maxOutputBytes < 1024 || maxOutputBytes > 16 * 1024 * 1024) {
            throw new IllegalArgumentException("prober max output must be 1 KiB..16 MiB, is " + maxOutputBytes);
        }
        if (!updatesInterval.isZero()) {
            within("updates interval", updatesInterval, Duration.ofMinutes(1), Duration.ofDays(7));
        }
    }

    private static void within(String what, Duration d, Duration min, Duration max) {
        if (d == null || d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException("prober " + what + " must be " + min + ".." + max + ", is " + d);
        }
    }
}
