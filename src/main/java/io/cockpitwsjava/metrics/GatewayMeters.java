package io.cockpitwsjava.metrics;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.cockpitwsjava.bridge.BridgeConnection;
import io.cockpitwsjava.session.LoginService;
import io.cockpitwsjava.session.SessionRegistry;
import io.cockpitwsjava.session.WebSession;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Gateway state as Micrometer meters, bound by Quarkus at start (Prometheus names):
 * {@code cockpit_sessions_open}, {@code cockpit_logins_inflight} and
 * {@code cockpit_relayed_bytes_total{direction="from_bridge|to_bridge"}} (bytes between the gateway and the
 * bridges, live and ended sessions). Login outcomes are counted by {@link io.cockpitwsjava.session.LoginMetrics}.
 */
@ApplicationScoped
public class GatewayMeters implements MeterBinder {
    /** Live sessions are folded into the totals by this sweep; ended ones are settled by the end listener. */
    private static final long SWEEP_MILLIS = 1000;

    private final SessionRegistry sessions;
    private final LoginService logins;
    private final RelayLedger<BridgeConnection> relayed;
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "relay-ledger");
        t.setDaemon(true);
        return t;
    });

    @Inject
    public GatewayMeters(SessionRegistry sessions, LoginService logins) {
        this.sessions = sessions;
        this.logins = logins;
        this.relayed = new RelayLedger<>(
                () -> sessions.all().stream().map(WebSession::bridge).toList(),
                BridgeConnection::bytesFromBridge, BridgeConnection::bytesToBridge);
        // an ending session settles its bytes at once, so sessions shorter than a sweep are counted exactly
        sessions.onSessionEnd(s -> relayed.retire(s.bridge()));
        sweeper.scheduleWithFixedDelay(relayed::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("cockpit.sessions.open", sessions, SessionRegistry::size)
                .description("Sessions (logged-in cookies with a bridge) in this gateway instance")
                .strongReference(true)
                .register(registry);
        Gauge.builder("cockpit.logins.inflight", logins, LoginService::loginsInFlight)
                .description("Login attempts in progress (SSH connect, authentication, bridge start)")
                .strongReference(true)
                .register(registry);
        for (String direction : List.of("from_bridge", "to_bridge")) {
            boolean fromBridge = direction.equals("from_bridge");
            FunctionCounter.builder("cockpit.relayed", relayed, l -> {
                RelayLedger.Totals t = l.sweep();
                return fromBridge ? t.in() : t.out();
            })
                    .description("Bytes relayed between the gateway and the bridges of all sessions")
                    .baseUnit("bytes")
                    .tag("direction", direction)
                    .register(registry);
        }
    }

    @PreDestroy
    void stop() {
        sweeper.shutdownNow();
    }
}
