package io.cockpitwsjava.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

import io.cockpitwsjava.metrics.UnattendedCredentialsAtStartTest.Recorded;
import io.cockpitwsjava.web.HttpTransport;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The start line and the gauge naming the HTTP server's transport: INFO when fine, WARN after a fallback. */
class HttpTransportAtStartTest {

    private static List<LogRecord> start(HttpTransportAtStart bean) {
        Logger logger = Logger.getLogger(HttpTransportAtStart.class.getName());
        Recorded recorded = new Recorded();
        logger.addHandler(recorded);
        try {
            bean.onStart(null);
        } finally {
            logger.removeHandler(recorded);
        }
        return recorded.records;
    }

    private static Gauge gauge(HttpTransportAtStart bean) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        bean.bindTo(registry);
        return registry.get("cockpit.http.transport.info").gauge();
    }

    @Test
    void epollIsLoggedOnceAtInfoAndTagged() {
        HttpTransportAtStart bean = new HttpTransportAtStart(new HttpTransport("epoll", true, java.util.Optional.empty()));
        List<LogRecord> records = start(bean);
        assertEquals(1, records.size(), records.toString());
        assertEquals(Level.INFO.intValue(), records.get(0).getLevel().intValue());
        assertEquals("HTTP server transport: epoll (Netty's native transport)", records.get(0).getMessage());
        Gauge g = gauge(bean);
        assertEquals("epoll", g.getId().getTag("transport"));
        assertEquals(1.0, g.value());
    }

    @Test
    void fallbackToNioIsAWarningWithItsCause() {
        HttpTransport nio = HttpTransport.of(false, false, true, new UnsatisfiedLinkError("failed to map segment"));
        HttpTransportAtStart bean = new HttpTransportAtStart(nio);
        List<LogRecord> records = start(bean);
        assertEquals(1, records.size(), records.toString());
        assertEquals(Level.WARNING.intValue(), records.get(0).getLevel().intValue());
        assertTrue(records.get(0).getMessage().contains("failed to map segment"), records.get(0).getMessage());
        assertEquals("nio", gauge(bean).getId().getTag("transport"));
    }

    @Test
    void nioByChoiceIsInfo() {
        HttpTransportAtStart bean = new HttpTransportAtStart(HttpTransport.of(false, false, false, null));
        List<LogRecord> records = start(bean);
        assertEquals(Level.INFO.intValue(), records.get(0).getLevel().intValue());
        assertEquals("nio", gauge(bean).getId().getTag("transport"));
    }
}
