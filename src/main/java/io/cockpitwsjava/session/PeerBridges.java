package io.cockpitwsjava.session;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.cockpitwsjava.bridge.BridgeConnection;
import io.cockpitwsjava.packages.LocalPackages;
import io.cockpitwsjava.protocol.ControlMessage;
import io.cockpitwsjava.protocol.Frame;
import io.cockpitwsjava.protocol.ProtocolException;
import io.cockpitwsjava.ssh.HostTarget;
import io.cockpitwsjava.ssh.KnownHosts;

/**
 * Multi-host routing done by the gateway (ws-contract §6.10, "MAY"): channels whose {@code host} is not
 * {@code localhost} go to a bridge on that host over the gateway's own SSH connection, keyed like Cockpit's
 * {@code remote.py}: (host, user, channel id for {@code "session":"private"}). Opens that arrive while the peer
 * is connecting wait in a queue; a failure closes them with the problem and the host-key fields.
 */
final class PeerBridges {
    private static final Logger LOG = Logger.getLogger(PeerBridges.class);

    /** Identity of one peer connection. */
    record Key(String host, String user, String privateChannel) {
    }

    private final WebSession session;
    private final PeerConnector connector;
    private final Map<Key, Peer> peers = new ConcurrentHashMap<>();
    /** channel id → its peer, for channels not on the primary bridge. */
    private final Map<String, Peer> routes = new ConcurrentHashMap<>();

    PeerBridges(WebSession session, PeerConnector connector) {
        this.session = session;
        this.connector = connector;
    }

    /** Whether this open belongs to a peer rather than the primary bridge. */
    static boolean isRemote(ControlMessage open) {
        String host = open.string("host").orElse("localhost");
        return !host.equals("localhost");
    }

    /** Routes an open (already registered in the session's channel table). */
    void open(ControlMessage open) {
        Key key = keyOf(open);
        Peer peer = peers.computeIfAbsent(key, k -> new Peer(k, open));
        routes.put(open.channel(), peer);
        peer.submit(open.channel(), () -> peer.bridge.send(open));
    }

    private Key keyOf(ControlMessage open) {
        String host = open.string("host").orElseThrow();
        String user = open.string("user").filter(u -> !u.isEmpty() && !u.equals(session.user())).orElse(null);
        if (user == null && host.contains("@")) {
            user = host.substring(0, host.lastIndexOf('@'));
        }
        String nonce = "private".equals(open.string("session").orElse(null)) ? open.channel() : null;
        return new Key(host, user, nonce);
    }

    /** The peer bridge of a channel, if the channel is remote. */
    Optional<Peer> route(String channel) {
        return Optional.ofNullable(routes.get(channel));
    }

    void forget(String channel) {
        routes.remove(channel);
    }

    /** {@code kill}: with a host, that host's peers end; otherwise every peer gets it. */
    void kill(ControlMessage kill) {
        Optional<String> host = kill.string("host");
        for (Peer p : List.copyOf(peers.values())) {
            if (host.isPresent()) {
                if (host.get().equals(p.key.host())) {
                    p.close("terminated");
                }
            } else if (p.bridge != null) {
                p.bridge.send(kill);
            }
        }
    }

    /** Local packages of the shared (non-private) peer for a host, when that peer was beibooted. */
    Optional<LocalPackages> localPackages(String host) {
        Peer p = peers.get(new Key(host, null, null));
        return p == null ? Optional.empty() : p.packages;
    }

    void closeAll() {
        for (Peer p : List.copyOf(peers.values())) {
            p.close("terminated");
        }
    }

    /** One peer bridge and the channels routed to it. */
    final class Peer implements BridgeConnection.Listener {
        private final Key key;
        private final List<Runnable> queued = new ArrayList<>();
        private final List<String> waiting = new ArrayList<>();
        private volatile BridgeConnection bridge;
        private volatile Optional<LocalPackages> packages = Optional.empty();
        private char[] password;
        private boolean failed;

        Peer(Key key, ControlMessage first) {
            this.key = key;
            String pw = first.string("password").orElse(null);
            this.password = pw == null ? null : pw.toCharArray();
            connect(first);
        }

