package io.cockpitwsjava.fleet;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the gateway knows about one host right now.
 *
 * @param state     up, down or unknown
 * @param problem   why it is down (empty when up or unknown)
 * @param reason    a short phrase for people: the problem in words, or why the host is not probed
 * @param report    the last status, present only when up
 * @param checkedAt when the last probe ended (empty before the first one)
 * @param since     when the host entered this state (as far as this gateway saw)
 */
public record HostStatus(HostState state, Optional<ProbeProblem> problem, Optional<String> reason,
        Optional<StatusReport> report, Optional<Instant> checkedAt, Instant since) {

    public HostStatus {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(checkedAt, "checkedAt");
        Objects.requireNonNull(since, "since");
    }

    /** Not probed (yet), with an optional explanation. */
    public static HostStatus unknown(Instant now, Optional<String> reason) {
        return new HostStatus(HostState.UNKNOWN, Optional.empty(), reason, Optional.empty(), Optional.empty(), now);
    }

    /** The next status after a successful run at {@code at}. */
    public HostStatus up(StatusReport r, Instant at) {
        return new HostStatus(HostState.UP, Optional.empty(), Optional.empty(), Optional.of(r), Optional.of(at),
                state == HostState.UP ? since : at);
    }

    /** The next status after a failed probe at {@code at}. */
    public HostStatus down(ProbeProblem p, String why, Instant at) {
        return new HostStatus(HostState.DOWN, Optional.of(p), Optional.of(why), Optional.empty(), Optional.of(at),
                state == HostState.DOWN ? since : at);
    }

    /** The same status with {@code count} as the report's pending updates (nothing changes without a report). */
    public HostStatus withUpdates(java.util.OptionalInt count) {
        return new HostStatus(state, problem, reason, report.map(r -> r.withUpdates(count)), checkedAt, since);
    }
}
