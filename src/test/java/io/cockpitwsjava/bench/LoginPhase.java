package io.cockpitwsjava.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Login latency on a fresh gateway, then on the same gateway once warmed. Fresh = just started plus the harness
 * warm-up (per target one login with {@code harnessEchoes} echo round trips); warmed = after {@code warmEchoes}
 * echo round trips and one stream of {@code streamBytes}. Each state: {@code logins} logins per target, the targets
 * alternating, each logged out and the target's SSH connection gone before the next one.
 */
final class LoginPhase implements Phase {
    static final String[] STATES = { "fresh", "warmed" };

    @Override
    public String name() {
        return "login";
    }

    @Override
    public List<ResultTable.Row> rows(BenchConfig c) {
        List<ResultTable.Row> rows = new ArrayList<>();
        for (String state : STATES) {
            for (String t : Testbed.TARGETS) {
                String k = "login." + state + "." + t;
                String when = ", " + t + ", " + state;
                rows.add(new ResultTable.Row(k + ".ok", "login→200 median" + when, "ms", "≤ 0.5×"));
                rows.add(new ResultTable.Row(k + ".ok.p90", "login→200 p90" + when, "ms", ""));
                rows.add(new ResultTable.Row(k + ".init", "login→socket init median" + when, "ms", ""));
                rows.add(new ResultTable.Row(k + ".gwcpu", "gateway CPU per login (login+init+logout)" + when, "ms", ""));
                rows.add(new ResultTable.Row(k + ".targetcpu", "target CPU per login (sshd+bridge)" + when, "ms", ""));
            }
        }
        return rows;
    }

    @Override
    public void run(GatewaySpec spec, Testbed bed, Results r) throws Exception {
        BenchConfig c = bed.config;
        try (GatewayProcess g = bed.start(spec, "rep" + r.rep + ".login", List.of());
                BenchClient client = new BenchClient(g.port(), c.sourceAddresses())) {
            for (String t : Testbed.TARGETS) {
                harnessWarmUp(client, bed.target(t), c.harnessEchoes());
            }
            measure(client, g, bed, r, "fresh");
            Warming.warm(client, g, bed, bed.installed);
            measure(client, g, bed, r, "warmed");
            Testbed.checkAlive(g);
        }
    }

    /** One login with WebSocket and init, {@code echoes} round trips, logout; the target's connection gone. */
    static void harnessWarmUp(BenchClient client, Target t, int echoes) throws Exception {
        BenchClient.Socket s = Traffic.session(client, t);
        String ch = Traffic.openEcho(s, 1);
        Traffic.echo(s, ch, echoes, "warm-up");
        Traffic.logout(s);
        t.awaitQuiet(Duration.ofSeconds(30), "the harness warm-up");
    }

    private static void measure(BenchClient client, GatewayProcess g, Testbed bed, Results r, String state)
            throws Exception {
        Map<String, List<Double>> toOk = new HashMap<>();
        Map<String, List<Double>> toInit = new HashMap<>();
        Map<String, double[]> cpu = new HashMap<>();
        for (int i = 0; i < bed.config.logins(); i++) {
            for (String name : Testbed.TARGETS) {
                Target t = bed.target(name);
                CpuSnapshot before = CpuSnapshot.take(g, t);
                long t0 = System.nanoTime();
                BenchClient.Login login;
                try {
                    login = client.login(t.app(), t.authorization());
                } catch (RuntimeException e) {
                    throw new IllegalStateException(state + " login #" + i + " to the " + name + " target failed: "
                            + e.getMessage(), e);
                }
                long t1 = System.nanoTime();
                BenchClient.Socket s = client.socket(t.app(), login);
                long t2 = System.nanoTime();
                Traffic.logout(s);
                t.awaitQuiet(Duration.ofSeconds(30), state + " login #" + i + " to " + name);
                CpuSnapshot used = CpuSnapshot.take(g, t).since(before);
                toOk.computeIfAbsent(name, k -> new ArrayList<>()).add((t1 - t0) / 1e6);
                toInit.computeIfAbsent(name, k -> new ArrayList<>()).add((t2 - t0) / 1e6);
                double[] sum = cpu.computeIfAbsent(name, k -> new double[2]);
                sum[0] += used.gateway();
                sum[1] += used.target();
            }
        }
        for (String name : Testbed.TARGETS) {
            String k = "login." + state + "." + name;
            Stats ok = Stats.of(toOk.get(name));
            r.put(k + ".ok", ok.median());
            r.put(k + ".ok.p90", ok.percentile(90));
            r.put(k + ".init", Stats.of(toInit.get(name)).median());
            r.put(k + ".gwcpu", cpu.get(name)[0] * 1000 / ok.count());
            r.put(k + ".targetcpu", cpu.get(name)[1] * 1000 / ok.count());
        }
    }
}
