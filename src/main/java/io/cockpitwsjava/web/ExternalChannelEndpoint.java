package io.cockpitwsjava.web;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cockpitwsjava.config.GatewaySettings;
import io.cockpitwsjava.protocol.ControlMessage;
import io.cockpitwsjava.protocol.Problem;
import io.cockpitwsjava.session.ChannelOwner;
import io.cockpitwsjava.session.WebSession;
import io.vertx.core.http.ServerWebSocket;

/** External channels {@code /<app>/channel/<csrf-token>?<base64 open>} (ws-contract §8), HTTP and WebSocket. */
@Singleton
public class ExternalChannelEndpoint {
    private static final Logger LOG = Logger.getLogger(ExternalChannelEndpoint.class);
    private static final Map<String, String> EXTERNAL_HEADERS = Map.of("content-disposition", "Content-Disposition",
            "content-type", "Content-Type", "content-encoding", "Content-Encoding");

    @Inject
    GatewaySettings settings;

    void handle(Exchange ex, WebSession session) {
        ObjectNode open = decode(ex.query());
        if (open == null) {
            ex.fail(400, "Bad channel request");
            return;
        }
        JsonNode external = open.remove("external");
        if (external != null && !external.isObject()) {
            ex.fail(400, "Bad channel request");
            return;
        }
        if (open.has("binary") && !open.get("binary").isTextual()) {
            ex.fail(400, "Bad channel request");
            return;
        }
        if (external != null) {
            for (var e : EXTERNAL_HEADERS.entrySet()) {
                JsonNode v = external.get(e.getKey());
                if (v != null) {
                    if (!v.isTextual() || v.asText().chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                        ex.fail(400, "Bad channel request");
                        return;
                    }
                }
            }
        }
        if ("websocket".equalsIgnoreCase(ex.header("Upgrade"))) {
            webSocket(ex, session, open);
            return;
        }
        if (!open.has("binary")) {
            open.put("binary", "raw");
        }
        boolean binary = "raw".equals(open.path("binary").asText());
        var headers = ex.response().headers();
        headers.set("Content-Type", binary ? "application/octet-stream" : "text/plain");
        if (external != null) {
            for (var e : EXTERNAL_HEADERS.entrySet()) {
                JsonNode v = external.get(e.getKey());
                if (v != null) {
                    headers.set(e.getValue(), v.asText());
                }
            }
        }
        open.put("flow-control", true);
        ControlMessage msg;
        try {
            msg = ControlMessage.wrap(open.put("command", "open").put("channel", "0:pending"));
        } catch (io.cockpitwsjava.protocol.ProtocolException e) {
            ex.fail(400, "Bad channel request");
            return;
        }
        // http-stream2 gets its head from the bridge's "response" control message, other payloads start at the first data
        String channel = session.newInternalChannel();
        new BridgeHttpChannel(ex, session, channel, false, CacheType.NONE, null).start(msg);
        LOG.debugf("external channel %s (%s) for session %s", channel, open.path("payload").asText(), session.id());
    }

    /** Standard base64 (lenient: missing padding, whitespace) of a JSON object without command/channel. */
    static ObjectNode decode(String query) {
        if (query == null || query.isEmpty()) {
            return null;
        }
        try {
            String q = query.replaceAll("\\s", "");
            while (q.length() % 4 != 0) {
                q += "=";
            }
            byte[] raw = Base64.getDecoder().decode(q);
            JsonNode node = ControlMessage.MAPPER.readTree(raw);
            if (!(node instanceof ObjectNode obj) || obj.has("channel") || obj.has("command")) {
                return null;
            }
            return obj;
        } catch (IllegalArgumentException | java.io.IOException e) {
            return null;
        }
    }

    private void webSocket(Exchange ex, WebSession session, ObjectNode open) {
        if (!OriginPolicy.allowed(ex.header("Origin"), settings.origins(), ex.selfOrigin())) {
            ex.fail(403, null);
            return;
        }
        ex.request().toWebSocket().onSuccess(ws -> {
            String channel = session.newInternalChannel();
            boolean binary = "raw".equals(open.path("binary").asText());
            ExternalSocket owner = new ExternalSocket(ws, session, channel, binary);
            if (session.register(channel, owner) != WebSession.Registration.REGISTERED) {
                ws.close((short) 1011, Problem.TOO_LARGE.wireName());
                return;
            }
            open.put("flow-control", true).put("command", "open").put("channel", channel);
            try {
                session.open(ControlMessage.wrap(open));
            } catch (io.cockpitwsjava.protocol.ProtocolException e) {
                ws.close((short) 1011, Problem.PROTOCOL_ERROR.wireName());
                return;
            }
            ws.binaryMessageHandler(b -> session.send(channel, b.getBytes()));
            ws.textMessageHandler(t -> session.send(channel, t.getBytes(StandardCharsets.UTF_8)));
            ws.closeHandler(v -> owner.browserClosed(ws.closeStatusCode(), ws.closeReason()));
        });
    }

    /** A WebSocket bound to one bridge channel (ws-contract §8.3). */
    private static final class ExternalSocket implements ChannelOwner {
        private final ServerWebSocket ws;
        private final WebSession session;
        private final String channel;
        private final boolean binary;
        private volatile boolean done;

        ExternalSocket(ServerWebSocket ws, WebSession session, String channel, boolean binary) {
            this.ws = ws;
            this.session = session;
            this.channel = channel;
            this.binary = binary;
        }

        @Override
        public void control(String ch, ControlMessage msg) {
            switch (msg.command()) {
                case "ping" -> session.sendControl(msg.copy().with("command", "pong"));
                case "close" -> {
                    done = true;
                    var problem = msg.string("problem");
                    if (problem.isPresent()) {
                        ws.close((short) 1001, problem.get());
                    } else {
                        ws.close((short) 1000);
                    }
                }
                default -> {
                }
            }
        }

        @Override
        public void data(String ch, byte[] payload) {
            if (binary) {
                ws.writeBinaryMessage(io.vertx.core.buffer.Buffer.buffer(payload));
            } else {
                ws.writeTextMessage(new String(payload, StandardCharsets.UTF_8));
            }
        }

        @Override
        public void bridgeClosed(String ch, Problem problem) {
            done = true;
            ws.close((short) 1001, problem.wireName());
        }

        void browserClosed(Short code, String reason) {
            if (done) {
                return;
            }
            done = true;
            session.unregister(channel, this);
            if (code != null && code == 1000) {
                session.sendControl(ControlMessage.of("done").with("channel", channel));
                session.sendControl(ControlMessage.close(channel, null));
            } else {
                ControlMessage close = ControlMessage.of("close").with("channel", channel)
                        .with("problem", reason == null || reason.isEmpty() ? Problem.DISCONNECTED.wireName() : reason);
                session.sendControl(close);
            }
        }
    }
}
