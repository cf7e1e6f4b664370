package io.cockpitwsjava.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Echo round trips and stream throughput, fresh and warmed, per target on its own freshly started gateway. In one
 * session: {@code harnessEchoes} warm-up round trips; fresh: {@code echoes} measured round trips, then one measured
 * stream of {@code streamBytes}; warming (one stream, then {@code warmEchoes} round trips, not measured); warmed: the
 * same measurements again. CPU of the gateway tree, the target side and the driver is taken over each measurement.
 *
 * <p>On the floor ({@link GatewaySpec#isFloor()}) there is no gateway: the driver's own SSH client speaks to the
 * installed target's bridge ({@link DirectBridge}), warmed the same way, and only the warmed installed cells are
 * filled; "gateway CPU" is then the driver's CPU (that client, in this JVM).
 */
final class ThroughputPhase implements Phase {

    @Override
    public String name() {
        return "throughput";
    }

    @Override
    public List<ResultTable.Row> rows(BenchConfig c) {
        List<ResultTable.Row> rows = new ArrayList<>();
        String size = c.streamBytes() % (1024 * 1024) == 0 ? c.streamBytes() / 1024 / 1024 + " MiB"
                : c.streamBytes() + " bytes";
        for (String state : LoginPhase.STATES) {
            for (String t : Testbed.TARGETS) {
                String k = "echo." + state + "." + t;
                String when = ", " + t + ", " + state;
                rows.add(new ResultTable.Row(k + ".median", "echo round trip median" + when, "µs", "≤ 0.5×"));
                rows.add(new ResultTable.Row(k + ".p99", "echo round trip p99" + when, "µs", ""));
                rows.add(new ResultTable.Row(k + ".max", "echo round trip max" + when, "µs", ""));
                rows.add(new ResultTable.Row(k + ".gwcpu", "gateway CPU per echo round trip" + when, "µs", ""));
                rows.add(new ResultTable.Row(k + ".targetcpu", "target CPU per echo round trip" + when, "µs", ""));
            }
            for (String t : Testbed.TARGETS) {
                String k = "stream." + state + "." + t;
                String when = ", " + t + ", " + state;
                rows.add(new ResultTable.Row(k + ".mbps", "stream " + size + when, "MB/s", "≥ 2×"));
                rows.add(new ResultTable.Row(k + ".gwcpu", "gateway CPU per GB" + when, "s/GB", "≤ 0.25×"));
                rows.add(new ResultTable.Row(k + ".targetcpu", "target CPU per GB (sshd+bridge+head)" + when, "s/GB", ""));
                rows.add(new ResultTable.Row(k + ".drivercpu", "driver CPU per GB (this JVM only)" + when, "s/GB", ""));
            }
        }
        return rows;
    }

    @Override
    public boolean runsOn(GatewaySpec gateway) {
        return true;
    }

    @Override
    public void run(GatewaySpec spec, Testbed bed, Results r) throws Exception {
        if (spec.isFloor()) {
            floor(bed, r);
            return;
        }
        for (String name : Testbed.TARGETS) {
            Target t = bed.target(name);
            try (GatewayProcess g = bed.start(spec, "rep" + r.rep + ".throughput-" + name, List.of());
                    BenchClient client = new BenchClient(g.port(), bed.config.sourceAddresses())) {
                BenchClient.Socket s = Traffic.session(client, t);
                String ch = Traffic.openEcho(s, 1);
                Traffic.echo(s, ch, bed.config.harnessEchoes(), "warm-up");
                measure(s, ch, 2, g, bed, t, r, "fresh." + name);
                Warming.warm(s, g, bed, t);
                measure(s, ch, 3, g, bed, t, r, "warmed." + name);
                Traffic.logout(s);
                t.awaitQuiet(Duration.ofSeconds(30), "the throughput phase");
                Testbed.checkAlive(g);
            }
        }
    }

    /** The same measurements straight to the installed bridge: what is left when the gateway costs nothing. */
    private static void floor(Testbed bed, Results r) throws Exception {
        Target t = bed.target(Testbed.INSTALLED);
        try (DirectBridge d = DirectBridge.open(t)) {
            synchronized (bed.gatewayDescriptions) {
                bed.gatewayDescriptions.putIfAbsent(GatewaySpec.FLOOR, "no gateway: the driver's own MINA SSH client "
                        + "(in the driver JVM, TCP_NODELAY, AES-GCM first) runs cockpit-bridge on the installed target "
                        + "and speaks its framing; negotiated " + d.negotiated() + "; only the warmed installed cells; "
                        + "its \"gateway CPU\" is the driver JVM's CPU");
            }
            BenchClient.Socket s = d.socket();
            String ch = Traffic.openEcho(s, 1);
            Traffic.stream(s, 1002, bed.config.streamBytes(), null, bed.heap, t);
            Traffic.echo(s, ch, bed.config.harnessEchoes() + bed.config.warmEchoes(), "warming");
            measure(s, ch, 3, null, bed, t, r, "warmed." + Testbed.INSTALLED);
        }
        t.awaitQuiet(Duration.ofSeconds(30), "the floor's throughput phase");
    }

    /** {@code g} null: the floor, whose client CPU is the driver's. */
    private static void measure(BenchClient.Socket s, String echoChannel, int streamChannel, GatewayProcess g,
            Testbed bed, Target t, Results r, String key) throws Exception {
        CpuSnapshot before = CpuSnapshot.take(g, t);
        List<Double> micros = Traffic.echo(s, echoChannel, bed.config.echoes(), key);
        CpuSnapshot used = CpuSnapshot.take(g, t).since(before);
        Stats st = Stats.of(micros);
        r.put("echo." + key + ".median", st.median());
        r.put("echo." + key + ".p99", st.percentile(99));
        r.put("echo." + key + ".max", st.max());
        r.put("echo." + key + ".gwcpu", (g == null ? used.driver() : used.gateway()) * 1e6 / st.count());
        r.put("echo." + key + ".targetcpu", used.target() * 1e6 / st.count());
        Traffic.StreamResult sr = Traffic.stream(s, streamChannel, bed.config.streamBytes(), g, bed.heap, t);
        double gb = sr.bytes() / 1e9;
        r.put("stream." + key + ".mbps", sr.megabytesPerSecond());
        r.put("stream." + key + ".gwcpu", (g == null ? sr.cpu().driver() : sr.cpu().gateway()) / gb);
        r.put("stream." + key + ".targetcpu", sr.cpu().target() / gb);
        r.put("stream." + key + ".drivercpu", sr.cpu().driver() / gb);
    }
}
