package io.cockpitwsjava.fleet;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How the inventory file stands, for a log line, a metric or a banner on the fleet page.
 *
 * @param file     the configured path
 * @param loadedAt when the inventory in use was read; empty if no valid file was ever read (then nothing is reachable)
 * @param sha256   hex SHA-256 of the file content in use (empty with {@code loadedAt})
 * @param hosts    hosts in the inventory in use
 * @param rules    access rules in the inventory in use
 * @param warnings valid but probably unintended things in the inventory in use
 * @param error    present while the file on disk cannot be used; the previous inventory stays in force
 */
public record InventoryStatus(Path file, Optional<Instant> loadedAt, Optional<String> sha256, int hosts, int rules,
        List<String> warnings, Optional<Failure> error) {

    public InventoryStatus {
        Objects.requireNonNull(file, "file");
        warnings = List.copyOf(warnings);
    }

    /**
     * Why the file on disk is not in use.
     *
     * @param message  every problem found, or why the file could not be read
     * @param problems the same, one entry per problem
     * @param since    when this failure was first seen
     */
    public record Failure(String message, List<String> problems, Instant since) {
        public Failure {
            problems = List.copyOf(problems);
        }
    }

    /** True if the file on disk is the inventory in use. */
    public boolean current() {
        return error.isEmpty() && loadedAt.isPresent();
    }
}
