package io.cockpitwsjava.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

import io.cockpitwsjava.ssh.HostAccessPolicy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The start-up warning and gauge for an ssh-agent with an allow-list that admits any host (issue 7 row 13). */
class UnattendedCredentialsAtStartTest {

    /** Records what the bean logs (the JBoss log manager is the JUL manager in tests). */
    static final class Recorded extends Handler {
        final List<LogRecord> records = new CopyOnWriteArrayList<>();

        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    static double gauge(UnattendedCredentialsAtStart bean) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        bean.bindTo(registry);
        return registry.get("cockpit.ssh.unattended.credentials.exposed").gauge().value();
    }

    @Test
    void agentAndAnyHostWarnAtStartAndSetTheGauge() {
        Logger logger = Logger.getLogger(UnattendedCredentialsAtStart.class.getName());
        Recorded recorded = new Recorded();
        logger.addHandler(recorded);
        try {
            UnattendedCredentialsAtStart bean = new UnattendedCredentialsAtStart(
                    new HostAccessPolicy(List.of("*:22"), List.of()), Map.of("SSH_AUTH_SOCK", "/run/agent.sock"));
            bean.onStart(null);
            assertEquals(1.0, gauge(bean));
            LogRecord warning = recorded.records.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
                    .findFirst().orElseThrow(() -> new AssertionError("no warning in " + recorded.records));
            assertTrue(warning.getMessage().contains("log in with just a user name"), warning.getMessage());
        } finally {
            logger.removeHandler(recorded);
        }
    }

    @Test
    void namedHostsNeitherWarnNorSetTheGauge() {
        UnattendedCredentialsAtStart bean = new UnattendedCredentialsAtStart(
                new HostAccessPolicy(List.of("10.0.0.0/8"), List.of()), Map.of("SSH_AUTH_SOCK", "/run/agent.sock"));
        assertEquals(0.0, gauge(bean));
    }
}
