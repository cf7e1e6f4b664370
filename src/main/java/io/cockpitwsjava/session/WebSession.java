package io.cockpitwsjava.session;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cockpitwsjava.bridge.BridgeConnection;
import io.cockpitwsjava.packages.LocalPackages;
import io.cockpitwsjava.protocol.ControlMessage;
import io.cockpitwsjava.protocol.LogText;
import io.cockpitwsjava.protocol.Problem;

/**
 * One login (one application cookie): its bridge, the channel table shared by all WebSockets of the login, and the
 * internal channels of HTTP requests. Each channel is carried by exactly one bridge (the primary, or a multi-host
 * peer); what a bridge sends for a channel it does not carry is dropped, so no bridge can write into another's
 * channels. The table holds at most {@code cockpit.limits.channels-per-session} channels.
 */
public final class WebSession implements BridgeConnection.Listener {
    private static final Logger LOG = Logger.getLogger(WebSession.class);

    /** The answer of {@link #register}. */
    public enum Registration {
        /** The channel is in the table now. */
        REGISTERED,
        /** The id is already open in this session. */
        DUPLICATE,
        /** The session has {@code cockpit.limits.channels-per-session} channels open. */
        TOO_MANY
    }

    private final String id;
    private final String application;
    private final String cookieName;
    private final String cookieValue;
    private final String csrfToken;
    private final String user;
    private final String hostSpec;
    private final String clientAddress;
    private final ObjectNode loginData;
    private final Map<String, String> osRelease;
    private final BridgeConnection bridge;
    private final Optional<LocalPackages> localPackages;
    private final Consumer<WebSession> onEnd;
    private final PeerBridges peers;
    private final java.util.function.Function<Map<String, Boolean>, LocalPackages> packageSelector;

    private final java.util.List<java.util.concurrent.Future<?>> timers = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final Map<String, ChannelOwner> channels = new ConcurrentHashMap<>();
    /** Registrations are checked against the limit one at a time; removals need no lock (they only make room). */
    private final Object registration = new Object();
    private final int maxChannels;
    private final AtomicBoolean limitLogged = new AtomicBoolean();
    /** Channels carried by the primary bridge (the others are routed to peers by {@link PeerBridges}). */
    private final Set<String> onPrimary = ConcurrentHashMap.newKeySet();
    private final Set<SessionSocket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger socketSeed = new AtomicInteger();
    private final AtomicLong internalChannel = new AtomicLong();
    private final AtomicInteger fullSockets = new AtomicInteger();
    /** Bytes of HTML documents this session's HTTP channels are collecting for rewriting. */
    private final AtomicLong documentBytes = new AtomicLong();
    /** Bytes handed to this session's HTTP responses and not yet written to their clients. */
    private final AtomicLong unsentResponseBytes = new AtomicLong();
    /** Whether the unsent response bytes hold the bridge's output ({@link #socketFull}). */
    private final AtomicBoolean responsesHold = new AtomicBoolean();
    /** One-shot callbacks for the next time the bridge can take more input. */
    private final Set<Runnable> writableWaiters = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile long idleSince = System.nanoTime();
    private volatile io.cockpitwsjava.audit.SessionAudit audit = io.cockpitwsjava.audit.SessionAudit.NONE;

    WebSession(String id, String application, String cookieName, String cookieValue, String csrfToken, String user,
            String hostSpec, String clientAddress, ObjectNode loginData, ControlMessage bridgeInit, BridgeConnection bridge,
            Optional<LocalPackages> localPackages, Consumer<WebSession> onEnd, PeerConnector peerConnector,
            java.util.function.Function<Map<String, Boolean>, LocalPackages> packageSelector, int maxChannels) {
        if (maxChannels < 1) {
            throw new IllegalArgumentException("cockpit.limits.channels-per-session must be positive");
        }
        this.maxChannels = maxChannels;
        this.id = id;
        this.application = application;
        this.cookieName = cookieName;
        this.cookieValue = cookieValue;
        this.csrfToken = csrfToken;
        this.user = user;
        this.hostSpec = hostSpec;
        this.clientAddress = clientAddress;
        this.loginData = loginData;
        this.osRelease = osReleaseOf(bridgeInit);
        this.bridge = bridge;
        this.localPackages = localPackages;
        this.onEnd = onEnd;
        this.peers = peerConnector == null ? null : new PeerBridges(this, peerConnector);
        this.packageSelector = packageSelector;
    }

