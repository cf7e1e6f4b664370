package io.cockpitwsjava.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.cockpitwsjava.testing.SystemdTarget;

/**
 * What every phase measures against: the settings, how to start a gateway, the two real sshd targets on
 * 127.0.0.1 (installed bridge, python3 only), jcmd, and — started on first use — the systemd container the
 * browser phase logs into. Also collects what the report's header needs to know about each gateway.
 */
final class Testbed implements AutoCloseable {
    static final String INSTALLED = "installed";
    static final String BEIBOOT = "beiboot";
    static final String[] TARGETS = { INSTALLED, BEIBOOT };

    final BenchConfig config;
    final GatewayProcess.Launch launch;
    final Target installed;
    final Target beiboot;
    final HeapProbe heap;
    /** label → the JVM's effective flags (jcmd VM.flags) or cockpit-ws's command line. */
    final Map<String, String> gatewayDescriptions = new LinkedHashMap<>();
    /** image tag → the started systemd container. */
    private final Map<String, SystemdTarget> browserTargets = new LinkedHashMap<>();

    Testbed(BenchConfig config, GatewayProcess.Launch launch, Target installed, Target beiboot, HeapProbe heap) {
        this.config = config;
        this.launch = launch;
        this.installed = installed;
        this.beiboot = beiboot;
        this.heap = heap;
    }

    Target target(String name) {
        return INSTALLED.equals(name) ? installed : beiboot;
    }

    /**
     * A systemd container of the browser phase, {@code localhost/browser-target:<tag>} (built and booted on first
     * use; see {@link SystemdTarget}).
     */
    synchronized SystemdTarget browserTarget(String tag) {
        SystemdTarget t = browserTargets.get(tag);
        if (t == null) {
            t = new SystemdTarget(tag);
            browserTargets.put(tag, t);
            t.start();
        }
        return t;
    }

    /** The browser containers started so far, in start order. */
    synchronized java.util.List<SystemdTarget> browserTargets() {
        return java.util.List.copyOf(browserTargets.values());
    }

    /** Starts a fresh gateway and remembers how it ran (the first time per label). */
    GatewayProcess start(GatewaySpec spec, String tag, java.util.List<String> properties) throws java.io.IOException {
        GatewayProcess g = spec.start(tag, properties, launch);
        synchronized (gatewayDescriptions) {
            if (!gatewayDescriptions.containsKey(spec.label())) {
                String d = g.description();
                if (g.isJvm()) {
                    String flags = heap.vmFlags(g.pid());
                    d += "; effective JVM flags (jcmd VM.flags): " + (flags == null ? "(jcmd failed)" : flags);
                }
                gatewayDescriptions.put(spec.label(), d);
            }
        }
        return g;
    }

    /** Fails a phase whose gateway died under it. */
    static void checkAlive(GatewayProcess g) {
        if (!g.isAlive()) {
            throw new IllegalStateException(g.label() + " process died; log tail:\n" + g.tail());
        }
    }

    /** Waits for both sshd targets to have no session processes (between phases). */
    void awaitTargetsQuiet(String after) {
        installed.awaitQuiet(Duration.ofSeconds(60), after);
        beiboot.awaitQuiet(Duration.ofSeconds(60), after);
    }

    @Override
    public synchronized void close() {
        for (SystemdTarget t : browserTargets.values()) {
            t.close();
        }
    }
}
