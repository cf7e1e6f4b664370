package io.cockpitwsjava.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import com.fasterxml.jackson.databind.JsonNode;

import io.cockpitwsjava.testing.SshdTarget;

/**
 * The same workload for every gateway: memory per session (first, on a freshly started gateway after one warm-up
 * login), login latency on both targets, then echo round trips and stream throughput on both targets.
 */
final class Workload {
    static final int[] SESSION_COUNTS = java.util.Arrays.stream(System.getProperty("bench.sessions", "1,10,50,100")
            .split(",")).mapToInt(x -> Integer.parseInt(x.trim())).toArray();
    static final long STREAM_BYTES = 512L * 1024 * 1024;
    static final String[] TARGETS = { "installed", "beiboot" };
    static final int ECHO_WARM_UP = 1000;

    private final GatewayProcess gateway;
    private final Results results;
    private final SshdTarget installed;
    private final SshdTarget beiboot;
    private final HeapProbe heap;
    private final int logins;
    private final int echoes;

    Workload(GatewayProcess gateway, SshdTarget installed, SshdTarget beiboot, HeapProbe heap, int logins, int echoes) {
        this.gateway = gateway;
        this.results = new Results(gateway.label(), gateway.description());
        this.installed = installed;
        this.beiboot = beiboot;
        this.heap = heap;
        this.logins = logins;
        this.echoes = echoes;
    }

    Results run() {
        try (BenchClient client = new BenchClient(gateway.port())) {
            phase("warm-up", () -> warmUp(client));
            phase("memory", () -> memory(client));
            for (String t : TARGETS) {
                phase("login " + t, () -> loginLatency(client, t));
            }
            for (String t : TARGETS) {
                phase("echo+stream " + t, () -> echoAndStream(client, t));
            }
        }
        if (!gateway.isAlive()) {
            results.note("gateway process died; log tail:\n" + gateway.tail());
        }
        return results;
    }

    private interface Phase {
        void run() throws Exception;
    }

    private static final java.util.Set<String> PHASES = java.util.Set.of(
            System.getProperty("bench.phases", "warm-up,memory,login,echo+stream").split(","));

    private void phase(String name, Phase p) {
        if (!PHASES.contains(name.split(" ")[0])) {
            return;
        }
        long t0 = System.nanoTime();
        System.err.printf("[%s] %s ...%n", results.label, name);
        try {
            p.run();
        } catch (Exception | AssertionError e) {
            results.note("phase '" + name + "' failed: " + e);
        }
        System.err.printf("[%s] %s done in %.1f s%n", results.label, name, (System.nanoTime() - t0) / 1e9);
    }

    // ---------------------------------------------------------------------------------------------------------------

    private SshdTarget target(String name) {
        return "installed".equals(name) ? installed : beiboot;
    }

    private static String app(SshdTarget t) {
        return "/cockpit+=localhost:" + t.port();
    }

    /** Basic credentials with the host key already trusted through the known_hosts part after the NUL. */
    private static String authorization(SshdTarget t) {
        String knownHosts = t.knownHostsLine();
        return BenchClient.basic(t.user(), t.password(), knownHosts);
    }

    private void warmUp(BenchClient client) throws Exception {
        for (String name : TARGETS) {
            SshdTarget t = target(name);
            BenchClient.Socket s = client.socket(app(t), client.login(app(t), authorization(t)));
            String ch = s.channel(1);
            s.send("\n{\"command\":\"open\",\"channel\":\"" + ch + "\",\"payload\":\"echo\",\"flow-control\":true}");
            s.await(m -> m.contains("\"ready\""), BenchClient.WAIT);
            for (int i = 0; i < 50; i++) {
                s.send(ch + "\nwarm-up " + i);
                String expect = ch + "\nwarm-up " + i;
                s.await(expect::equals, BenchClient.WAIT);
            }
            logout(s);
            awaitTargetQuiet(t, "warm-up");
        }
    }

    private void logout(BenchClient.Socket s) {
        Short code = s.logout(Duration.ofSeconds(20));
        if (code == null) {
            results.note("logout: socket not closed by the gateway within 20 s");
        }
    }

