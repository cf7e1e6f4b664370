package io.cockpitwsjava.bench;

import java.time.Duration;

/**
 * Turns a fresh gateway into a warmed one: {@code warmEchoes} echo round trips and one stream of
 * {@code streamBytes}, in one session on {@code target}, nothing measured.
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
        String ch = Traffic.openEcho(s, 1001);
        Traffic.echo(s, ch, bed.config.warmEchoes(), "warming");
        Traffic.closeChannel(s, ch);
        Traffic.stream(s, 1002, bed.config.streamBytes(), g, bed.heap, target);
    }
}
