package io.cockpitwsjava.bench;

import java.io.IOException;
import java.util.List;

/**
 * One gateway of the comparison: ours on a JVM with a flag set, or Cockpit's cockpit-ws. Every phase starts a
 * fresh process from it.
 *
 * @param label how the report names it ({@code ours-A}, {@code cockpit-ws})
 * @param jvmFlags our JVM's flags; null for cockpit-ws
 */
record GatewaySpec(String label, List<String> jvmFlags) {

    static GatewaySpec ours(String label, List<String> jvmFlags) {
        return new GatewaySpec(label, List.copyOf(jvmFlags));
    }

    static GatewaySpec cockpitWs() {
        return new GatewaySpec("cockpit-ws", null);
    }

    boolean isCockpitWs() {
        return jvmFlags == null;
    }

    /**
     * Starts a fresh process; {@code properties} ({@code -Dname=value}) apply to ours only, {@code tag} names the
     * log file.
     */
    GatewayProcess start(String tag, List<String> properties, GatewayProcess.Launch launch) throws IOException {
        return isCockpitWs() ? GatewayProcess.cockpitWs(tag, launch)
                : GatewayProcess.ours(label, tag, jvmFlags, properties, launch);
    }
}
