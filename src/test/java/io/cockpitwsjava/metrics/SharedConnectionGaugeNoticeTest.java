package io.cockpitwsjava.metrics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.logging.Level;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

class SharedConnectionGaugeNoticeTest {
    private final SharedConnectionGaugeNotice filter = new SharedConnectionGaugeNotice();

    private static ExtLogRecord record(String logger, java.util.logging.Level level, String message) {
        ExtLogRecord r = new ExtLogRecord(level, message, SharedConnectionGaugeNoticeTest.class.getName());
        r.setLoggerName(logger);
        return r;
    }

    private static String duplicate(String name) {
        return "This Gauge has been already registered (MeterId{name='" + name + "', tags=[]}), the registration will "
                + "be ignored. Note that subsequent logs will be logged at debug level.";
    }

    @Test
    void dropsOnlyTheRepeatedConnectionLimitGauges() {
        String micrometer = SharedConnectionGaugeNotice.MICROMETER_REGISTRY;
        assertFalse(filter.isLoggable(record(micrometer, org.jboss.logmanager.Level.WARN,
                duplicate("vertx.http.connections.current"))));
        assertFalse(filter.isLoggable(record(micrometer, Level.WARNING, duplicate("vertx.http.connections.max"))));
    }

    @Test
    void keepsEveryOtherRecord() {
        String micrometer = SharedConnectionGaugeNotice.MICROMETER_REGISTRY;
        // a duplicate of one of our own meters is a bug of ours and must stay visible
        assertTrue(filter.isLoggable(record(micrometer, Level.WARNING, duplicate("cockpit_sessions"))));
        // the same words from another logger or at another level
        assertTrue(filter.isLoggable(record("io.cockpitwsjava.web", Level.WARNING,
                duplicate("vertx.http.connections.current"))));
        assertTrue(filter.isLoggable(record(micrometer, Level.SEVERE, duplicate("vertx.http.connections.current"))));
        assertTrue(filter.isLoggable(record(micrometer, Level.WARNING, "vertx.http.connections.current is slow")));
        assertTrue(filter.isLoggable(record(micrometer, Level.WARNING, null)));
    }
}
