package io.cockpitwsjava.web;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

import io.cockpitwsjava.identity.Identity;
import io.vertx.ext.web.RoutingContext;

/**
 * Who is asking, for the fleet API: the gateway sign-in (browser session or bearer token) answers; empty = not signed
 * in, and the API answers 401. The sign-in provides the implementation; until then {@link NobodySignedIn} refuses
 * everyone.
 */
public interface FleetCaller {

    /** The signed-in identity behind {@code request}, or empty. Must not block the event loop. */
    CompletionStage<Optional<Identity>> identity(RoutingContext request);
}
