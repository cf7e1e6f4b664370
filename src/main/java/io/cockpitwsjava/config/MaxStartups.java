package io.cockpitwsjava.config;

import java.util.random.RandomGenerator;

/**
 * [WebService] MaxStartups: a hard limit {@code N} ({@code 0} = unlimited) or random early drop
 * {@code start:rate:full} (refuse with probability rising linearly from rate% at start to 100% at full).
 */
public record MaxStartups(int start, int rate, int full) {
    public static final MaxStartups DEFAULT = new MaxStartups(10, 100, 10);

    /**
     * Parses the option; an invalid spec gives the default, as upstream. As upstream (and its tests), a spec
     * with only {@code start:rate} uses its first number as the hard limit, and a rate must be 1..100.
     */
    public static MaxStartups parse(String spec) {
        if (spec == null || spec.isBlank()) {
            return DEFAULT;
        }
        try {
            String[] parts = spec.strip().split(":");
            if (parts.length == 1 || parts.length == 2) {
                int n = Integer.parseInt(parts[0]);
                if (parts.length == 2) {
                    Integer.parseInt(parts[1]); // must still be a number
                }
                return n < 0 ? DEFAULT : new MaxStartups(n, 100, n);
            }
            if (parts.length == 3) {
                int start = Integer.parseInt(parts[0]);
                int rate = Integer.parseInt(parts[1]);
                int full = Integer.parseInt(parts[2]);
                if (start < 0 || rate < 1 || rate > 100 || full < start) {
                    return DEFAULT;
                }
                return new MaxStartups(start, rate, full);
            }
        } catch (NumberFormatException e) {
            // fall through to the default
        }
        return DEFAULT;
    }

    /** Whether one more attempt may start while {@code inFlight} are running. */
    public boolean admits(int inFlight, RandomGenerator random) {
        if (full == 0) {
            return true; // 0 = unlimited
        }
        if (inFlight < start) {
            return true;
        }
        if (inFlight >= full) {
            return false;
        }
        double p = rate + (100.0 - rate) * (inFlight - start) / (double) (full - start);
        return random.nextDouble() * 100.0 >= p;
    }
}
