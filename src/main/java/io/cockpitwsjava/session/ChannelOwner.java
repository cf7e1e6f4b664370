package io.cockpitwsjava.session;

import io.cockpitwsjava.protocol.ControlMessage;
import io.cockpitwsjava.protocol.Problem;

/** Who receives what the bridge sends on one channel: a browser WebSocket or one of the gateway's own channels. */
public interface ChannelOwner {

    /** A control message for the channel ({@code ready}, {@code done}, {@code close}, {@code ping}...). */
    void control(String channel, ControlMessage message);

    /** Channel data. The array is owned by the receiver. */
    void data(String channel, byte[] payload);

    /** The bridge is gone; the channel ends with this problem. */
    void bridgeClosed(String channel, Problem problem);
}
