package io.cockpitwsjava.metrics;

import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.jboss.logmanager.ExtLogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * Drops one known, harmless start-up warning of Quarkus 3.33 and nothing else: every HTTP verticle instance (one per
 * event loop) registers the gauges {@code vertx.http.connections.current} and {@code vertx.http.connections.max}
 * for the connection limit ({@code quarkus.http.limits.max-connections}), so Micrometer warns that the second
 * instance's registration "will be ignored". All instances count into the same counter, so the gauge the first one
 * registered is the whole server's and nothing is lost; a warning that operators can do nothing about on every
 * start would teach them to ignore warnings. Other duplicate-meter warnings (a real bug of ours) still appear.
 */
@LoggingFilter(name = "shared-connection-gauge")
public final class SharedConnectionGaugeNotice implements Filter {
    static final String MICROMETER_REGISTRY = "io.micrometer.core.instrument.MeterRegistry";

    @Override
    public boolean isLoggable(LogRecord record) {
        // JBoss LogManager's WARN is its own Level object with WARNING's value
        if (!MICROMETER_REGISTRY.equals(record.getLoggerName())
                || record.getLevel().intValue() != Level.WARNING.intValue()) {
            return true;
        }
        String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        return message == null || !message.contains("already registered")
                || !(message.contains("name='vertx.http.connections.current'")
                        || message.contains("name='vertx.http.connections.max'"));
    }
}
