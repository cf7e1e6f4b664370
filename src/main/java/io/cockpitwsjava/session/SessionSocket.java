package io.cockpitwsjava.session;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.cockpitwsjava.protocol.ControlMessage;
import io.cockpitwsjava.protocol.LogText;
import io.cockpitwsjava.protocol.Problem;
import io.cockpitwsjava.protocol.ProtocolException;
import io.cockpitwsjava.protocol.WebSocketMessage;

/**
 * The {@code cockpit1} protocol of one browser WebSocket inside a {@link WebSession}: the init handshake,
 * channel registration, routing to the bridge and back, and protocol errors (which close only this socket).
 */
public final class SessionSocket implements ChannelOwner {
    private static final Logger LOG = Logger.getLogger(SessionSocket.class);
    /** WebSocket close codes used by cockpit-ws. */
    public static final int GOING_AWAY = 1001;
    public static final int INTERNAL_ERROR = 1011;
    private static final byte[] PING = WebSocketMessage.format("", "{\"command\":\"ping\"}".getBytes(StandardCharsets.UTF_8));

    private final WebSession session;
    private final BrowserSocket socket;
    private final String version;
    /** Channels opened by this socket, and whether each is binary. */
    private final java.util.Map<String, Boolean> mine = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean full = new AtomicBoolean();
    private volatile boolean initReceived;

    SessionSocket(WebSession session, BrowserSocket socket, String version) {
        this.session = session;
        this.socket = socket;
        this.version = version;
    }

    /** Sends the gateway's init (docs/protocol.md §6.3(1)). */
    void start() {
        int seed = session.nextSeed();
        ControlMessage init = ControlMessage.of("init").with("version", 1).with("channel-seed", seed + ":")
                .with("host", "localhost").with("csrf-token", session.csrfToken());
        var caps = JsonNodeFactory.instance.arrayNode().add("multi").add("credentials").add("binary")
                .add("websocket-channel-close-fix");
        init.with("capabilities", caps);
        init.with("system", JsonNodeFactory.instance.objectNode().put("version", version));
        sendControl(init);
    }

    /** A keep-alive ping from the gateway. */
    public void ping() {
        if (!closed.get()) {
            socket.sendText(PING);
        }
    }

    /** A message from the browser (text or binary frame, both accepted). */
    public void onMessage(byte[] data) {
        onMessage(data, 0, data.length);
    }

    /**
     * A message from the browser in {@code data[offset, offset+length)}, as bytes: channel data goes to the bridge
     * without a copy or a text round trip (the array must not change afterwards), a control message is parsed once.
     */
    public void onMessage(byte[] data, int offset, int length) {
        if (closed.get() || session.isEnded()) {
            return;
        }
        int newline;
        try {
            newline = WebSocketMessage.channelEnd(data, offset, length);
        } catch (ProtocolException e) {
            protocolError(Problem.PROTOCOL_ERROR, e.getMessage());
            return;
        }
        int payload = newline + 1;
        int payloadLength = offset + length - payload;
        if (newline != offset) {
            if (!initReceived) {
                protocolError(Problem.PROTOCOL_ERROR, "data before init");
                return;
            }
            String channel = new String(data, offset, newline - offset, StandardCharsets.ISO_8859_1);
            if (mine.containsKey(channel)) {
                session.send(channel, data, payload, payloadLength);
                applyInputBackPressure();
            }
            return;
        }
        ControlMessage msg;
        try {
            msg = ControlMessage.parse(data, payload, payloadLength);
        } catch (ProtocolException e) {
            protocolError(Problem.PROTOCOL_ERROR, e.getMessage());
            return;
        }
        onControl(msg);
    }

