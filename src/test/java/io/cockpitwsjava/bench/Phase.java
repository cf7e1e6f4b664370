package io.cockpitwsjava.bench;

import java.util.List;

/**
 * A part of the benchmark. It runs once per gateway and repetition, each time on freshly started gateway
 * processes, puts its numbers into that gateway's {@link Results} and throws when anything went wrong.
 */
interface Phase {
    /** The name {@code bench.phases} selects it by. */
    String name();

    /** The table rows it fills. */
    List<ResultTable.Row> rows(BenchConfig config);

    /** Whether it runs for {@code gateway}: every phase runs on real gateways, only some on the floor. */
    default boolean runsOn(GatewaySpec gateway) {
        return !gateway.isFloor();
    }

    void run(GatewaySpec gateway, Testbed bed, Results results) throws Exception;
}
