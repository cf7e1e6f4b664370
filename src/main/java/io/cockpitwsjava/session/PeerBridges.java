package io.cockpitwsjava.session;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import io.cockpitwsjava.bridge.BridgeConnection;
import io.cockpitwsjava.bridge.BridgeLauncher;
import io.cockpitwsjava.packages.LocalPackages;
import io.cockpitwsjava.protocol.ControlMessage;
import io.cockpitwsjava.protocol.HostKeyChallenge;
import io.cockpitwsjava.protocol.HostTarget;
import io.cockpitwsjava.protocol.LogText;
import io.cockpitwsjava.protocol.Problem;
import io.cockpitwsjava.protocol.ProblemException;

/**
 * Multi-host routing done by the gateway (docs/protocol.md §6.10, "MAY"): channels whose {@code host} is not
 * {@code localhost} go to a bridge on that host over the gateway's own SSH connection, keyed like Cockpit's
 * {@code remote.py}: (host, user, channel id for {@code "session":"private"}). Opens that arrive while the peer
 * is connecting wait in a queue; a failure closes them with the problem and the host-key fields.
 *
 * <p>A peer's frames reach only the channels routed to that peer. A session has at most
 * {@link PeerConnector#peersPerSession()} peers at once (more are refused with {@code access-denied}); a private
 * peer ends with its channel, since no other channel can reach it.
 */
final class PeerBridges {
    private static final Logger LOG = Logger.getLogger(PeerBridges.class);

    /** Identity of one peer connection. */
    record Key(String host, String user, String privateChannel) {
    }

    private final WebSession session;
    private final PeerConnector connector;
    private final Map<Key, Peer> peers = new ConcurrentHashMap<>();
    /** Whether the session's browser sockets are full (guarded by this). */
    private boolean readPaused;
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
        String channel = open.channel();
        Key key = keyOf(open);
        Peer peer;
        boolean fresh = false;
        int limit = connector.peersPerSession();
        synchronized (this) {
            peer = peers.get(key);
            if (peer == null && (limit <= 0 || peers.size() < limit)) {
                peer = new Peer(key);
                peers.put(key, peer);
                fresh = true;
            }
            if (peer != null) {
                routes.put(channel, peer);
            }
        }
        if (peer == null) {
            LOG.infof("session %s: refusing a connection to %s: already %d hosts in this session", session.id(),
                    LogText.quoted(key.host()), limit);
            session.closeFromPeer(channel, ControlMessage.of("close").with("channel", channel)
                    .with("problem", Problem.ACCESS_DENIED.wireName())
                    .with("message", "too many hosts in this session"));
            return;
        }
        Peer p = peer;
        // queued (and the channel noted as waiting) before connecting, so that even a failure right away closes it
        p.submit(channel, () -> p.bridge.send(open));
        if (fresh) {
            p.connect(open);
        }
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

    /** The browser closed a peer channel: its route ends, and a private peer with it. */
    void forget(String channel) {
        Peer p = routes.remove(channel);
        if (p != null && channel.equals(p.key.privateChannel())) {
            p.close(Problem.TERMINATED);
        }
    }

