package io.cockpitwsjava.bench;

import java.io.IOException;
import java.util.List;

/**
 * One gateway of the comparison: ours on a JVM with a flag set, Cockpit's cockpit-ws, or the floor: no gateway at
 * all, the driver's own SSH client talking to the bridge ({@link DirectBridge}; only the phases whose
 * {@link Phase#runsOn} accepts it). Every phase starts a fresh process from a real gateway.
 *
 * @param label how the report names it ({@code ours-A}, {@code cockpit-ws}, {@code floor})
 * @param jvmFlags our JVM's flags; null for cockpit-ws and the floor
 */
record GatewaySpec(String label, List<String> jvmFlags) {

    static GatewaySpec ours(String label, List<String> jvmFlags) {
        return new GatewaySpec(label, List.copyOf(jvmFlags));
    }

    static final String FLOOR = "floor";

    static GatewaySpec cockpitWs() {
        return new GatewaySpec("cockpit-ws", null);
    }

    static GatewaySpec floor() {
        return new GatewaySpec(FLOOR, null);
    }

    boolean isCockpitWs() {
        return jvmFlags == null && !isFloor();
    }

    boolean isFloor() {
        return FLOOR.equals(label);
    }

    /**
     * Starts a fresh process; {@code properties} ({@code -Dname=value}) apply to ours only, {@code tag} names the
     * log file.
     */
    GatewayProcess start(String tag, List<String> properties, GatewayProcess.Launch launch) throws IOException {
        if (isFloor()) {
            throw new IllegalStateException("the floor has no gateway process to start");
        }
        return isCockpitWs() ? GatewayProcess.cockpitWs(tag, launch)
                : GatewayProcess.ours(label, tag, jvmFlags, properties, launch);
    }
}
