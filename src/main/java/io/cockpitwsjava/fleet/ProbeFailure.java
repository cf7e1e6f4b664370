package io.cockpitwsjava.fleet;

import java.util.Objects;

/**
 * A probe that did not produce a status: the {@link ProbeProblem} (a fixed set, for metrics and the API) and a
 * message for people and logs. Messages never quote more than a few bytes of what a VM sent.
 */
public final class ProbeFailure extends Exception {

    private final ProbeProblem problem;

    public ProbeFailure(ProbeProblem problem, String message) {
        super(message, null, false, false);
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    public ProbeProblem problem() {
        return problem;
    }
}