    public String id() {
        return id;
    }

    public String application() {
        return application;
    }

    public String cookieName() {
        return cookieName;
    }

    public String cookieValue() {
        return cookieValue;
    }

    public String csrfToken() {
        return csrfToken;
    }

    public String user() {
        return user;
    }

    /** The "Connect to" string of a host application, or the configured default host. */
    public String hostSpec() {
        return hostSpec;
    }

    /** The address of the client that logged in (its multi-host peers are counted under it). */
    public String clientAddress() {
        return clientAddress;
    }

    /** {@code login-data} for the login JSON; may be null. */
    public ObjectNode loginData() {
        return loginData;
    }

    /** The target's os-release from the bridge's init (branding). */
    public Map<String, String> osRelease() {
        return osRelease;
    }

    /** The os-release fields cockpit-ws keeps from a bridge's init (string values only). */
    private static Map<String, String> osReleaseOf(ControlMessage init) {
        var node = init.node().get("os-release");
        Map<String, Object> all = new java.util.LinkedHashMap<>();
        if (node != null && node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getValue().isTextual()) {
                    all.put(e.getKey(), e.getValue().asText());
                }
            });
        }
        return io.cockpitwsjava.packages.OsRelease.fromInit(all);
    }

    /** Package files come from the gateway itself (beibooted bridge) when present. */
    public Optional<LocalPackages> localPackages() {
        return localPackages;
    }

    /** Local packages for a host: the primary's for {@code localhost}, a beibooted peer's for another host. */
    public Optional<LocalPackages> localPackages(String host) {
        if (host.equals("localhost")) {
            return localPackages;
        }
        return peers == null ? Optional.empty() : peers.localPackages(host);
    }

    LocalPackages peerPackages(Map<String, Boolean> existing) {
        return packageSelector.apply(existing);
    }

    /** Where this session's superuser result, terminals, processes and end are audited (set at login). */
    void audit(io.cockpitwsjava.audit.SessionAudit audit) {
        this.audit = audit;
    }

    // ------------------------------------------------------------------ gateway -> bridges

    /** Sends an {@code open} (channel already registered) to the bridge its {@code host} names. */
    public void open(ControlMessage open) {
        audit.channelOpened(open);
        if (peers != null && PeerBridges.isRemote(open)) {
            peers.open(open);
        } else {
            // before the open goes out, so that the answer finds the channel carried by the primary
            onPrimary.add(open.channel());
            bridge.send(open);
        }
    }

    /** Channel data towards whichever bridge carries the channel. */
    public void send(String channel, byte[] payload) {
        send(channel, payload, 0, payload.length);
    }

    /**
     * Channel data {@code data[offset, offset+length)} towards whichever bridge carries the channel; the array must
     * not change afterwards (a peer that is still connecting sends it later).
     */
    public void send(String channel, byte[] data, int offset, int length) {
        var peer = peers == null ? Optional.<PeerBridges.Peer>empty() : peers.route(channel);
        if (peer.isPresent()) {
            PeerBridges.Peer p = peer.get();
            p.submit(null, () -> p.bridge().send(channel, data, offset, length));
        } else {
            bridge.send(channel, data, offset, length);
        }
    }

    /** A control message with a channel towards the channel's bridge; {@code close} also ends the route. */
    public void sendControl(ControlMessage msg) {
        String channel = msg.channel();
        var peer = peers == null || channel == null ? Optional.<PeerBridges.Peer>empty() : peers.route(channel);
        if (peer.isPresent()) {
            PeerBridges.Peer p = peer.get();
            p.submit(null, () -> p.bridge().send(msg));
            if ("close".equals(msg.command())) {
                peers.forget(channel);
            }
        } else {
            bridge.send(msg);
        }
    }

    /** {@code kill} goes to the primary bridge and to (or ends) the peers. */
    public void kill(ControlMessage kill) {
        bridge.send(kill);
        if (peers != null) {
            peers.kill(kill);
        }
    }

    /** Whether every bridge (the primary and each multi-host peer) can take more input. */
    public boolean writable() {
        return bridge.writable() && (peers == null || peers.writable());
    }

    /** A peer failed or ended: the channel's owner gets the close. */
    void closeFromPeer(String channel, ControlMessage close) {
        ChannelOwner owner = channels.remove(channel);
        if (owner != null) {
            owner.control(channel, close);
        }
    }

    public BridgeConnection bridge() {
        return bridge;
    }

    public boolean isEnded() {
        return ended.get();
    }

    /** Next {@code channel-seed} for a new WebSocket: {@code "1:"}, {@code "2:"}, ... */
    int nextSeed() {
        return socketSeed.incrementAndGet();
    }

    /** Channel ids the gateway allocates for itself; a browser may not open one (its seeds start at 1). */
    public static final String INTERNAL_PREFIX = "0:";

    /** Allocates a gateway-side channel id ({@code 0:<n>}); browser seeds never start with 0. */
    public String newInternalChannel() {
        return INTERNAL_PREFIX + internalChannel.getAndIncrement();
    }

    // ------------------------------------------------------------------ channel table

    /**
     * Registers an open channel, unless its id is in use in this session or the session already has its limit of
     * channels open (browser and internal ones alike).
     */
    public Registration register(String channel, ChannelOwner owner) {
        synchronized (registration) {
            if (channels.containsKey(channel)) {
                return Registration.DUPLICATE;
            }
            if (channels.size() >= maxChannels) {
                if (limitLogged.compareAndSet(false, true)) {
                    LOG.infof("session %s: %d channels open, refusing more (cockpit.limits.channels-per-session)",
                            id, maxChannels);
                }
                return Registration.TOO_MANY;
            }
            channels.put(channel, owner);
            return Registration.REGISTERED;
        }
    }

    /** The most channels this session may have open at once. */
    public int maxChannels() {
        return maxChannels;
    }

    public void unregister(String channel, ChannelOwner owner) {
        if (channels.remove(channel, owner)) {
            onPrimary.remove(channel);
        }
    }

    /** Channels open in this session (browser and gateway-owned), for tests and diagnostics. */
    public int channelCount() {
        return channels.size();
    }

    // ------------------------------------------------------------------ sockets

    void addSocket(SessionSocket socket) {
        sockets.add(socket);
    }

    /** A socket closed: the session becomes idle if it was the last one. */
    void removeSocket(SessionSocket socket) {
        sockets.remove(socket);
        if (sockets.isEmpty()) {
            idleSince = System.nanoTime();
        }
    }

    boolean idleLongerThan(long nanos) {
        return sockets.isEmpty() && System.nanoTime() - idleSince > nanos;
    }

    /**
     * A consumer of the bridge's output has too much queued ({@code true}) or drained again ({@code false}): a
     * socket's write queue, or the session's HTTP responses ({@link #responseBytesQueued}). The bridge is not read
     * while any is full. Every {@code true} must be matched by one {@code false}, also when the socket closes.
     */
    public void socketFull(boolean full) {
        // count and pause decision in one step: a MINA thread (full) and the event loop (drained) racing between
        // the count and setReadPaused could leave the bridge paused with no full socket left
        synchronized (fullSockets) {
            int n = full ? fullSockets.incrementAndGet() : fullSockets.decrementAndGet();
            bridge.setReadPaused(n > 0);
            if (peers != null) {
                peers.setReadPaused(n > 0);
            }
        }
    }

    // ------------------------------------------------------------------ what HTTP channels buffer

    /** Above this many unsent response bytes in the session the bridge's output is held. */
    public static final long RESPONSE_HIGH_WATER = 4L * 1024 * 1024;
    /** Below this many it is released again. */
    public static final long RESPONSE_LOW_WATER = 1024L * 1024;

    /**
     * Takes {@code n} more bytes for HTML documents being collected in this session, if all of them together stay
     * within {@code limit} ({@code cockpit.limits.document-bytes}); many documents at once share it.
     */
    public boolean reserveDocumentBytes(int n, int limit) {
        if (documentBytes.addAndGet(n) > limit) {
            documentBytes.addAndGet(-n);
            return false;
        }
        return true;
    }

    /** A collected document was sent or dropped. */
    public void releaseDocumentBytes(long n) {
        documentBytes.addAndGet(-n);
    }

    /**
     * Response body bytes were handed to an HTTP response. Above {@link #RESPONSE_HIGH_WATER} unsent ones (all the
     * session's responses together: an honest bridge stays within its 2 MiB flow-control window per response) the
     * bridge's output is held until they fall below {@link #RESPONSE_LOW_WATER}.
     */
    public void responseBytesQueued(long n) {
        if (unsentResponseBytes.addAndGet(n) > RESPONSE_HIGH_WATER && responsesHold.compareAndSet(false, true)) {
            LOG.debugf("session %s: %d response bytes unsent, holding the bridge", id, unsentResponseBytes.get());
            socketFull(true);
            // the clients may have caught up between the check and the hold: nobody else would release it then
            if (unsentResponseBytes.get() <= RESPONSE_LOW_WATER) {
                releaseResponseHold();
            }
        }
    }

    /** Response bytes were written to their client, or dropped with its connection. */
    public void responseBytesSent(long n) {
        if (unsentResponseBytes.addAndGet(-n) <= RESPONSE_LOW_WATER) {
            releaseResponseHold();
        }
    }

    private void releaseResponseHold() {
        if (responsesHold.compareAndSet(true, false)) {
            socketFull(false);
        }
    }

    /** A timer that refers to this session; cancelled when the session ends so it does not keep it reachable. */
    void onEnd(java.util.concurrent.Future<?> timer) {
        timers.add(timer);
        if (ended.get()) {
            timer.cancel(false);
        }
    }

    // ------------------------------------------------------------------ bridge -> gateway

    /** Data from the primary bridge: only for channels it carries. */
    @Override
    public void onData(String channel, byte[] payload) {
        if (onPrimary.contains(channel)) {
            deliverData(channel, payload);
        }
    }

    /** A control message from the primary bridge: only for channels it carries. */
    @Override
    public void onControl(ControlMessage msg) {
        String channel = msg.channel();
        if (channel == null) {
            LOG.debugf("session %s: ignoring bridge command %s", id, LogText.quoted(msg.command()));
            return;
        }
        if (!onPrimary.contains(channel)) {
            LOG.debugf("session %s: dropping %s for channel %s, which the primary bridge does not carry", id,
                    LogText.quoted(msg.command()), LogText.quoted(channel));
            return;
        }
        if ("close".equals(msg.command())) {
            onPrimary.remove(channel);
        }
        deliverControl(msg);
    }

    /** Channel data to the channel's owner; the caller checked that the sender carries the channel. */
    void deliverData(String channel, byte[] payload) {
        ChannelOwner owner = channels.get(channel);
        if (owner != null) {
            owner.data(channel, payload);
        }
    }

    /** A channel's control message to its owner ({@code close} ends it); the caller checked the sender. */
    void deliverControl(ControlMessage msg) {
        String channel = msg.channel();
        ChannelOwner owner = "close".equals(msg.command()) ? channels.remove(channel) : channels.get(channel);
        if (owner != null) {
            owner.control(channel, msg);
        }
    }

    @Override
    public void onClosed(Problem problem, String message) {
        LOG.infof("session %s: bridge ended (%s)", id, problem);
        finish(problem);
    }

    @Override
    public void onWritable() {
        for (SessionSocket s : sockets) {
            s.resumeInput();
        }
        for (Runnable r : writableWaiters) {
            if (writableWaiters.remove(r)) {
                r.run();
            }
        }
    }

    /**
     * Runs {@code whenWritable} once the bridges can take more input: at once if they can now, else on the next
     * {@link #onWritable()} of any of them (or never, if the session ends first); the caller checks again then.
     */
    public void whenWritable(Runnable whenWritable) {
        writableWaiters.add(whenWritable);
        // the queue may have drained between the caller's check and the add: nobody else would run it then
        if ((writable() || ended.get()) && writableWaiters.remove(whenWritable)) {
            whenWritable.run();
        }
    }

    // ------------------------------------------------------------------ end

    /** Destroys the session: closes its sockets with the problem, ends internal channels, stops the bridge. */
    public void end(Problem problem) {
        bridge.close();
        finish(problem);
    }

    private void finish(Problem problem) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        bridge.wipeCredential();
        timers.forEach(t -> t.cancel(false));
        timers.clear();
        writableWaiters.clear();
        if (peers != null) {
            peers.closeAll();
        }
        for (var e : channels.entrySet()) {
            e.getValue().bridgeClosed(e.getKey(), problem);
        }
        channels.clear();
        onPrimary.clear();
        // the session's place (registry, admission) is given back before its sockets learn of the end: a client
        // that saw its socket close may log in again at once
        onEnd.accept(this);
        for (SessionSocket s : sockets) {
            s.closeForSession(problem);
        }
        sockets.clear();
    }
}
