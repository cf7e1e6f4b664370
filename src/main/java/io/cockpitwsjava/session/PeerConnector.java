package io.cockpitwsjava.session;

import java.util.concurrent.CompletableFuture;

import io.cockpitwsjava.bridge.BridgeConnection;
import io.cockpitwsjava.ssh.HostTarget;
import io.cockpitwsjava.ssh.KnownHosts;

/** Starts a bridge on another host for a session's multi-host channels (implemented by {@link LoginService}). */
public interface PeerConnector {

    /**
     * Connects with strict host-key checking and boots a bridge. Fails with a {@link PeerFailure} carrying the
     * problem and the fields the shell's add-host dialog reads.
     */
    CompletableFuture<BridgeConnection.Started> connect(HostTarget target, char[] password, KnownHosts extraTrusted,
            boolean privateSession);
}
