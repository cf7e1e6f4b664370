package io.cockpitwsjava.web;

import io.cockpitwsjava.identity.Identity;
import io.vertx.ext.web.RoutingContext;

/**
 * One resource of the fleet API, {@code <root>/fleet/api/<name>}. Implement it as a CDI bean ({@code @Singleton}) and
 * {@link FleetRoutes} finds it: the routes have already checked the sign-in (a request without a valid one gets 401 with
 * a JSON body, never a redirect), so a handler only ever sees signed-in requests, with any method.
 */
public interface FleetApiEndpoint {

    /** The path below {@code fleet/api/}: {@code "hosts"} answers {@code <root>/fleet/api/hosts}. No slashes. */
    String name();

    /** Answers one request of {@code who}. Runs on the event loop: no blocking. */
    void handle(Exchange ex, RoutingContext ctx, Identity who);
}
