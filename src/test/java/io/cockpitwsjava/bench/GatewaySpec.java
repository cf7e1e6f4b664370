package io.cockpitwsjava.bench;

import java.io.IOException;
import java.util.List;

/**
 * One gateway of the comparison: ours on a JVM with a flag set, Cockpit's cockpit-ws, or the floor: no gateway at
 * all, the driver's own SSH client talking to the bridge ({@link DirectBridge}; only the phases whose
 * {@link Phase#runsOn} accepts it). Every phase starts a fresh process from a real gateway.
 *
 * @param label how the report names it ({@code ours-A}, {@code cockpit-ws}, {@code floor})
 * @param kind which of the three
 * @param jvmFlags our JVM's flags; empty for cockpit-ws and the floor
 */
record GatewaySpec(String label, Kind kind, List<String> jvmFlags) {

    /** What runs in a column. */
    enum Kind {
        OURS, COCKPIT_WS, FLOOR
    }

    static final String FLOOR = "floor";

    static GatewaySpec ours(String label, List<String> jvmFlags) {
        return new GatewaySpec(label, Kind.OURS, List.copyOf(jvmFlags));
    }

    static GatewaySpec cockpitWs() {
        return new GatewaySpec("cockpit-ws", Kind.COCKPIT_WS, List.of());
    }

    static GatewaySpec floor() {
        return new GatewaySpec(FLOOR, Kind.FLOOR, List.of());
    }

    boolean isCockpitWs() {
        return kind == Kind.COCKPIT_WS;
    }

    boolean isFloor() {
        return kind == Kind.FLOOR;
    }

    /**
     * Starts a fresh process; {@code properties} ({@code -Dname=value}) apply to ours only, {@code tag} names the
     * log file.
     */
    GatewayProcess start(String tag, List<String> properties, GatewayProcess.Launch launch) throws IOException {
        return switch (kind) {
            case OURS -> GatewayProcess.ours(label, tag, jvmFlags, properties, launch);
            case COCKPIT_WS -> GatewayProcess.cockpitWs(tag, launch);
            case FLOOR -> throw new IllegalStateException("the floor has no gateway process to start");
        };
    }
}
