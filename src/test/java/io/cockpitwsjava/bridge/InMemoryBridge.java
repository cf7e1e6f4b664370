package io.cockpitwsjava.bridge;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.cockpitwsjava.beiboot.BeipackPayload;
import io.cockpitwsjava.beiboot.BootSequence;
import io.cockpitwsjava.beiboot.OsSupportPolicy;
import io.cockpitwsjava.beiboot.RemoteBridgeMode;
import io.cockpitwsjava.protocol.FrameEncoder;

/** A running {@link BridgeConnection} over an {@link InMemoryTransport}, for tests of the layers above it. */
public final class InMemoryBridge {
    static final byte[] XZ_MAGIC = { (byte) 0xFD, '7', 'z', 'X', 'Z', 0 };

    private InMemoryBridge() {
    }

    public static BootSequence boot() {
        return new BootSequence(RemoteBridgeMode.AUTO, BeipackPayload.of(XZ_MAGIC, "test"), List.of(),
                OsSupportPolicy.defaults(Map.of()));
    }

    /** Starts a bridge on {@code t} and plays its init; stdin is cleared of stage 1. */
    public static BridgeConnection.Started start(InMemoryTransport t) throws Exception {
        var f = BridgeConnection.start(t, boot(), Duration.ofSeconds(10), "in-memory");
        t.bridgeWrites(FrameEncoder.encode("", "{\"command\":\"init\",\"version\":1}".getBytes(StandardCharsets.UTF_8)));
        var started = f.get(5, TimeUnit.SECONDS);
        t.clearStdin();
        return started;
    }
}
