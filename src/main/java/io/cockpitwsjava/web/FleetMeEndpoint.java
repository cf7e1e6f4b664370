package io.cockpitwsjava.web;

import java.util.TreeSet;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cockpitwsjava.identity.Identity;
import io.cockpitwsjava.protocol.ControlMessage;
import io.vertx.ext.web.RoutingContext;

/** {@code GET <root>/fleet/api/me}: who is signed in, {@code {"user": "alice", "groups": ["ops"]}} (groups sorted). */
@Singleton
public class FleetMeEndpoint implements FleetApiEndpoint {

    @Override
    public String name() {
        return "me";
    }

    @Override
    public void handle(Exchange ex, RoutingContext ctx, Identity who) {
        String method = ex.request().method().name();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            ex.response().headers().set("Allow", "GET, HEAD");
            ex.fail(405, null);
            return;
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("user", who.user());
        var groups = body.putArray("groups");
        new TreeSet<>(who.groups()).forEach(groups::add);
        try {
            ex.json(200, null, CacheType.NO_CACHE, ControlMessage.MAPPER.writeValueAsBytes(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
