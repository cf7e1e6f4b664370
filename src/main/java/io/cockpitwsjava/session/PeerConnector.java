package io.cockpitwsjava.session;

import java.util.concurrent.CompletableFuture;

import io.cockpitwsjava.bridge.BridgeLauncher;

/**
 * Starts a bridge on another host for a session's multi-host channels (implemented by {@link LoginService}, which
 * owns the launcher and the login admission). Fails with a {@link io.cockpitwsjava.protocol.ProblemException}.
 */
public interface PeerConnector {
    /**
     * Starts the bridge once the admission has a working place for it (peers count like logins of the session's
     * client); fails with {@code timeout} if none frees up in time.
     */
    CompletableFuture<BridgeLauncher.Launched> connect(String clientAddress, BridgeLauncher.Launch launch);

    /** Peers one session may have at once; 0 or less = no limit. */
    int peersPerSession();
}
