package io.cockpitwsjava.session;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

/** Counters of login outcomes; exported by the web layer (and metrics, once added). */
@ApplicationScoped
public class LoginMetrics {
    private final AtomicLong beiboot = new AtomicLong();
    private final AtomicLong installed = new AtomicLong();
    private final AtomicLong totalNanos = new AtomicLong();
    private final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();

    void loginSucceeded(boolean beibooted, long nanos) {
        (beibooted ? beiboot : installed).incrementAndGet();
        totalNanos.addAndGet(nanos);
    }

    void loginFailed(String problem) {
        failures.computeIfAbsent(problem, k -> new AtomicLong()).incrementAndGet();
    }

    public long beibootLogins() {
        return beiboot.get();
    }

    public long installedLogins() {
        return installed.get();
    }

    public Map<String, AtomicLong> failures() {
        return failures;
    }
}
