package io.cockpitwsjava.bench;

/**
 * CPU seconds used so far by each party of a measurement, kept apart: the gateway's process group (our JVM;
 * cockpit-ws with its {@code python3}/{@code ssh} helpers), the target side (the sshd listener with its session
 * processes, the bridge and whatever the bridge spawned), and this driver process alone (its children — gateways,
 * sshd targets, jcmd — are not its cost). See {@link ProcessGroup}.
 */
record CpuSnapshot(double gateway, double target, double driver) {

    /** {@code g} null: no gateway (the floor), whose CPU counts as 0. */
    static CpuSnapshot take(GatewayProcess g, Target t) {
        return new CpuSnapshot(g == null ? 0 : g.processes().cpuSeconds(), t == null ? 0 : t.processes().cpuSeconds(),
                ProcessTree.ownCpuSeconds(ProcessHandle.current().pid()));
    }

    /** What was used between {@code before} and this snapshot. */
    CpuSnapshot since(CpuSnapshot before) {
        return new CpuSnapshot(gateway - before.gateway, target - before.target, driver - before.driver);
    }
}
