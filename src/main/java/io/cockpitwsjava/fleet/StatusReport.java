package io.cockpitwsjava.fleet;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What one status run found on a VM. Every field is optional: a VM without systemd has no failed units to report (not
 * "none"), one that was not asked for updates has no update count.
 *
 * @param os          {@code PRETTY_NAME} of os-release
 * @param kernel      the kernel release ({@code uname -r})
 * @param uptimeSeconds whole seconds since boot
 * @param load        load average over 1, 5 and 15 minutes
 * @param memory      total and available memory
 * @param failedUnits names of failed systemd units (at most {@link StatusParser#MAX_UNITS}); empty = no systemd
 * @param updates     pending package updates; empty = not checked or not cheaply known
 */
public record StatusReport(Optional<String> os, Optional<String> kernel, OptionalLong uptimeSeconds,
        Optional<Load> load, Optional<Memory> memory, Optional<List<String>> failedUnits, OptionalInt updates) {

    public StatusReport {
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(uptimeSeconds, "uptimeSeconds");
        Objects.requireNonNull(load, "load");
        Objects.requireNonNull(memory, "memory");
        failedUnits = failedUnits.map(List::copyOf);
        Objects.requireNonNull(updates, "updates");
    }

    /** Load averages. */
    public record Load(double one, double five, double fifteen) {
    }

    /** Memory in bytes: {@code MemTotal} and {@code MemAvailable} of {@code /proc/meminfo}. */
    public record Memory(long totalBytes, long availableBytes) {
    }

    /** This report with {@code count} as the update count (a plain run keeps the count of the last updates run). */
    public StatusReport withUpdates(OptionalInt count) {
        return new StatusReport(os, kernel, uptimeSeconds, load, memory, failedUnits, count);
    }
}
