package io.cockpitwsjava.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** {@link LoginMetrics}: meters by outcome, problem and bridge mode; problem labels stay a small set. */
class LoginMetricsTest {

    @ParameterizedTest
    @CsvSource(nullValues = "NULL", value = {
            "authentication-failed, authentication-failed",
            "no-cockpit,            no-cockpit",
            "unknown-hostkey,       unknown-hostkey",
            "NULL,                  other",
            "'',                    other",
            "'Connection refused by 10.0.0.1', other",
            "Authentication-Failed, other",
            "a-very-long-problem-code-that-no-cockpit-release-has-ever-used, other"})
    void problemLabels(String problem, String label) {
        assertEquals(label, LoginMetrics.problemLabel(problem));
    }

    @Test
    void outcomesModesAndLatency() {
        MeterRegistry registry = new SimpleMeterRegistry();
        LoginMetrics metrics = new LoginMetrics(registry);
        metrics.loginSucceeded(true, Duration.ofMillis(800).toNanos());
        metrics.loginSucceeded(false, Duration.ofMillis(200).toNanos());
        metrics.loginSucceeded(true, Duration.ofMillis(400).toNanos());
        metrics.loginFailed("authentication-failed");
        metrics.loginFailed("authentication-failed");
        metrics.loginFailed("free text that is no code");

        assertEquals(2, metrics.beibootLogins());
        assertEquals(1, metrics.installedLogins());
        assertEquals(2, metrics.failures("authentication-failed"));
        assertEquals(1, metrics.failures("other"));
        assertEquals(3.0, registry.get("cockpit.logins").tag("outcome", "success").tag("problem", "none").counter().count());
        assertEquals(2.0, registry.get("cockpit.bridges.started").tag("mode", "beiboot").counter().count());
        assertEquals(1.0, registry.get("cockpit.bridges.started").tag("mode", "installed").counter().count());
        Timer latency = registry.get("cockpit.login.duration").timer();
        assertEquals(3, latency.count());
        assertEquals(1400.0, latency.totalTime(TimeUnit.MILLISECONDS), 0.001);
        assertEquals(800.0, latency.max(TimeUnit.MILLISECONDS), 0.001);
    }
}
