package io.cockpitwsjava.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Many sessions on one freshly started gateway (after the harness warm-up): sessions (login + WebSocket + init,
 * kept open) are added up to each of {@code sessionCounts}, {@code rampConcurrency} logins in flight, spread over
 * the source addresses. At 0 and at every count: PSS of the gateway's process tree, for our JVM the live heap after
 * a full GC, the gateway's child processes and the target side's PSS; the login rate of every ramp step. Then one
 * echo on every session at once ({@code allAtOnceRounds} times), and all sessions are logged out and sampled again.
 *
 * <p>The machine must survive it: before each step the memory one more session costs (gateway and target side,
 * measured so far) is projected, and ramping stops before {@code MemAvailable} would drop below
 * {@code memReserveMib}. A capped run says so in its notes and fills the "at the cap" rows instead.
 */
final class SessionsPhase implements Phase {

    @Override
    public String name() {
        return "sessions";
    }

    @Override
    public List<ResultTable.Row> rows(BenchConfig c) {
        List<ResultTable.Row> rows = new ArrayList<>();
        List<String> points = new ArrayList<>();
        for (int n : c.sessionCounts()) {
            points.add(Integer.toString(n));
        }
        points.add("capped");
        rows.add(new ResultTable.Row("sessions.0.pss", "gateway PSS, 0 sessions (after harness warm-up)", "MiB", ""));
        for (String n : points) {
            rows.add(new ResultTable.Row("sessions." + n + ".pss", "gateway PSS total, " + at(n), "MiB", ""));
        }
        for (String n : points) {
            rows.add(new ResultTable.Row("sessions." + n + ".pssPer", "gateway PSS per session, " + at(n), "MiB",
                    n.equals("100") ? "≤ 0.55 MiB" : ""));
        }
        rows.add(new ResultTable.Row("sessions.0.heap", "JVM live heap, 0 sessions (after full GC)", "MiB", ""));
        for (String n : points) {
            rows.add(new ResultTable.Row("sessions." + n + ".heap", "JVM live heap total, " + at(n), "MiB", ""));
        }
        for (String n : points) {
            rows.add(new ResultTable.Row("sessions." + n + ".heapPer", "JVM live heap per session, " + at(n), "MiB", ""));
        }
        for (String n : points) {
            rows.add(new ResultTable.Row("sessions." + n + ".procs", "gateway child processes, " + at(n), "", ""));
        }
        for (String n : points) {
            rows.add(new ResultTable.Row("sessions." + n + ".targetPss", "target PSS (sshd+bridges), " + at(n), "MiB", ""));
        }
        for (String n : points) {
            rows.add(new ResultTable.Row("sessions." + n + ".rate", "login rate ramping up to " + at(n), "logins/s", ""));
        }
        rows.add(new ResultTable.Row("sessions.ramp.init", "login→init median while ramping ("
                + c.rampConcurrency() + " in flight)", "ms", ""));
        rows.add(new ResultTable.Row("sessions.ramp.init.p99", "login→init p99 while ramping", "ms", ""));
        rows.add(new ResultTable.Row("sessions.ramp.failed", "logins failed while ramping (replaced; see notes)", "", ""));
        rows.add(new ResultTable.Row("sessions.reached", "sessions reached", "", ""));
        rows.add(new ResultTable.Row("sessions.all.median", "echo on all sessions at once, median", "µs", ""));
        rows.add(new ResultTable.Row("sessions.all.p99", "echo on all sessions at once, p99", "µs", ""));
        rows.add(new ResultTable.Row("sessions.all.max", "echo on all sessions at once, max", "µs", ""));
        rows.add(new ResultTable.Row("sessions.closed.pss", "gateway PSS 8 s after closing all, minus 0 sessions", "MiB", ""));
        rows.add(new ResultTable.Row("sessions.closed.heap", "JVM live heap after closing all, minus 0 sessions", "MiB", ""));
        rows.add(new ResultTable.Row("sessions.closed.procs", "gateway child processes after closing all", "", ""));
        return rows;
    }

