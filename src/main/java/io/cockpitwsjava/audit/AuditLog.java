package io.cockpitwsjava.audit;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.cockpitwsjava.config.AuditConfig;
import org.jboss.logging.Logger;

/**
 * The audit log: {@link #record} stamps an {@link AuditEvent} with the time (UTC) and writes it as one JSON line to
 * every sink. A sink that fails is reported in the normal log (at most once a minute) and never fails the caller: a
 * full disk must not end people's sessions.
 */
public final class AuditLog implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AuditLog.class);
    private static final Duration WARN_EVERY = Duration.ofMinutes(1);

    private final List<AuditSink> sinks;
    private final Clock clock;
    private Instant lastWarning;
    private long failures;

    public AuditLog(List<AuditSink> sinks, Clock clock) {
        this.sinks = List.copyOf(sinks);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Whether any line goes anywhere (no sinks: auditing is off, and what only feeds it need not run). */
    public boolean writes() {
        return !sinks.isEmpty();
    }

    /** The sinks {@code config} asks for: standard output and/or a file. */
    public static AuditLog open(AuditConfig config) throws IOException {
        List<AuditSink> sinks = new ArrayList<>();
        if (config.stdout()) {
            sinks.add(AuditSink.stdout());
        }
        if (config.file().isPresent()) {
            sinks.add(AuditSink.file(config.file().get()));
        }
        return new AuditLog(sinks, Clock.systemUTC());
    }

    /** Writes {@code event} now. */
    public void record(AuditEvent event) {
        String line = AuditJson.line(Objects.requireNonNull(event, "event"), clock.instant());
        for (AuditSink sink : sinks) {
            try {
                sink.write(line);
            } catch (IOException | RuntimeException e) {
                failed(e);
            }
        }
    }

    /** Lines that could not be written, since start. */
    public synchronized long failures() {
        return failures;
    }

    private synchronized void failed(Exception e) {
        failures++;
        Instant now = clock.instant();
        if (lastWarning == null || Duration.between(lastWarning, now).compareTo(WARN_EVERY) >= 0) {
            lastWarning = now;
            LOG.errorf("cannot write the audit log (%d lines lost so far): %s", failures, e.toString());
        }
    }

    @Override
    public void close() {
        for (AuditSink sink : sinks) {
            try {
                sink.close();
            } catch (IOException e) {
                LOG.warnf("closing an audit sink: %s", e.toString());
            }
        }
    }
}
