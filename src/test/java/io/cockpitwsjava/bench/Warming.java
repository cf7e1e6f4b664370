package io.cockpitwsjava.bench;

import java.time.Duration;

/**
 * Turns a fresh gateway into a warmed one: one stream of {@code streamBytes}, then {@code warmEchoes} echo round
 * trips, in one session on {@code target}, nothing measured. The stream goes first so that what it sets off has
 * settled before a warmed measurement starts: in the throughput phase it takes the session past 1 GiB, where MINA
 * starts its first SSH key re-exchange, and the JVM's first re-exchange deoptimizes MINA's packet-writing methods
 * (branches never taken before). With the echoes first, the warmed echoes were measured right in that aftermath: p99
 * 2.3 ms instead of 0.4 ms (docs/PERFORMANCE.md, "Closing run of issue 8").
 */
final class Warming {
    private Warming() {
    }

    static void warm(BenchClient client, GatewayProcess g, Testbed bed, Target target) throws Exception {
        BenchClient.Socket s = Traffic.session(client, target);
        warm(s, g, bed, target);
        Traffic.logout(s);
        target.awaitQuiet(Duration.ofSeconds(30), "warming");
    }

    /** The same on an open session; uses channel ids 1001 and 1002. */
    static void warm(BenchClient.Socket s, GatewayProcess g, Testbed bed, Target target) throws Exception {
        Traffic.stream(s, 1002, bed.config.streamBytes(), g, bed.heap, target);
        String ch = Traffic.openEcho(s, 1001);
        Traffic.echo(s, ch, bed.config.warmEchoes(), "warming");
        Traffic.closeChannel(s, ch);
    }
}