    private static String at(String n) {
        return n.equals("capped") ? "at the memory cap (see notes)" : "N=" + n;
    }

    /** One memory sample: KiB, -1 for "not a JVM". */
    private record Sample(int sessions, long gatewayPss, long heap, int procs, long targetPss) {
    }

    @Override
    public void run(GatewaySpec spec, Testbed bed, Results r) throws Exception {
        BenchConfig c = bed.config;
        Target t = bed.installed;
        List<BenchClient.Socket> sockets = Collections.synchronizedList(new ArrayList<>());
        try (GatewayProcess g = bed.start(spec, "rep" + r.rep + ".sessions", List.of());
                BenchClient client = new BenchClient(g.port(), c.sourceAddresses())) {
            LoginPhase.harnessWarmUp(client, t, c.harnessEchoes());
            GatewayProcess.sleep(5000); // past the gateway's exit grace for the warm-up's bridge
            Sample base = sample(g, bed, t, sockets, r, "0", null);
            List<Double> initMs = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger failed = new AtomicInteger();
            int maxFailed = c.sessionCounts()[c.sessionCounts().length - 1] / 100;
            Throwable thrown = null;
            try {
                Sample last = base;
                for (int n : c.sessionCounts()) {
                    int goal = n;
                    String cap = null;
                    if (!sockets.isEmpty()) {
                        // what one more session costs, from what the sessions so far cost (gateway + target side)
                        double perSessionKib = 1.25 * ((last.gatewayPss() + last.targetPss())
                                - (base.gatewayPss() + base.targetPss())) / sockets.size();
                        long spare = ProcessTree.memAvailableKib() - c.memReserveMib() * 1024;
                        int fits = sockets.size() + (int) Math.max(0, spare / Math.max(1, perSessionKib));
                        if (fits < n) {
                            goal = fits;
                            cap = String.format(java.util.Locale.ROOT, "%d sessions need ≈ %.0f MiB more "
                                    + "(%.1f MiB per session incl. the target side, +25 %%), more than MemAvailable "
                                    + "minus the %d MiB reserve allows", n, (n - sockets.size()) * perSessionKib / 1024,
                                    perSessionKib / 1.25 / 1024, c.memReserveMib());
                        }
                    }
                    int before = sockets.size();
                    long t0 = System.nanoTime();
                    String stopped = ramp(client, g, t, sockets, goal, c, initMs, failed, maxFailed, r);
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    if (stopped != null) {
                        cap = stopped;
                    }
                    boolean capped = sockets.size() < n;
                    String key = capped ? "capped" : Integer.toString(n);
                    if (sockets.size() > before) {
                        r.put("sessions." + key + ".rate", (sockets.size() - before) / seconds);
                    }
                    last = sample(g, bed, t, sockets, r, key, base);
                    if (capped) {
                        r.note("sessions phase CAPPED at " + sockets.size() + " of " + n + " sessions: " + cap);
                        break;
                    }
                }
                r.put("sessions.reached", sockets.size());
                r.put("sessions.ramp.failed", failed.get());
                Stats init = Stats.of(initMs);
                r.put("sessions.ramp.init", init.median());
                r.put("sessions.ramp.init.p99", init.percentile(99));
                allAtOnce(sockets, c.allAtOnceRounds(), r);
            } catch (Exception | Error e) {
                thrown = e;
                throw e;
            } finally {
                try {
                    closeAll(sockets, t);
                } catch (RuntimeException e) {
                    if (thrown == null) {
                        throw e;
                    }
                    thrown.addSuppressed(e); // the first failure is the one to report
                }
            }
            // past the gateway's exit grace for bridges (a delayed close task still references the connection)
            GatewayProcess.sleep(8000);
            if (g.isJvm()) {
                r.put("sessions.closed.heap", (liveHeap(g, bed) - base.heap()) / 1024.0);
                bed.heap.histogram(g.pid(), g.log(), "after-close");
            }
            r.put("sessions.closed.procs", g.processes().others());
            r.put("sessions.closed.pss", (g.processes().pssKib() - base.gatewayPss()) / 1024.0);
            Testbed.checkAlive(g);
        }
    }

