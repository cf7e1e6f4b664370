package io.cockpitwsjava.ssh;

import java.util.EnumMap;
import java.util.Map;

/**
 * When each step of one bridge start happened, from the launch to the bridge's {@code init}: where login time goes
 * (docs/PERFORMANCE.md, "Logins"). A step is noted once, at its first occurrence; a step that did not happen (no
 * payload for an installed bridge) is left out. Cheap: one {@link System#nanoTime()} per step, read once at the end
 * for the DEBUG log and the per-step timers.
 *
 * <p>Steps are noted by the thread that sees them (a virtual thread, MINA I/O threads), one after another: each step
 * is only reached through the previous one, so the futures and MINA's own hand-overs order the writes.
 */
public final class LoginTimeline {

    /** The steps in the order they happen; each one's duration is measured from the previous step that happened. */
    public enum Step {
        /** Name resolved, access policy checked, known_hosts and key files read. */
        RESOLVED("resolve"),
        /** TCP connection established (MINA created the session). */
        CONNECTED("tcp"),
        /** The server's identification line arrived. */
        SERVER_VERSION("version"),
        /** Both KEXINITs exchanged: algorithms agreed. */
        NEGOTIATED("kexinit"),
        /** Our ephemeral key exchange keys generated and sent (for a post-quantum hybrid: the KEM key pair too). */
        KEY_SENT("keygen"),
        /** Key exchange done: the server's reply (its key share, host key and signature) checked, NEWKEYS. */
        KEX_DONE("kex"),
        /** The server listed its authentication methods (service request and the {@code none} probe). */
        METHODS_KNOWN("auth-methods"),
        /** Authenticated (password, key or prompts). */
        AUTHENTICATED("auth"),
        /** The exec channel is open (sshd started the session). */
        EXEC_OPEN("exec"),
        /** A beibooted target's Python asked for the payload (stage 1 ran): installed bridges skip this step. */
        PAYLOAD_REQUESTED("python"),
        /** The bridge sent its init. */
        BRIDGE_INIT("bridge");

        private final String label;

        Step(String label) {
            this.label = label;
        }

        /** The step's name in the log line and the {@code step} tag of {@code cockpit_login_step_seconds}. */
        public String label() {
            return label;
        }
    }

    private final long start;
    private final long[] at = new long[Step.values().length];

    /** A timeline starting now. */
    public LoginTimeline() {
        this(System.nanoTime());
    }

    LoginTimeline(long startNanos) {
        this.start = startNanos;
    }

    /** Notes {@code step} now, unless it was noted before. */
    public void mark(Step step) {
        mark(step, System.nanoTime());
    }

    /** Notes {@code step} at {@code nanos} (a {@link System#nanoTime()} taken when it happened), unless noted before. */
    public void mark(Step step, long nanos) {
        if (at[step.ordinal()] == 0) {
            at[step.ordinal()] = nanos;
        }
    }

    /** Whether {@code step} happened. */
    public boolean reached(Step step) {
        return at[step.ordinal()] != 0;
    }

    /**
     * Each step that happened, in order, with the nanoseconds since the previous step that happened (or since the
     * start). A step noted out of order (before an earlier one) counts as 0.
     */
    public Map<Step, Long> durations() {
        Map<Step, Long> out = new EnumMap<>(Step.class);
        long previous = start;
        for (Step s : Step.values()) {
            long t = at[s.ordinal()];
            if (t != 0) {
                out.put(s, Math.max(0, t - previous));
                previous = Math.max(previous, t);
            }
        }
        return out;
    }

    /** Nanoseconds from the start to the last step that happened. */
    public long elapsed() {
        long last = start;
        for (long t : at) {
            last = Math.max(last, t);
        }
        return last - start;
    }

    /** {@code resolve 0.4 ms, tcp 0.3 ms, …, bridge 160.2 ms; total 402.1 ms}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        durations().forEach((step, nanos) -> {
            if (!b.isEmpty()) {
                b.append(", ");
            }
            b.append(step.label()).append(' ').append(millis(nanos)).append(" ms");
        });
        return b.append(b.isEmpty() ? "" : "; ").append("total ").append(millis(elapsed())).append(" ms").toString();
    }

    private static String millis(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e6);
    }
}
