package io.cockpitwsjava.session;

import java.util.concurrent.CompletableFuture;

import io.cockpitwsjava.bridge.BridgeLauncher;

/**
 * Starts a bridge on another host for a session's multi-host channels (implemented by {@link LoginService}, which
 * owns the launcher). Fails with a {@link io.cockpitwsjava.protocol.ProblemException}.
 */
public interface PeerConnector {
    CompletableFuture<BridgeLauncher.Launched> connect(BridgeLauncher.Launch launch);
}
