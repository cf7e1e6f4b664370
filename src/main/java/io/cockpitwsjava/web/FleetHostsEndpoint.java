package io.cockpitwsjava.web;

import java.nio.charset.StandardCharsets;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.cockpitwsjava.fleet.FleetMode;
import io.cockpitwsjava.fleet.Inventory;
import io.cockpitwsjava.fleet.InventoryFile;
import io.cockpitwsjava.identity.Identity;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET <root>/fleet/api/hosts}: the hosts the caller's access rules let them reach, with their status
 * (docs/fleet.md, "Fleet API"). Without an inventory there are none.
 */
@Singleton
public class FleetHostsEndpoint implements FleetApiEndpoint {

    @Inject
    FleetMode fleet;

    @Override
    public String name() {
        return "hosts";
    }

    @Override
    public void handle(Exchange ex, RoutingContext ctx, Identity who) {
        if (!readOnly(ex)) {
            return;
        }
        Inventory inventory = fleet.inventory().map(InventoryFile::current).orElse(Inventory.EMPTY);
        ex.json(200, null, CacheType.NO_CACHE,
                FleetJson.hosts(inventory, fleet.status(), who).getBytes(StandardCharsets.UTF_8));
    }

    /** GET and HEAD only; anything else gets 405 here. */
    static boolean readOnly(Exchange ex) {
        String method = ex.request().method().name();
        if (method.equals("GET") || method.equals("HEAD")) {
            return true;
        }
        ex.response().headers().set("Allow", "GET, HEAD");
        ex.fail(405, null);
        return false;
    }
}
