package io.cockpitwsjava.protocol;

import java.util.Arrays;
import java.util.Objects;

/**
 * One message of the gateway ↔ bridge stream (docs/protocol.md §7.1): a channel id and its payload bytes.
 * The payload array is owned by the frame; callers must not modify it after construction.
 */
public record Frame(String channel, byte[] payload) {

    public Frame {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(payload, "payload");
    }

    /** Whether this frame is on the control channel (empty id), so the payload is a JSON control message. */
    public boolean isControl() {
        return channel.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Frame f && channel.equals(f.channel) && Arrays.equals(payload, f.payload);
    }

    @Override
    public int hashCode() {
        return 31 * channel.hashCode() + Arrays.hashCode(payload);
    }

    /** Never the payload itself: it may carry passwords or file contents. */
    @Override
    public String toString() {
        return "Frame[channel=" + channel + ", payload=" + payload.length + " bytes]";
    }
}
