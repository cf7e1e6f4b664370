package io.cockpitwsjava.session;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.cockpitwsjava.protocol.Problem;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.Startup;

/**
 * Login outcomes as Micrometer meters (Prometheus names in brackets):
 * logins by outcome and problem [{@code cockpit_logins_total{outcome,problem}}], bridges started by mode
 * [{@code cockpit_bridges_started_total{mode="beiboot|installed"}}] and the duration of successful logins
 * [{@code cockpit_login_duration_seconds} histogram], and requests refused by a login limit
 * [{@code cockpit_login_refusals_total{limit}}, one series per limit of the login admission].
 * Created at start so the series exist (at zero) before the first login.
 */
@Startup
@ApplicationScoped
public class LoginMetrics {
    private final MeterRegistry registry;
    private final Counter beiboot;
    private final Counter installed;
    private final Counter succeeded;
    private final Timer latency;
    private final java.util.Map<String, Counter> refusals = new java.util.HashMap<>();

    /** Standalone instance with its own in-memory registry (unit tests, tools). */
    public LoginMetrics() {
        this(new SimpleMeterRegistry());
    }

    @Inject
    public LoginMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.beiboot = bridges(registry, "beiboot");
        this.installed = bridges(registry, "installed");
        this.succeeded = logins(registry, "success", "none");
        this.latency = Timer.builder("cockpit.login.duration")
                .description("Time from the login request to a running bridge, successful logins only")
                .publishPercentileHistogram()
                .publishPercentiles(0.5, 0.9, 0.99)
                .minimumExpectedValue(Duration.ofMillis(50))
                .maximumExpectedValue(Duration.ofSeconds(120))
                .register(registry);
        for (String limit : LoginAdmission.Refusal.LIMITS) {
            refusals.put(limit, Counter.builder("cockpit.login.refusals")
                    .description("Login requests refused by a limit of the login admission (docs/SECURITY.md)")
                    .tag("limit", limit)
                    .register(registry));
        }
    }

    private static Counter bridges(MeterRegistry registry, String mode) {
        return Counter.builder("cockpit.bridges.started")
                .description("Bridges started on targets, by mode (beibooted payload or installed cockpit-bridge)")
                .tag("mode", mode)
                .register(registry);
    }

    private static Counter logins(MeterRegistry registry, String outcome, String problem) {
        return Counter.builder("cockpit.logins")
                .description("Finished login attempts by outcome and Cockpit problem code")
                .tag("outcome", outcome)
                .tag("problem", problem)
                .register(registry);
    }

    void loginSucceeded(boolean beibooted, long nanos) {
        (beibooted ? beiboot : installed).increment();
        succeeded.increment();
        latency.record(nanos, TimeUnit.NANOSECONDS);
    }

    void loginRefused(String limit) {
        Counter c = refusals.get(limit);
        if (c != null) {
            c.increment();
        }
    }

    /** Requests refused by this limit so far ({@code max-startups}, {@code failures}, ...). */
    public long refusals(String limit) {
        Counter c = refusals.get(limit);
        return c == null ? 0 : (long) c.count();
    }

    void loginFailed(Problem problem) {
        logins(registry, "failure", problemLabel(problem)).increment();
    }

    /**
     * The label for a failure: the problem code, or {@code other} for refusals without one. The label set is the
     * closed {@link Problem} enum plus {@code other}: nothing a target or client sends becomes a label value.
     */
    static String problemLabel(Problem problem) {
        return problem == null ? "other" : problem.wireName();
    }

    public long beibootLogins() {
        return (long) beiboot.count();
    }

    public long installedLogins() {
        return (long) installed.count();
    }

    /** Failed logins with this problem code so far. */
    public long failures(Problem problem) {
        Counter c = registry.find("cockpit.logins").tag("outcome", "failure").tag("problem", problemLabel(problem)).counter();
        return c == null ? 0 : (long) c.count();
    }
}