    /** Waits until the target's sshd has no session processes left (the SSH connection of the last login ended). */
    private void awaitTargetQuiet(SshdTarget t, String after) {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (t.descendantCount() > 0 && System.nanoTime() < end) {
            GatewayProcess.sleep(20);
        }
        if (t.descendantCount() > 0) {
            results.note("after " + after + ": target sshd still has " + t.descendantCount()
                    + " session processes 30 s after logout (SSH connection not closed)");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    private void memory(BenchClient client) throws Exception {
        SshdTarget t = installed;
        long pid = gateway.pid();
        // every sample: settle, full GC (JVM only), then live heap and PSS; so garbage is never counted
        GatewayProcess.sleep(5000);
        long heap0 = gateway.isJvm() ? heap.liveHeapKibAfterFullGc(pid) : -1;
        long pss0 = ProcessTree.pssKib(pid);
        results.put("mem.base.pss", pss0 / 1024.0);
        if (heap0 >= 0) {
            results.put("mem.base.heap", heap0 / 1024.0);
            heap.histogram(pid, gateway.log(), "0-sessions");
        }
        List<BenchClient.Socket> sockets = new ArrayList<>();
        try {
            for (int n : SESSION_COUNTS) {
                while (sockets.size() < n) {
                    sockets.add(client.socket(app(t), client.login(app(t), authorization(t))));
                }
                GatewayProcess.sleep(2000); // let helpers and bridges settle
                for (BenchClient.Socket s : sockets) {
                    if (s.isClosed()) {
                        results.note("memory: a session socket closed on its own at N=" + n);
                    }
                }
                if (heap0 >= 0) {
                    long h = heap.liveHeapKibAfterFullGc(pid);
                    results.put("mem." + n + ".heap", (h - heap0) / 1024.0 / n);
                }
                long pss = ProcessTree.pssKib(pid);
                results.put("mem." + n + ".pss", (pss - pss0) / 1024.0 / n);
                results.put("mem." + n + ".pssTotal", pss / 1024.0);
                results.put("mem." + n + ".procs", ProcessTree.descendantCount(pid));
                results.put("mem." + n + ".targetprocs", t.descendantCount());
            }
        } finally {
            for (BenchClient.Socket s : sockets) {
                s.send("\n{\"command\":\"logout\",\"disconnect\":true}");
            }
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (sockets.stream().anyMatch(s -> !s.isClosed()) && System.nanoTime() < end) {
                GatewayProcess.sleep(20);
            }
            long open = sockets.stream().filter(s -> !s.isClosed()).count();
            if (open > 0) {
                results.note("memory: " + open + " of " + sockets.size() + " sockets still open 30 s after logout");
            }
            sockets.forEach(BenchClient.Socket::close);
            awaitTargetQuiet(t, "closing " + sockets.size() + " sessions");
        }
        // past the gateway's 5 s exit grace for bridges (its delayed close task still references the connection)
        GatewayProcess.sleep(8000);
        if (heap0 >= 0) {
            results.put("mem.closed.heap", (heap.liveHeapKibAfterFullGc(pid) - heap0) / 1024.0);
            heap.histogram(pid, gateway.log(), "after-close");
        }
        results.put("mem.closed.procs", ProcessTree.descendantCount(pid));
        results.put("mem.closed.pss", (ProcessTree.pssKib(pid) - pss0) / 1024.0);
    }

    // ---------------------------------------------------------------------------------------------------------------

    private void loginLatency(BenchClient client, String name) throws Exception {
        SshdTarget t = target(name);
        List<Double> toOk = new ArrayList<>();
        List<Double> toInit = new ArrayList<>();
        int failures = 0;
        for (int i = 0; i < logins; i++) {
            long t0 = System.nanoTime();
            BenchClient.Socket s;
            try {
                BenchClient.Login login = client.login(app(t), authorization(t));
                long t1 = System.nanoTime();
                s = client.socket(app(t), login);
                long t2 = System.nanoTime();
                toOk.add((t1 - t0) / 1e6);
                toInit.add((t2 - t0) / 1e6);
            } catch (RuntimeException e) {
                failures++;
                results.note("login " + name + " #" + i + " failed: " + e.getMessage());
                continue;
            }
            logout(s);
            awaitTargetQuiet(t, "login " + name + " #" + i);
        }
        Stats ok = Stats.of(toOk);
        Stats init = Stats.of(toInit);
        results.put("login." + name + ".median", ok.median());
        results.put("login." + name + ".p90", ok.percentile(90));
        results.put("init." + name + ".median", init.median());
        results.put("login." + name + ".failed", failures);
    }

    // ---------------------------------------------------------------------------------------------------------------

    private void echoAndStream(BenchClient client, String name) throws Exception {
        SshdTarget t = target(name);
        BenchClient.Socket s = client.socket(app(t), client.login(app(t), authorization(t)));
        try {
            echo(s, name);
            stream(s, name, 2, 64L * 1024 * 1024, false); // warm-up, not reported
            stream(s, name, 3, STREAM_BYTES, true);
        } finally {
            logout(s);
            awaitTargetQuiet(t, "echo+stream " + name);
        }
    }

    private void echo(BenchClient.Socket s, String name) throws Exception {
        String ch = s.channel(1);
        s.send("\n{\"command\":\"open\",\"channel\":\"" + ch + "\",\"payload\":\"echo\",\"flow-control\":true}");
        s.await(m -> m.startsWith("\n") && m.contains("\"ready\"") && m.contains("\"" + ch + "\""), BenchClient.WAIT);
        String prefix = ch + "\n";
        List<Double> micros = new ArrayList<>(echoes);
        int wrong = 0;
        for (int i = -ECHO_WARM_UP; i < echoes; i++) { // warm-up round trips first, not counted
            String msg = prefix + "echo round trip " + i + " abcdefghijklmnopqrstuvwxyz";
            long t0 = System.nanoTime();
            s.send(msg);
            String back = s.await(m -> m.startsWith(prefix), BenchClient.WAIT);
            long t1 = System.nanoTime();
            if (!back.equals(msg)) {
                wrong++;
            }
            if (i >= 0) {
                micros.add((t1 - t0) / 1e3);
            }
        }
        if (wrong > 0) {
            results.note("echo " + name + ": " + wrong + " replies differed from what was sent");
        }
        s.send("\n{\"command\":\"close\",\"channel\":\"" + ch + "\"}");
        Stats st = Stats.of(micros);
        results.put("echo." + name + ".median", st.median());
        results.put("echo." + name + ".p99", st.percentile(99));
    }

    private void stream(BenchClient.Socket s, String name, int n, long bytes, boolean report) throws Exception {
        String ch = s.channel(n);
        LongAdder received = s.count(ch);
        long gwPid = gateway.pid();
        long self = ProcessHandle.current().pid();
        double gw0 = ProcessTree.cpuSeconds(gwPid);
        double me0 = ProcessTree.cpuSeconds(self);
        double tg0 = sshdCpu(target(name));
        long t0 = System.nanoTime();
        s.send("\n{\"command\":\"open\",\"channel\":\"" + ch + "\",\"payload\":\"stream\",\"spawn\":[\"/usr/bin/head\",\"-c\",\""
                + bytes + "\",\"/dev/zero\"],\"binary\":\"raw\",\"flow-control\":true}");
        String close = awaitStreamEnd(s, ch, received, name);
        if (close == null) {
            return;
        }
        long t1 = System.nanoTime();
        double gw1 = ProcessTree.cpuSeconds(gwPid);
        double me1 = ProcessTree.cpuSeconds(self);
        double tg1 = sshdCpu(target(name));
        JsonNode c = BenchClient.JSON.readTree(close.substring(1));
        if (c.has("problem")) {
            results.note("stream " + name + ": channel closed with problem " + c.get("problem").asText());
        }
        long got = received.sum();
        if (got != bytes) {
            results.note("stream " + name + ": received " + got + " of " + bytes + " bytes");
        }
        if (!report) {
            return;
        }
        double seconds = (t1 - t0) / 1e9;
        double gb = got / 1e9;
        results.put("stream." + name + ".mbps", got / 1e6 / seconds);
        results.put("stream." + name + ".gwcpu", (gw1 - gw0) / gb);
        results.put("stream." + name + ".targetcpu", (tg1 - tg0) / gb);
        results.put("stream." + name + ".clientcpu", (me1 - me0) / gb);
    }

    /**
     * Waits for the channel's close while data keeps coming; a stream that makes no progress for 30 s is a stall:
     * noted with the byte count and a thread dump of our gateway, and given up (returns null).
     */
    private String awaitStreamEnd(BenchClient.Socket s, String ch, LongAdder received, String name) throws Exception {
        long last = -1;
        long lastProgress = System.nanoTime();
        while (true) {
            try {
                return s.await(m -> m.startsWith("\n") && m.contains("\"close\"") && m.contains("\"" + ch + "\""),
                        Duration.ofSeconds(1));
            } catch (IllegalStateException notYet) {
                long now = received.sum();
                if (now != last) {
                    last = now;
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > Duration.ofSeconds(30).toNanos()) {
                    String dump = gateway.isJvm() ? " thread dump: " + heap.threadDump(gateway.pid(), gateway.log()) : "";
                    results.note("stream " + name + " on " + ch + " STALLED: no data for 30 s after " + now
                            + " bytes, no close;" + dump);
                    return null;
                }
            }
        }
    }

    /** CPU of the target side: sshd, its session processes and the bridge with its spawned command. */
    private static double sshdCpu(SshdTarget t) {
        long pid = sshdPid(t);
        return pid < 0 ? 0 : ProcessTree.cpuSeconds(pid);
    }

    /** The listening sshd, from the PidFile of the fixture's config (sshd writes it even with -D). */
    static long sshdPid(SshdTarget t) {
        try {
            return Long.parseLong(java.nio.file.Files.readString(t.directory().resolve("sshd.pid")).trim());
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }
}
