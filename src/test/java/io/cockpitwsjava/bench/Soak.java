package io.cockpitwsjava.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Keeps many real sessions busy on one freshly started gateway of ours for a while and watches its memory:
 * {@link Settings#sessions()} sessions on an sshd target with the installed bridge, each running a cycle about once
 * a second — one echo round trip on its long-lived echo channel, every {@value #CHURN_EVERY}th cycle a short-lived echo
 * channel opened, used once and closed, every {@value #STREAM_EVERY}th cycle a {@value #STREAM_BYTES}-byte stream
 * read to its close. Every {@link Settings#sampleInterval()} the traffic is paused (cycles in flight finish first),
 * and the gateway is sampled: live heap after a full GC (jcmd), PSS, threads, open file descriptors.
 *
 * <p>It fails when a session breaks (any error in a cycle, a socket closed by the gateway) or when the gateway does
 * not come back to its level after ramp-up: the median of the last three samples minus the median of the first three
 * must stay within {@link Settings#heapGrowthMib()} MiB of live heap, {@link Settings#threadGrowth()} threads and
 * {@link Settings#fdGrowth()} descriptors. docs/PERFORMANCE.md explains the limits.
 */
final class Soak {
    static final int CHURN_EVERY = 4;
    static final int STREAM_EVERY = 10;
    static final long STREAM_BYTES = 64 * 1024;

    /**
     * @param sessions sessions kept open with traffic
     * @param duration traffic time after ramp-up
     * @param sampleInterval time between samples
     * @param jvmFlags our gateway's JVM flags
     * @param heapGrowthMib allowed growth of the live heap after full GC, last samples vs first samples
     * @param threadGrowth allowed growth of the thread count
     * @param fdGrowth allowed growth of open file descriptors
     * @param sourceAddresses loopback addresses the sessions connect from
     */
    record Settings(int sessions, Duration duration, Duration sampleInterval, List<String> jvmFlags,
            double heapGrowthMib, int threadGrowth, int fdGrowth, List<String> sourceAddresses) {
    }

    /** One sample of the gateway, taken with the traffic paused. */
    record Sample(Duration at, int open, long cycles, long streams, long churns, double heapMib, double pssMib,
            int threads, int fds) {
    }

    /** What the soak saw and whether it passed. */
    record Outcome(List<Sample> samples, List<String> problems, String verdict) {
        boolean passed() {
            return problems.isEmpty();
        }
    }

    private final Settings settings;
    private final GatewayProcess.Launch launch;
    private final Target target;
    private final HeapProbe heap;
    private final ReentrantReadWriteLock traffic = new ReentrantReadWriteLock(true);
    private final LongAdder cycles = new LongAdder();
    private final LongAdder streams = new LongAdder();
    private final LongAdder churns = new LongAdder();
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean stopping;

    Soak(Settings settings, GatewayProcess.Launch launch, Target target, HeapProbe heap) {
        this.settings = settings;
        this.launch = launch;
        this.target = target;
        this.heap = heap;
    }

    Outcome run() throws Exception {
        List<Sample> samples = new ArrayList<>();
        try (GatewayProcess g = GatewayProcess.ours("ours", "soak", settings.jvmFlags(), List.of(), launch);
                BenchClient client = new BenchClient(g.port(), settings.sourceAddresses())) {
            System.err.println("soak: " + g.description() + ", log " + g.log());
            List<BenchClient.Socket> sockets = rampUp(client);
            System.err.printf("soak: %d sessions open; traffic for %s, a sample every %s%n", sockets.size(),
                    settings.duration(), settings.sampleInterval());
            long start = System.nanoTime();
            long end = start + settings.duration().toNanos();
            try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < sockets.size(); i++) {
                    int session = i;
                    BenchClient.Socket s = sockets.get(i);
                    workers.submit(() -> cycleUntilStopped(session, s, g));
                }
                System.err.println(header());
                long next = start;
                try {
                    while (System.nanoTime() < end && problems.isEmpty()) {
                        next += settings.sampleInterval().toNanos();
                        GatewayProcess.sleep(Math.max(0, (Math.min(next, end) - System.nanoTime()) / 1_000_000));
                        Sample sample = sample(g, sockets, Duration.ofNanos(System.nanoTime() - start));
                        samples.add(sample);
                        System.err.println(row(sample));
                    }
                } finally {
                    stopping = true; // the workers end after their current cycle
                }
            }
            logoutAll(sockets);
            Testbed.checkAlive(g);
        } catch (Exception | Error e) {
            problems.add("soak aborted: " + e);
        }
        Judgement j = judge(samples, settings);
        if (problems.isEmpty() || samples.size() >= 4) {
            problems.addAll(j.problems()); // a soak that broke early is reported for that, not for its few samples
        }
        return new Outcome(samples, List.copyOf(problems), j.verdict());
    }

    private List<BenchClient.Socket> rampUp(BenchClient client) {
        List<BenchClient.Socket> sockets = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger slots = new AtomicInteger(settings.sessions());
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < 8; w++) { // below MaxStartups (10)
                pool.submit(() -> {
                    while (problems.isEmpty() && slots.getAndDecrement() > 0) {
                        try {
                            BenchClient.Socket s = Traffic.session(client, target);
                            Traffic.openEcho(s, 1);
                            sockets.add(s);
                        } catch (Exception e) {
                            problems.add("a login while ramping up failed: " + e.getMessage());
                        }
                    }
                });
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException(problems.get(0));
        }
        return new ArrayList<>(sockets);
    }

    /** One session's traffic; any error is a broken session: noted, and the session stops. */
    private void cycleUntilStopped(int session, BenchClient.Socket s, GatewayProcess g) {
        int next = 10; // channel ids for short-lived channels; 1 is the long-lived echo channel
        try {
            for (long cycle = 0; !stopping; cycle++) {
                traffic.readLock().lock();
                try {
                    if (s.isClosed()) {
                        throw new IllegalStateException("socket closed by the gateway (" + s.closeCode() + ")");
                    }
                    Traffic.echo(s, s.channel(1), 1, "soak");
                    if (cycle % CHURN_EVERY == session % CHURN_EVERY) {
                        String ch = Traffic.openEcho(s, next++);
                        Traffic.echo(s, ch, 1, "churn");
                        Traffic.closeChannel(s, ch);
                        churns.increment();
                    }
                    if (cycle % STREAM_EVERY == session % STREAM_EVERY) {
                        Traffic.stream(s, next++, STREAM_BYTES, g, heap, null);
                        streams.increment();
                    }
                    cycles.increment();
                } finally {
                    traffic.readLock().unlock();
                }
                // about one cycle a second per session, spread out so the sessions do not march in step
                GatewayProcess.sleep(750 + ThreadLocalRandom.current().nextInt(500));
            }
        } catch (Exception e) {
            if (!stopping) {
                problems.add("session " + session + " broke: " + e.getMessage());
            }
        }
    }

    private Sample sample(GatewayProcess g, List<BenchClient.Socket> sockets, Duration at) {
        traffic.writeLock().lock(); // waits for the cycles in flight: no request is half done while sampling
        try {
            Testbed.checkAlive(g);
            long heapKib = heap.liveHeapKibAfterFullGc(g.pid());
            if (heapKib < 0) {
                throw new IllegalStateException("jcmd could not read the gateway's live heap");
            }
            int open = (int) sockets.stream().filter(s -> !s.isClosed()).count();
            if (open < sockets.size()) {
                problems.add((sockets.size() - open) + " session sockets were closed by the gateway by " + at);
            }
            return new Sample(at, open, cycles.sum(), streams.sum(), churns.sum(), heapKib / 1024.0,
                    g.processes().pssKib() / 1024.0, ProcessTree.threadCount(g.pid()), ProcessTree.fdCount(g.pid()));
        } finally {
            traffic.writeLock().unlock();
        }
    }

    private void logoutAll(List<BenchClient.Socket> sockets) {
        for (BenchClient.Socket s : sockets) {
            s.send("\n{\"command\":\"logout\",\"disconnect\":true}");
        }
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (sockets.stream().anyMatch(s -> !s.isClosed()) && System.nanoTime() < end) {
            GatewayProcess.sleep(50);
        }
        long open = sockets.stream().filter(s -> !s.isClosed()).count();
        sockets.forEach(BenchClient.Socket::close);
        if (open > 0) {
            problems.add(open + " sockets still open 60 s after logout");
        }
        target.awaitQuiet(Duration.ofSeconds(120), "logging out " + sockets.size() + " sessions");
    }

    /** The growth limits applied to a soak's samples: what was exceeded, and the line that says so. */
    record Judgement(List<String> problems, String verdict) {
    }

    /**
     * Compares the median of the last three samples with the median of the first three (fewer when there are
     * fewer than six): live heap, threads and file descriptors must stay within the limits. PSS is reported, not
     * judged: it follows how much heap the JVM keeps committed, not what is alive.
     */
    static Judgement judge(List<Sample> samples, Settings settings) {
        List<String> problems = new ArrayList<>();
        if (samples.size() < 4) {
            problems.add("only " + samples.size() + " samples: the soak needs at least 4 (duration / interval)");
            return new Judgement(problems, "not judged (" + samples.size() + " samples)");
        }
        int n = Math.min(3, samples.size() / 2);
        List<Sample> first = samples.subList(0, n);
        List<Sample> last = samples.subList(samples.size() - n, samples.size());
        double heapGrowth = median(last, Sample::heapMib) - median(first, Sample::heapMib);
        double threadGrowth = median(last, s -> s.threads()) - median(first, s -> s.threads());
        double fdGrowth = median(last, s -> s.fds()) - median(first, s -> s.fds());
        double pssGrowth = median(last, Sample::pssMib) - median(first, Sample::pssMib);
        if (heapGrowth > settings.heapGrowthMib()) {
            problems.add(String.format(Locale.ROOT, "live heap grew by %.1f MiB (limit %.1f MiB)", heapGrowth,
                    settings.heapGrowthMib()));
        }
        if (threadGrowth > settings.threadGrowth()) {
            problems.add(String.format(Locale.ROOT, "threads grew by %.0f (limit %d)", threadGrowth, settings.threadGrowth()));
        }
        if (fdGrowth > settings.fdGrowth()) {
            problems.add(String.format(Locale.ROOT, "open file descriptors grew by %.0f (limit %d)", fdGrowth,
                    settings.fdGrowth()));
        }
        long churned = last.get(last.size() - 1).churns() - first.get(0).churns();
        return new Judgement(problems, String.format(Locale.ROOT, "median of the last %d samples minus the first %d: "
                + "live heap %+.1f MiB (limit %.1f), threads %+.0f (limit %d), fds %+.0f (limit %d), PSS %+.1f MiB "
                + "(not judged); between them %d channel open/close cycles, so a leak of ≥ %.0f bytes per channel "
                + "would exceed the heap limit", n, n, heapGrowth, settings.heapGrowthMib(), threadGrowth,
                settings.threadGrowth(), fdGrowth, settings.fdGrowth(), pssGrowth, churned,
                churned == 0 ? Double.NaN : settings.heapGrowthMib() * 1024 * 1024 / churned));
    }

    private static double median(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> f) {
        return ResultTable.Summary.of(samples.stream().map(s -> f.applyAsDouble(s)).toList()).median();
    }

    static String header() {
        return String.format(Locale.ROOT, "| %8s | %5s | %8s | %7s | %7s | %9s | %8s | %7s | %5s |", "t", "open",
                "cycles", "streams", "churns", "heap MiB", "PSS MiB", "threads", "fds")
                + "\n|---------:|------:|---------:|--------:|--------:|----------:|---------:|--------:|------:|";
    }

    static String row(Sample s) {
        return String.format(Locale.ROOT, "| %7ds | %5d | %8d | %7d | %7d | %9.1f | %8.1f | %7d | %5d |",
                s.at().toSeconds(), s.open(), s.cycles(), s.streams(), s.churns(), s.heapMib(), s.pssMib(), s.threads(),
                s.fds());
    }
}
