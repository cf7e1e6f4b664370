package io.cockpitwsjava.web;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.inject.Singleton;

import io.cockpitwsjava.identity.Identity;
import io.quarkus.arc.DefaultBean;
import io.vertx.ext.web.RoutingContext;

/** The {@link FleetCaller} while no sign-in is configured: nobody is signed in, so the fleet API answers 401. */
@Singleton
@DefaultBean
public class NobodySignedIn implements FleetCaller {

    @Override
    public CompletionStage<Optional<Identity>> identity(RoutingContext request) {
        return CompletableFuture.completedFuture(Optional.empty());
    }
}
