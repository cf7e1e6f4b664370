package io.cockpitwsjava.metrics;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.cockpitwsjava.fleet.FleetMode;
import io.cockpitwsjava.fleet.HostState;
import io.cockpitwsjava.fleet.FleetStatus;
import io.cockpitwsjava.fleet.InventoryFile;
import io.cockpitwsjava.fleet.ProbeObserver;
import io.cockpitwsjava.fleet.ProbeProblem;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Fleet mode as Micrometer meters (Prometheus names), bound only when an inventory is configured. Labels come from
 * fixed sets only, never from host names, so the number of series does not grow with the fleet:
 * <ul>
 * <li>{@code cockpit_fleet_hosts{state="up|down|unknown"}}: inventory hosts in each state;</li>
 * <li>{@code cockpit_fleet_probe_seconds{connection="new|kept"}}: probe latency (a new connection includes the
 * TCP connect, key exchange and certificate login);</li>
 * <li>{@code cockpit_fleet_probe_failures_total{reason=...}}: failed probes, by {@link ProbeProblem#code()};</li>
 * <li>{@code cockpit_fleet_inventory_valid}: 1 while the file on disk is the inventory in use, else 0;</li>
 * <li>{@code cockpit_fleet_inventory_loaded_timestamp_seconds}: when the inventory in use was loaded (0: never).</li>
 * </ul>
 */
@ApplicationScoped
public class FleetMeters implements MeterBinder {

    private final FleetMode fleet;

    @Inject
    public FleetMeters(FleetMode fleet) {
        this.fleet = fleet;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Optional<InventoryFile> file = fleet.inventory();
        if (file.isEmpty()) {
            return;
        }
        bind(registry, fleet.status(), file.get(), fleet::observeProbes);
    }

    /**
     * The meters for the hosts of {@code file} in {@code status}, and for the probes reported to the observer given
     * to {@code observe} (tests bind a real prober to a simple registry this way).
     */
    public static void bind(MeterRegistry registry, FleetStatus status, InventoryFile file,
            Consumer<ProbeObserver> observe) {
        for (HostState state : HostState.values()) {
            Gauge.builder("cockpit.fleet.hosts", file, f -> status.counts(f.current()).get(state))
                    .description("Inventory hosts in this state, as this gateway's prober sees them")
                    .tag("state", state.json())
                    .strongReference(true)
                    .register(registry);
        }
        Gauge.builder("cockpit.fleet.inventory.valid", file, f -> f.status().current() ? 1 : 0)
                .description("1 while the inventory file on disk is the one in use; 0 while it is invalid or unreadable")
                .strongReference(true)
                .register(registry);
        Gauge.builder("cockpit.fleet.inventory.loaded.timestamp", file,
                f -> f.status().loadedAt().map(t -> t.toEpochMilli() / 1000.0).orElse(0.0))
                .description("When the inventory in use was loaded (seconds since the epoch; 0 = never)")
                .baseUnit("seconds")
                .strongReference(true)
                .register(registry);
        Map<Boolean, Timer> latency = Map.of(
                true, timer(registry, "new"),
                false, timer(registry, "kept"));
        Map<ProbeProblem, Counter> failures = new EnumMap<>(ProbeProblem.class);
        for (ProbeProblem p : ProbeProblem.values()) {
            failures.put(p, Counter.builder("cockpit.fleet.probe.failures")
                    .description("Probes that found no status, by reason")
                    .tag("reason", p.code())
                    .register(registry));
        }
        observe.accept((took, fresh, problem) -> {
            latency.get(fresh).record(took);
            problem.ifPresent(p -> failures.get(p).increment());
        });
    }

    private static Timer timer(MeterRegistry registry, String connection) {
        return Timer.builder("cockpit.fleet.probe")
                .description("Time from the start of a probe to its result (connecting first, if needed)")
                .tag("connection", connection)
                .register(registry);
    }

}