        private void connect(ControlMessage first) {
            HostTarget target;
            try {
                target = HostTarget.parse(key.host());
                if (key.user() != null) {
                    target = target.withUser(key.user());
                } else if (target.user() == null) {
                    target = target.withUser(session.user());
                }
            } catch (IllegalArgumentException e) {
                fail(new PeerFailure("no-host", e.getMessage(), Map.of("error", "no-host")));
                return;
            }
            KnownHosts extra = first.string("host-key").map(k -> KnownHosts.parse(k + "\n")).orElse(KnownHosts.EMPTY);
            String initSuperuser = first.string("init-superuser").orElse("none");
            char[] pw = password == null ? null : password.clone();
            connector.connect(target, pw, extra, key.privateChannel() != null).whenComplete((started, err) -> {
                if (pw != null) {
                    Arrays.fill(pw, '\0');
                }
                if (err != null) {
                    Throwable e = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
                    fail(e instanceof PeerFailure pf ? pf : new PeerFailure("internal-error", e.getMessage(), null));
                    return;
                }
                ready(started, initSuperuser);
            });
        }

        private void ready(BridgeConnection.Started started, String initSuperuser) {
            BridgeConnection b = started.bridge();
            ControlMessage init = ControlMessage.of("init").with("version", 1).with("host", key.host());
            if (started.init().node().path("capabilities").path("explicit-superuser").asBoolean(false)) {
                if (initSuperuser.equals("none")) {
                    init.with("superuser", false);
                } else {
                    init.with("superuser", JsonNodeFactory.instance.objectNode().put("id", initSuperuser));
                }
            }
            b.send(init);
            if (started.beibootMode()) {
                packages = Optional.of(session.peerPackages(started.existingFiles()));
            }
            List<Runnable> run;
            synchronized (this) {
                if (session.isEnded()) {
                    b.close();
                    return;
                }
                bridge = b;
                run = new ArrayList<>(queued);
                queued.clear();
                waiting.clear();
            }
            b.attach(this);
            run.forEach(Runnable::run);
            LOG.infof("session %s: peer %s connected (%s)", session.id(), key.host(),
                    started.beibootMode() ? "beibooted" : "installed");
        }

        /** Runs now if connected, later if connecting; dropped if the peer failed. */
        synchronized void submit(String channel, Runnable action) {
            if (bridge != null) {
                action.run();
            } else if (!failed) {
                queued.add(action);
                if (channel != null && !waiting.contains(channel)) {
                    waiting.add(channel);
                }
            }
        }

        private void fail(PeerFailure f) {
            List<String> channels;
            synchronized (this) {
                failed = true;
                channels = new ArrayList<>(waiting);
                queued.clear();
                waiting.clear();
            }
            peers.remove(key, this);
            LOG.infof("session %s: peer %s failed: %s", session.id(), key.host(), f.problem());
            for (String ch : channels) {
                ControlMessage close = ControlMessage.of("close").with("channel", ch).with("problem", f.problem());
                f.fields().forEach((k, v) -> close.with(k, ControlMessage.MAPPER.valueToTree(v)));
                routes.remove(ch, this);
                session.closeFromPeer(ch, close);
            }
            wipe();
        }

        void close(String problem) {
            BridgeConnection b = bridge;
            if (b != null) {
                b.close();
            }
            onClosed(problem, null);
        }

        private void wipe() {
            if (password != null) {
                Arrays.fill(password, '\0');
                password = null;
            }
        }

        @Override
        public void onFrame(Frame frame) {
            if (frame.isControl()) {
                ControlMessage msg;
                try {
                    msg = ControlMessage.parse(frame.payload());
                } catch (ProtocolException e) {
                    close("protocol-error");
                    return;
                }
                if (msg.channel() == null) {
                    switch (msg.command()) {
                        case "authorize" -> answer(msg);
                        case "superuser-init-done" -> wipe();
                        default -> {
                        }
                    }
                    return;
                }
                if ("close".equals(msg.command())) {
                    routes.remove(msg.channel(), this);
                }
            }
            session.onFrame(frame);
        }

        private void answer(ControlMessage msg) {
            String response = "";
            if (msg.string("challenge").orElse("").startsWith("plain1:") && password != null) {
                response = new String(password);
                wipe();
            }
            ControlMessage reply = ControlMessage.of("authorize").with("response", response);
            msg.string("cookie").ifPresent(c -> reply.with("cookie", c));
            bridge.send(reply);
        }

        @Override
        public void onClosed(String problem, String message) {
            if (!peers.remove(key, this)) {
                return;
            }
            wipe();
            for (var e : List.copyOf(routes.entrySet())) {
                if (e.getValue() == this && routes.remove(e.getKey(), this)) {
                    session.closeFromPeer(e.getKey(),
                            ControlMessage.of("close").with("channel", e.getKey()).with("problem", Objects.requireNonNullElse(problem, "disconnected")));
                }
            }
        }

        boolean writable() {
            BridgeConnection b = bridge;
            return b == null || b.writable();
        }

        BridgeConnection bridge() {
            return bridge;
        }
    }
}