    /** {@code kill}: with a host, that host's peers end; otherwise every peer gets it. */
    void kill(ControlMessage kill) {
        Optional<String> host = kill.string("host");
        for (Peer p : List.copyOf(peers.values())) {
            if (host.isPresent()) {
                if (host.get().equals(p.key.host())) {
                    p.close(Problem.TERMINATED);
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

    /** Whether every connected peer can take more input. */
    boolean writable() {
        for (Peer p : peers.values()) {
            if (!p.writable()) {
                return false;
            }
        }
        return true;
    }

    /** Browser back-pressure: stops or resumes reading every peer, and peers that connect later start so. */
    synchronized void setReadPaused(boolean paused) {
        readPaused = paused;
        for (Peer p : peers.values()) {
            BridgeConnection b = p.bridge;
            if (b != null) {
                b.setReadPaused(paused);
            }
        }
    }

    void closeAll() {
        for (Peer p : List.copyOf(peers.values())) {
            p.close(Problem.TERMINATED);
        }
    }

    /** One peer bridge and the channels routed to it. */
    final class Peer implements BridgeConnection.Listener {
        private final Key key;
        private final List<Runnable> queued = new ArrayList<>();
        private final List<String> waiting = new ArrayList<>();
        private volatile BridgeConnection bridge;
        private volatile Optional<LocalPackages> packages = Optional.empty();
        private boolean failed;
        private volatile boolean closed;

        Peer(Key key) {
            this.key = key;
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
                fail(new ProblemException(Problem.NO_HOST, e.getMessage(), Map.of("error", "no-host"), null, null));
                return;
            }
            HostTarget peerTarget = target;
            boolean privateSession = key.privateChannel() != null;
            char[] password = first.string("password").map(String::toCharArray).orElse(null);
            // strict host keys (the open's host-key option is trusted too), no prompts
            BridgeLauncher.Launch launch = new BridgeLauncher.Launch(target, target.user(), password,
                    first.string("host-key").map(k -> k + "\n").orElse(null), null, true, null, key.host(),
                    first.string("init-superuser").orElse("none"), password != null,
                    "peer " + LogText.quoted(target.display()));
            connector.connect(session.clientAddress(), launch).whenComplete((launched, err) -> {
                if (password != null) {
                    Arrays.fill(password, '\0');
                }
                if (err != null) {
                    fail(peerFailure(peerTarget, ProblemException.of(err), privateSession));
                    return;
                }
                ready(launched.started());
            });
        }

        private void ready(BridgeConnection.Started started) {
            BridgeConnection b = started.bridge();
            if (started.beibootMode()) {
                packages = Optional.of(session.peerPackages(started.existingFiles()));
            }
            List<Runnable> run;
            synchronized (this) {
                if (session.isEnded() || closed) {
                    b.close();
                    return;
                }
                bridge = b;
                run = new ArrayList<>(queued);
                queued.clear();
                waiting.clear();
            }
            synchronized (PeerBridges.this) {
                b.setReadPaused(readPaused);
            }
            b.attach(this);
            run.forEach(Runnable::run);
            LOG.infof("session %s: peer %s connected (%s)", session.id(), LogText.quoted(key.host()),
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

        private void fail(ProblemException f) {
            List<String> channels;
            synchronized (this) {
                failed = true;
                channels = new ArrayList<>(waiting);
                queued.clear();
                waiting.clear();
            }
            peers.remove(key, this);
            LOG.infof("session %s: peer %s failed: %s", session.id(), LogText.quoted(key.host()), f.problem());
            for (String ch : channels) {
                ControlMessage close = ControlMessage.of("close").with("channel", ch)
                        .with("problem", f.problem().wireName());
                f.fields().forEach((k, v) -> close.with(k, ControlMessage.MAPPER.valueToTree(v)));
                routes.remove(ch, this);
                session.closeFromPeer(ch, close);
            }
        }

        void close(Problem problem) {
            closed = true;
            BridgeConnection b = bridge;
            if (b != null) {
                b.close();
            }
            closed(problem.wireName());
        }

        /** Data from this peer: only for channels routed to it. */
        @Override
        public void onData(String channel, byte[] payload) {
            if (routes.get(channel) == this) {
                session.deliverData(channel, payload);
            }
        }

        /** A control message from this peer: only for channels routed to it; a private peer ends with its channel. */
        @Override
        public void onControl(ControlMessage msg) {
            String channel = msg.channel();
            if (channel == null || routes.get(channel) != this) {
                return;
            }
            if ("close".equals(msg.command())) {
                routes.remove(channel, this);
                session.deliverControl(msg);
                if (channel.equals(key.privateChannel())) {
                    close(Problem.TERMINATED);
                }
                return;
            }
            session.deliverControl(msg);
        }

        @Override
        public void onClosed(Problem problem, String message) {
            closed(problem == null ? Problem.DISCONNECTED.wireName() : problem.wireName());
        }

        private void closed(String problem) {
            if (!peers.remove(key, this)) {
                return;
            }
            for (var e : List.copyOf(routes.entrySet())) {
                if (e.getValue() == this && routes.remove(e.getKey(), this)) {
                    session.closeFromPeer(e.getKey(),
                            ControlMessage.of("close").with("channel", e.getKey()).with("problem", problem));
                }
            }
        }

        boolean writable() {
            BridgeConnection b = bridge;
            return b == null || b.writable();
        }

        /** This peer's queue drained: the session's sockets may read from the browsers again. */
        @Override
        public void onWritable() {
            session.onWritable();
        }

        BridgeConnection bridge() {
            return bridge;
        }
    }

    /**
     * A failed peer as the shell's add-host dialog reads it, like Cockpit's {@code remote.py}: {@code host-key} and
     * {@code host-fingerprint} for host-key problems, {@code auth-method-results}, and {@code error}.
     */
    static ProblemException peerFailure(HostTarget target, ProblemException e, boolean privateSession) {
        Map<String, Object> fields = new java.util.LinkedHashMap<>();
        Problem problem = e.problem();
        Optional<HostKeyChallenge> challenge = e.hostKeyChallenge();
        if (challenge.isPresent()) {
            fields.put("host-key", challenge.get().knownHostsLine());
            fields.put("host-fingerprint", challenge.get().fingerprint());
            if (problem == Problem.UNKNOWN_HOSTKEY && !privateSession) {
                problem = Problem.UNKNOWN_HOST;
            }
        }
        switch (problem) {
            case UNKNOWN_HOSTKEY, INVALID_HOSTKEY, UNKNOWN_HOST -> fields.put("auth-method-results", Map.of());
            case AUTHENTICATION_FAILED -> fields.put("auth-method-results",
                    e.fields().getOrDefault("auth-method-results", Map.of()));
            default -> {
            }
        }
        if (problem == Problem.UNKNOWN_HOST && challenge.isEmpty()) {
            return new ProblemException(Problem.NO_HOST, "cannot reach " + target.display(), Map.of("error", "no-host"),
                    null, null);
        }
        fields.put("error", problem.wireName());
        return new ProblemException(problem, e.getMessage(), fields, null, null);
    }
}