    /**
     * Adds sessions until {@code goal}, {@code concurrency} logins in flight; returns why it stopped early (the
     * machine's memory reserve reached) or null. A failed login (an error answer, or a WebSocket without init within
     * a minute) is noted, counted in {@code failed} and replaced by another one; more than {@code maxFailed} in the
     * whole phase fail it.
     */
    private static String ramp(BenchClient client, GatewayProcess g, Target t, List<BenchClient.Socket> sockets,
            int goal, BenchConfig c, List<Double> initMs, AtomicInteger failed, int maxFailed, Results r) {
        AtomicInteger slots = new AtomicInteger(goal - sockets.size());
        AtomicReference<String> stop = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long reserveKib = c.memReserveMib() * 1024;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < c.rampConcurrency(); w++) {
                pool.submit(() -> {
                    while (failure.get() == null && stop.get() == null && slots.getAndDecrement() > 0) {
                        long available = ProcessTree.memAvailableKib();
                        if (available >= 0 && available < reserveKib) {
                            stop.compareAndSet(null, "MemAvailable fell to " + available / 1024 + " MiB, below the "
                                    + c.memReserveMib() + " MiB reserve");
                            return;
                        }
                        long t0 = System.nanoTime();
                        try {
                            sockets.add(Traffic.session(client, t));
                            initMs.add((System.nanoTime() - t0) / 1e6);
                        } catch (Throwable e) {
                            int n = failed.incrementAndGet();
                            r.note("sessions: login failed while ramping to " + goal + " (" + sockets.size() + " open): "
                                    + e.getMessage() + "; processes then: " + processListing(g, t));
                            if (n > maxFailed) {
                                failure.compareAndSet(null, e);
                            } else {
                                slots.incrementAndGet(); // another login instead
                            }
                        }
                    }
                });
            }
        }
        if (failure.get() != null) {
            throw new IllegalStateException(failed.get() + " logins failed while ramping to " + goal + " sessions ("
                    + sockets.size() + " open), more than the " + maxFailed + " (1 % of the sessions) a ramp may lose;"
                    + " last: " + failure.get().getMessage(), failure.get());
        }
        return stop.get();
    }

    /** The gateway's and the target's processes, written next to the gateway's log; returns the file name. */
    static String processListing(GatewayProcess g, Target t) {
        java.nio.file.Path file = g.log().resolveSibling(g.log().getFileName() + ".processes-" + System.currentTimeMillis() + ".txt");
        try {
            java.nio.file.Files.writeString(file, "gateway " + g.label() + ":\n" + g.processes().listing() + "\ntarget "
                    + t.name() + ":\n" + t.processes().listing());
        } catch (java.io.IOException e) {
            return "(not written: " + e + ")";
        }
        return file.toString();
    }

    private static Sample sample(GatewayProcess g, Testbed bed, Target t, List<BenchClient.Socket> sockets,
            Results r, String key, Sample base) {
        GatewayProcess.sleep(2000); // let helpers and bridges settle
        long closed = sockets.stream().filter(BenchClient.Socket::isClosed).count();
        if (closed > 0) {
            throw new IllegalStateException(closed + " of " + sockets.size() + " session sockets closed on their own");
        }
        Testbed.checkAlive(g);
        int n = sockets.size();
        long heap = g.isJvm() ? liveHeap(g, bed) : -1;
        long pss = g.processes().pssKib();
        Sample s = new Sample(n, pss, heap, g.processes().others(), t.processes().pssKib());
        String k = "sessions." + key;
        r.put(k + ".pss", pss / 1024.0);
        r.put(k + ".procs", s.procs());
        r.put(k + ".targetPss", s.targetPss() / 1024.0);
        if (heap >= 0) {
            r.put(k + ".heap", heap / 1024.0);
        }
        if (base != null && n > 0) {
            r.put(k + ".pssPer", (pss - base.gatewayPss()) / 1024.0 / n);
            if (heap >= 0) {
                r.put(k + ".heapPer", (heap - base.heap()) / 1024.0 / n);
            }
        }
        if (g.isJvm() && base == null) {
            bed.heap.histogram(g.pid(), g.log(), "0-sessions");
        }
        System.err.printf("[%s rep %d] sessions: %d open, gateway PSS %.1f MiB%s, target PSS %.1f MiB, MemAvailable %d MiB%n",
                r.label, r.rep, n, pss / 1024.0, heap >= 0 ? String.format(java.util.Locale.ROOT, ", live heap %.1f MiB", heap / 1024.0) : "",
                s.targetPss() / 1024.0, ProcessTree.memAvailableKib() / 1024);
        return s;
    }

    private static long liveHeap(GatewayProcess g, Testbed bed) {
        long heap = bed.heap.liveHeapKibAfterFullGc(g.pid());
        if (heap < 0) {
            throw new IllegalStateException("jcmd could not read the live heap of " + g.label());
        }
        return heap;
    }

    /**
     * An echo channel on every session, then {@code rounds} times one message on all of them at once (sent back to
     * back from one thread); each round trip is timed from its own send to its reply's arrival.
     */
    private static void allAtOnce(List<BenchClient.Socket> sockets, int rounds, Results r) throws Exception {
        List<BenchClient.Socket> all = List.copyOf(sockets);
        for (BenchClient.Socket s : all) {
            s.send("\n{\"command\":\"open\",\"channel\":\"" + s.channel(1) + "\",\"payload\":\"echo\",\"flow-control\":true}");
        }
        for (BenchClient.Socket s : all) {
            Traffic.awaitControl(s, s.channel(1), "ready");
        }
        List<Double> micros = new ArrayList<>();
        long[] sent = new long[all.size()];
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < all.size(); i++) {
                BenchClient.Socket s = all.get(i);
                sent[i] = System.nanoTime();
                s.send(s.channel(1) + "\nall at once " + round + " " + i);
            }
            for (int i = 0; i < all.size(); i++) {
                BenchClient.Socket s = all.get(i);
                String expected = s.channel(1) + "\nall at once " + round + " " + i;
                BenchClient.Received back = s.awaitTimed(m -> m.startsWith(s.channel(1) + "\n"), BenchClient.WAIT);
                if (!back.text().equals(expected)) {
                    throw new IllegalStateException("all-at-once echo on session " + i + ": got "
                            + back.text().replace("\n", "\\n"));
                }
                micros.add((back.nanos() - sent[i]) / 1e3);
            }
            GatewayProcess.sleep(500);
        }
        Stats st = Stats.of(micros);
        r.put("sessions.all.median", st.median());
        r.put("sessions.all.p99", st.percentile(99));
        r.put("sessions.all.max", st.max());
    }

    /** Logs every session out; fails if sockets stay open or the target keeps session processes. */
    private static void closeAll(List<BenchClient.Socket> sockets, Target t) {
        List<BenchClient.Socket> all = List.copyOf(sockets);
        for (BenchClient.Socket s : all) {
            s.send("\n{\"command\":\"logout\",\"disconnect\":true}");
        }
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (all.stream().anyMatch(s -> !s.isClosed()) && System.nanoTime() < end) {
            GatewayProcess.sleep(50);
        }
        long open = all.stream().filter(s -> !s.isClosed()).count();
        all.forEach(BenchClient.Socket::close);
        sockets.clear();
        if (open > 0) {
            throw new IllegalStateException(open + " of " + all.size() + " sockets still open 60 s after logout");
        }
        t.awaitQuiet(Duration.ofSeconds(120), "closing " + all.size() + " sessions");
    }
}