    private void onControl(ControlMessage msg) {
        String command = msg.command();
        if (!initReceived && !"init".equals(command)) {
            protocolError(Problem.PROTOCOL_ERROR, "expected init, got " + command);
            return;
        }
        if ("init".equals(command)) {
            // A repeated init is accepted like the first, as cockpit-ws does: the real shell in Chromium sends a
            // second one on its socket, and refusing it disconnected the whole shell.
            long v = msg.node().path("version").asLong(-1);
            if (v != 1) {
                protocolError(Problem.NOT_SUPPORTED, "unsupported protocol version");
                return;
            }
            initReceived = true;
            return;
        }
        String channel = msg.channel();
        switch (command) {
            case "open" -> {
                if (channel.startsWith(WebSession.INTERNAL_PREFIX)) {
                    // the gateway's own channels (HTTP requests, external channels) live there: a browser that took
                    // one first would make them fail, or receive their data
                    sendControl(ControlMessage.close(channel, Problem.PROTOCOL_ERROR)
                            .with("message", "channel ids starting with " + WebSession.INTERNAL_PREFIX
                                    + " belong to the gateway"));
                    return;
                }
                WebSession.Registration registration = session.register(channel, this);
                if (registration == WebSession.Registration.DUPLICATE) {
                    protocolError(Problem.PROTOCOL_ERROR, "channel " + channel + " is already open");
                    return;
                }
                if (registration == WebSession.Registration.TOO_MANY) {
                    // this channel fails like one the bridge refused; the socket, its channels and the session go on
                    sendControl(ControlMessage.close(channel, Problem.TOO_LARGE)
                            .with("message", "more than " + session.maxChannels() + " channels open"));
                    return;
                }
                mine.put(channel, msg.isBinaryRaw());
                session.open(msg);
            }
            case "close" -> {
                if (mine.remove(channel) != null) {
                    session.unregister(channel, this);
                    session.sendControl(msg);
                }
            }
            case "logout" -> session.end(Problem.TERMINATED);
            case "kill" -> session.kill(msg);
            case "ping" -> {
                if (channel == null) {
                    sendControl(msg.copy().with("command", "pong"));
                } else if (mine.containsKey(channel)) {
                    session.sendControl(msg);
                }
            }
            default -> {
                if (channel != null && mine.containsKey(channel)) {
                    session.sendControl(msg);
                }
                // channel-less hint, pong, authorize and unknown commands are not for the bridge
            }
        }
        applyInputBackPressure();
    }

    private void applyInputBackPressure() {
        if (!session.writable()) {
            socket.pauseInput();
            // the queue may have drained (and onWritable run) between the check and the pause: nobody else
            // would resume us then
            if (session.writable()) {
                socket.resumeInput();
            }
        }
    }

    /** The bridge can take more: read from the browser again. */
    void resumeInput() {
        socket.resumeInput();
    }

    private void protocolError(Problem problem, String detail) {
        LOG.infof("session %s: closing a WebSocket: %s (%s)", session.id(), problem, LogText.quoted(detail));
        sendControl(ControlMessage.of("close").with("problem", problem.wireName()));
        socket.close(INTERNAL_ERROR, problem.wireName());
        onSocketClosed();
    }

    private void sendControl(ControlMessage msg) {
        socket.sendText(WebSocketMessage.format("", msg.toBytes()));
        watchOutput();
    }

    private void watchOutput() {
        if (socket.writeQueueFull() && full.compareAndSet(false, true)) {
            session.socketFull(true);
            socket.onDrain(this::drained);
            // bridge frames are written from MINA threads while the event loop flushes: the queue may have
            // drained before the handler was set, and Vert.x only calls it on a later full-to-writable change,
            // which would never come with the bridge paused (seen as a stalled 512 MiB stream)
            if (!socket.writeQueueFull()) {
                drained();
            }
        }
    }

    private void drained() {
        if (full.compareAndSet(true, false)) {
            session.socketFull(false);
        }
    }

    // ---------------------------------------------------------------- bridge -> this socket

    @Override
    public void control(String channel, ControlMessage message) {
        if ("close".equals(message.command())) {
            mine.remove(channel);
        }
        if (!closed.get()) {
            sendControl(message);
        }
    }

    @Override
    public void data(String channel, byte[] payload) {
        if (closed.get()) {
            return;
        }
        // the payload is not copied behind its channel prefix here: the socket writes both as one message
        socket.send(Boolean.TRUE.equals(mine.get(channel)), WebSocketMessage.head(channel), payload);
        watchOutput();
    }

    @Override
    public void bridgeClosed(String channel, Problem problem) {
        mine.remove(channel);
    }

    // ---------------------------------------------------------------- closing

    /** The transport closed (browser went away): close this socket's channels at the bridge. */
    public void onSocketClosed() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (String channel : Set.copyOf(mine.keySet())) {
            session.unregister(channel, this);
            if (!session.isEnded()) {
                session.sendControl(ControlMessage.close(channel, Problem.DISCONNECTED));
            }
        }
        mine.clear();
        if (full.compareAndSet(true, false)) {
            session.socketFull(false);
        }
        session.removeSocket(this);
    }

    /** The session ends (logout, bridge exit): tell the browser and close with 1001. */
    void closeForSession(Problem problem) {
        if (closed.compareAndSet(false, true)) {
            mine.clear();
            socket.close(GOING_AWAY, problem.wireName());
        }
    }
}
