package io.cockpitwsjava.web;

import java.util.Base64;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cockpitwsjava.config.GatewaySettings;
import io.cockpitwsjava.protocol.ControlMessage;
import io.cockpitwsjava.session.WebSession;

/** External channels {@code /<app>/channel/<csrf-token>?<base64 open>} (docs/protocol.md §8), HTTP and WebSocket. */
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
        ControlMessage msg;
        try {
            msg = ControlMessage.wrap(open.put("flow-control", true).put("command", "open").put("channel", "0:pending"));
        } catch (io.cockpitwsjava.protocol.ProtocolException e) {
            ex.fail(400, "Bad channel request");
            return;
        }
        boolean binary = "raw".equals(open.path("binary").asText());
        ex.request().toWebSocket().onSuccess(ws -> {
            RequestHeadTimeout.upgraded(ex.request());
            new ExternalSocket(ws, session, session.newInternalChannel(), binary).start(msg);
        }).onFailure(err -> LOG.debugf("external WebSocket upgrade failed: %s", err.getMessage()));
    }
}
