package io.cockpitwsjava.session;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

import io.cockpitwsjava.beiboot.BootSequence;
import io.cockpitwsjava.bridge.BridgeConnection;
import io.cockpitwsjava.bridge.BridgeFailure;
import io.cockpitwsjava.config.GatewaySettings;
import io.cockpitwsjava.ssh.HostKeyQuestion;
import io.cockpitwsjava.ssh.HostTarget;
import io.cockpitwsjava.ssh.KnownHosts;
import io.cockpitwsjava.ssh.SshConnector;
import io.cockpitwsjava.ssh.SshCredentials;
import io.cockpitwsjava.ssh.SshLoginException;

/**
 * Bridges on further hosts for multi-host sessions, over the gateway's SSH client; failures carry what the shell's
 * add-host dialog reads ({@code host-key}, {@code host-fingerprint}, {@code auth-method-results}), like
 * Cockpit's {@code remote.py}.
 */
final class SshPeerConnector implements PeerConnector {
    private final SshConnector connector;
    private final HostAccessPolicy access;
    private final BridgeAssets assets;
    private final GatewaySettings settings;
    private final ExecutorService resolver;

    SshPeerConnector(SshConnector connector, HostAccessPolicy access, BridgeAssets assets, GatewaySettings settings,
            ExecutorService resolver) {
        this.connector = connector;
        this.access = access;
        this.assets = assets;
        this.settings = settings;
        this.resolver = resolver;
    }

    /** A multi-host peer: strict host keys (the open's host-key option is trusted too), no prompts. */
    @Override
    public CompletableFuture<BridgeConnection.Started> connect(HostTarget target, char[] password,
            KnownHosts extra, boolean privateSession) {
        return CompletableFuture.supplyAsync(() -> access.permits(target.host()), resolver).thenCompose(ok -> {
            if (!ok) {
                return CompletableFuture.failedFuture(new PeerFailure("no-host", "cannot reach " + target.display(),
                        Map.of("error", "no-host")));
            }
            SshCredentials creds = new SshCredentials(target.user(), password, extra, null, true, null);
            return connector.connect(target, creds);
        }).thenCompose(login -> {
            BootSequence boot = new BootSequence(assets.mode(), assets.payload(), assets.reportFiles(), assets.osPolicy());
            return BridgeConnection.start(login.session(), boot, settings.loginTimeout(), "peer " + target.display());
        }).exceptionallyCompose(err -> CompletableFuture.failedFuture(peerFailure(target, LoginService.unwrap(err), privateSession)));
    }

    private static PeerFailure peerFailure(HostTarget target, Throwable err, boolean privateSession) {
        if (err instanceof PeerFailure pf) {
            return pf;
        }
        if (err instanceof SshLoginException e) {
            Map<String, Object> fields = new java.util.LinkedHashMap<>();
            String problem = e.problem();
            if (e.hostKeyQuestion().isPresent()) {
                HostKeyQuestion q = e.hostKeyQuestion().get();
                fields.put("host-key", KnownHosts.line(target, q.key()));
                fields.put("host-fingerprint", q.fingerprint());
                if (problem.equals("unknown-hostkey") && !privateSession) {
                    problem = "unknown-host";
                }
            }
            switch (problem) {
                case "unknown-hostkey", "invalid-hostkey", "unknown-host" -> fields.put("auth-method-results", Map.of());
                case "authentication-failed" -> fields.put("auth-method-results", e.authMethodResults());
                default -> {
                }
            }
            fields.put("error", problem);
            if (problem.equals("unknown-host") && e.hostKeyQuestion().isEmpty()) {
                return new PeerFailure("no-host", e.message(), Map.of("error", "no-host"));
            }
            return new PeerFailure(problem, e.message(), fields);
        }
        if (err instanceof BridgeFailure bf) {
            return new PeerFailure(bf.problem(), bf.detail(), bf.fields());
        }
        return new PeerFailure("internal-error", String.valueOf(err.getMessage()), null);
    }

}
