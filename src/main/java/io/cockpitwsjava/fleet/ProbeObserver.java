package io.cockpitwsjava.fleet;

import java.time.Duration;
import java.util.Optional;

/** Told about every finished probe (the metrics). Called on the prober's thread: keep it short. */
@FunctionalInterface
public interface ProbeObserver {

    ProbeObserver NONE = (took, newConnection, problem) -> {
    };

    /**
     * @param took          from the start of the probe (connecting, if it had to) to its result
     * @param newConnection whether the probe had to connect and log in first
     * @param problem       why it failed; empty if the host answered
     */
    void probed(Duration took, boolean newConnection, Optional<ProbeProblem> problem);
}
