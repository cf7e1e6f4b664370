package io.cockpitwsjava.session;

import io.cockpitwsjava.protocol.Problem;

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
            "AUTHENTICATION_FAILED, authentication-failed",
            "NO_COCKPIT,            no-cockpit",
            "UNKNOWN_HOSTKEY,       unknown-hostkey",
            "NULL,                  other"})
    void problemLabels(Problem problem, String label) {
        assertEquals(label, LoginMetrics.problemLabel(problem));
    }

    /** Labels come from a closed set: every problem code plus "other"; nothing a peer sends can add one. */
    @Test
    void problemLabelsAreAClosedSet() {
        java.util.Set<String> labels = new java.util.HashSet<>();
        labels.add(LoginMetrics.problemLabel(null));
        for (Problem p : Problem.values()) {
            labels.add(LoginMetrics.problemLabel(p));
        }
        assertEquals(Problem.values().length + 1, labels.size());
    }

    @Test
    void outcomesModesAndLatency() {
        MeterRegistry registry = new SimpleMeterRegistry();
        LoginMetrics metrics = new LoginMetrics(registry);
        metrics.loginSucceeded(true, Duration.ofMillis(800).toNanos());
        metrics.loginSucceeded(false, Duration.ofMillis(200).toNanos());
        metrics.loginSucceeded(true, Duration.ofMillis(400).toNanos());
        metrics.loginFailed(Problem.AUTHENTICATION_FAILED);
        metrics.loginFailed(Problem.AUTHENTICATION_FAILED);
        metrics.loginFailed(null);

        assertEquals(2, metrics.beibootLogins());
        assertEquals(1, metrics.installedLogins());
        assertEquals(2, metrics.failures(Problem.AUTHENTICATION_FAILED));
        assertEquals(1.0, registry.get("cockpit.logins").tag("outcome", "failure").tag("problem", "other").counter().count());
        assertEquals(3.0, registry.get("cockpit.logins").tag("outcome", "success").tag("problem", "none").counter().count());
        assertEquals(2.0, registry.get("cockpit.bridges.started").tag("mode", "beiboot").counter().count());
        assertEquals(1.0, registry.get("cockpit.bridges.started").tag("mode", "installed").counter().count());
        Timer latency = registry.get("cockpit.login.duration").timer();
        assertEquals(3, latency.count());
        assertEquals(1400.0, latency.totalTime(TimeUnit.MILLISECONDS), 0.001);
        assertEquals(800.0, latency.max(TimeUnit.MILLISECONDS), 0.001);
    }

    /** Each step of a successful login is recorded under its own tag, measured from the previous step. */
    @Test
    void loginSteps() {
        MeterRegistry registry = new SimpleMeterRegistry();
        LoginMetrics metrics = new LoginMetrics(registry);
        long t0 = System.nanoTime();
        io.cockpitwsjava.ssh.LoginTimeline timeline = new io.cockpitwsjava.ssh.LoginTimeline();
        long start = System.nanoTime() - t0; // the timeline started between t0 and now
        timeline.mark(io.cockpitwsjava.ssh.LoginTimeline.Step.KEX_DONE, t0 + Duration.ofMillis(80).toNanos());
        timeline.mark(io.cockpitwsjava.ssh.LoginTimeline.Step.BRIDGE_INIT, t0 + Duration.ofMillis(300).toNanos());
        metrics.loginSucceeded(false, Duration.ofMillis(310).toNanos(), timeline);

        Timer kex = registry.get("cockpit.login.step").tag("step", "kex").timer();
        Timer bridge = registry.get("cockpit.login.step").tag("step", "bridge").timer();
        assertEquals(1, kex.count());
        assertEquals(80.0, kex.totalTime(TimeUnit.MILLISECONDS), start / 1e6 + 0.001);
        assertEquals(220.0, bridge.totalTime(TimeUnit.MILLISECONDS), 0.001);
        assertEquals(0, registry.get("cockpit.login.step").tag("step", "python").timer().count());
    }
}
