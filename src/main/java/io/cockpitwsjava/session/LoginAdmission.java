package io.cockpitwsjava.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

import org.jboss.logging.Logger;

import io.cockpitwsjava.config.GatewayConfig;
import io.cockpitwsjava.config.MaxStartups;
import io.cockpitwsjava.protocol.LogText;
import io.netty.util.NetUtil;

/**
 * Who may start a login, wait at a prompt, or keep a session (docs/SECURITY.md, "Login admission"). Every decision
 * checks and reserves in one step under one lock, so concurrent requests cannot overshoot a limit.
 *
 * <p>A login holds one of three places in turn, through its {@link Ticket}: <em>working</em> (connecting,
 * authenticating, booting: our work, counted by MaxStartups and {@code logins-per-client}), <em>prompt</em> (waiting
 * for the user's answer: {@code pending-prompts}, {@code pending-prompts-per-client}, not MaxStartups), and
 * <em>session</em> (logged in: {@code sessions}, {@code sessions-per-client}). Failed logins are counted per client
 * and per target user in bounded {@link FailureCounts}. Multi-host peers take a working place too; they wait for one
 * instead of being refused.
 *
 * <p>A client is an IPv4 address, or an IPv6 /64 network (one host usually owns a whole /64, so counting single
 * IPv6 addresses would give it 2^64 budgets). A limit of 0 or less is off.
 */
final class LoginAdmission {
    private static final Logger LOG = Logger.getLogger(LoginAdmission.class);
    /** Keys each failure table remembers at most (about 180 bytes each, measured: docs/SECURITY.md). */
    static final int FAILURE_KEYS = 10_000;

    /**
     * Why a request is refused: the limit (a metric label), and the HTTP status and reason phrase login.js shows
     * (docs/protocol.md §5.8: any status but 401/403 with a reason phrase is a full-page message with that text).
     */
    record Refusal(String limit, int status, String reason) {
        /** MaxStartups, as cockpit-ws answers it. */
        static final Refusal BUSY = new Refusal("max-startups", 500, "Connection closed by host");
        static final Refusal LOGINS_PER_CLIENT =
                new Refusal("logins-per-client", 429, "Too many logins in progress from this address");
        static final Refusal PROMPTS_PER_CLIENT = new Refusal("pending-prompts-per-client", 429,
                "Too many logins waiting for an answer from this address");
        static final Refusal PROMPTS = new Refusal("pending-prompts", 503, "Too many logins waiting for an answer");
        static final Refusal SESSIONS_PER_CLIENT =
                new Refusal("sessions-per-client", 429, "Too many sessions from this address");
        static final Refusal SESSIONS = new Refusal("sessions", 503, "Too many sessions on this server");
        /** The same answer for a blocked client and a blocked user: it does not say which user is attacked. */
        static final Refusal FAILURES = new Refusal("failures", 429, "Too many failed logins. Try again later.");
        /** A transition of a login that has already ended (a timeout raced it); never shown to anyone. */
        static final Refusal ENDED = new Refusal("ended", 500, "Authentication failed: Timeout");

        /** Every limit name, for the metric's fixed label set. */
        static final List<String> LIMITS = List.of(BUSY.limit, LOGINS_PER_CLIENT.limit, PROMPTS_PER_CLIENT.limit,
                PROMPTS.limit, SESSIONS_PER_CLIENT.limit, SESSIONS.limit, FAILURES.limit);
    }

    /** What one client holds now; dropped when it holds nothing. */
    private static final class Usage {
        int working;
        int prompts;
        int sessions;

        boolean idle() {
            return working == 0 && prompts == 0 && sessions == 0;
        }
    }

    private enum Place {
        NONE, WORKING, PROMPT, SESSION, DONE
    }

    private final MaxStartups maxStartups;
    private final GatewayConfig.Limits limits;
    private final RandomGenerator random;
    private final LongSupplier nanoClock;
    private final FailureCounts clientFailures;
    private final FailureCounts userFailures;
    private final Map<String, Usage> clients = new HashMap<>();
    private final ArrayDeque<PeerWait> peerQueue = new ArrayDeque<>();
    private int working;
    private int prompts;
    private int sessions;

    LoginAdmission(MaxStartups maxStartups, GatewayConfig.Limits limits, RandomGenerator random,
            LongSupplier nanoClock) {
        this.maxStartups = maxStartups;
        this.limits = limits;
        this.random = random;
        this.nanoClock = nanoClock;
        long window = limits.failureWindow().toNanos();
        this.clientFailures = new FailureCounts(limits.failuresPerClient(), window, FAILURE_KEYS);
        this.userFailures = new FailureCounts(limits.failuresPerUser(), window, FAILURE_KEYS);
    }

    /**
     * The key a client is counted under: the IPv4 address, the /64 of an IPv6 address, or (not an IP address, e.g.
     * a Unix socket peer) the text itself, shortened.
     */
    static String clientKey(String address) {
        byte[] b = address == null ? null : NetUtil.createByteArrayFromIpAddressString(address);
        if (b == null) {
            String a = String.valueOf(address);
            return a.length() > 64 ? a.substring(0, 64) : a;
        }
        if (b.length == 16 && isIpv4Mapped(b)) {
            return (b[12] & 0xff) + "." + (b[13] & 0xff) + "." + (b[14] & 0xff) + "." + (b[15] & 0xff);
        }
        if (b.length == 4) {
            return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i += 2) {
            s.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff))).append(':');
        }
        return s.append(":/64").toString();
    }

    private static boolean isIpv4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    }

    /**
     * A fixed-size key for a target user ({@code user@host:port}; user names are client-chosen and unbounded). Host
     * names are case-insensitive; other aliases of one host (its addresses, other names) count separately.
     */
    static String userKey(String user, String host) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest((user + "\0" + host.toLowerCase(java.util.Locale.ROOT)).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** A login's ticket; it holds nothing until {@link Ticket#start()}. */
    Ticket ticket(String clientAddress, String user, String host) {
        return new Ticket(clientKey(clientAddress), user, host);
    }

    /** A multi-host peer's ticket, counted under its session's client; it holds nothing until admitted. */
    Ticket peerTicket(String clientAddress) {
        return new Ticket(clientKey(clientAddress), null, null);
    }

    // ------------------------------------------------------------------ counts (tests, metrics)

    synchronized int working() {
        return working;
    }

    synchronized int prompts() {
        return prompts;
    }

    synchronized int sessions() {
        return sessions;
    }

    /** Clients holding anything, and remembered failure keys: what the admission keeps in memory. */
    synchronized int rememberedKeys() {
        return clients.size() + clientFailures.size() + userFailures.size();
    }

    // ------------------------------------------------------------------ internals (all under the lock)

    private Usage usage(String client) {
        return clients.computeIfAbsent(client, c -> new Usage());
    }

    private void forgetIfIdle(String client, Usage u) {
        if (u.idle()) {
            clients.remove(client, u);
        }
    }

    private static boolean over(int count, int limit) {
        return limit > 0 && count >= limit;
    }

    /** Whether a login may take a working place now (MaxStartups may drop it at random, like cockpit-ws). */
    private Optional<Refusal> mayWork(Usage u) {
        if (over(u.working, limits.loginsPerClient())) {
            return Optional.of(Refusal.LOGINS_PER_CLIENT);
        }
        if (!maxStartups.admits(working, random)) {
            return Optional.of(Refusal.BUSY);
        }
        return Optional.empty();
    }

    /** Whether a waiting peer may take a working place: peers yield to logins once MaxStartups starts dropping. */
    private boolean peerMayWork(Usage u) {
        if (over(u.working, limits.loginsPerClient())) {
            return false;
        }
        return maxStartups.full() == 0 || working < Math.max(1, maxStartups.start());
    }

    /** Hands free working places to waiting peers, in order; returns the waits to complete outside the lock. */
    private List<PeerWait> admitWaitingPeers() {
        List<PeerWait> ready = new ArrayList<>();
        for (var it = peerQueue.iterator(); it.hasNext();) {
            PeerWait w = it.next();
            if (w.future.isDone()) {
                it.remove(); // timed out or cancelled
                continue;
            }
            Usage u = usage(w.ticket.client);
            if (peerMayWork(u)) {
                it.remove();
                w.ticket.take(u, Place.WORKING);
                ready.add(w);
            } else {
                forgetIfIdle(w.ticket.client, u);
            }
        }
        return ready;
    }

    private static void complete(List<PeerWait> ready) {
        for (PeerWait w : ready) {
            if (!w.future.complete(w.ticket)) {
                w.ticket.release(); // timed out meanwhile: give the place back
            }
        }
    }

    private record PeerWait(Ticket ticket, CompletableFuture<Ticket> future) {
    }

    /**
     * The place one login (or peer) holds. Every transition checks the limits of the new place and moves in one
     * step; a refused transition leaves the ticket where it was (the caller ends the login, which releases it).
     */
    final class Ticket {
        private final String client;
        private final String user;
        private final String host;
        private Place place = Place.NONE;

        private Ticket(String client, String user, String host) {
            this.client = client;
            this.user = user;
            this.host = host;
        }

        /** Takes a working place for a new login, unless the client, the user or the gateway is over a limit. */
        Optional<Refusal> start() {
            long now = nanoClock.getAsLong();
            synchronized (LoginAdmission.this) {
                if (place != Place.NONE) {
                    throw new IllegalStateException("ticket already used");
                }
                if (clientFailures.blocked(client, now)
                        || user != null && userFailures.blocked(userKey(user, host), now)) {
                    return Optional.of(Refusal.FAILURES);
                }
                Usage u = usage(client);
                Optional<Refusal> refusal = sessionRefusal(u).or(() -> mayWork(u));
                if (refusal.isPresent()) {
                    forgetIfIdle(client, u);
                    return refusal;
                }
                take(u, Place.WORKING);
                return Optional.empty();
            }
        }

        /** A peer's working place: now if free, else when one frees up (first come, first served). */
        CompletableFuture<Ticket> startWhenFree() {
            CompletableFuture<Ticket> f = new CompletableFuture<>();
            synchronized (LoginAdmission.this) {
                if (place != Place.NONE) {
                    throw new IllegalStateException("ticket already used");
                }
                Usage u = usage(client);
                if (peerQueue.isEmpty() && peerMayWork(u)) {
                    take(u, Place.WORKING);
                    f.complete(this);
                    return f;
                }
                peerQueue.add(new PeerWait(this, f));
            }
            return f;
        }

        /** The login now waits for the user: from working to a prompt place. */
        Optional<Refusal> park() {
            List<PeerWait> ready;
            synchronized (LoginAdmission.this) {
                if (!at(Place.WORKING)) {
                    return Optional.of(Refusal.ENDED);
                }
                Usage u = usage(client);
                if (over(u.prompts, limits.pendingPromptsPerClient())) {
                    return Optional.of(Refusal.PROMPTS_PER_CLIENT);
                }
                if (over(prompts, limits.pendingPrompts())) {
                    return Optional.of(Refusal.PROMPTS);
                }
                take(u, Place.PROMPT);
                ready = admitWaitingPeers();
            }
            complete(ready);
            return Optional.empty();
        }

        /** The user answered: back to a working place, under the same limits as a new login. */
        Optional<Refusal> resume() {
            synchronized (LoginAdmission.this) {
                if (!at(Place.PROMPT)) {
                    return Optional.of(Refusal.ENDED);
                }
                Usage u = usage(client);
                Optional<Refusal> refusal = mayWork(u);
                if (refusal.isPresent()) {
                    return refusal;
                }
                take(u, Place.WORKING);
                return Optional.empty();
            }
        }

        /** The login succeeded: from working to a session place, if the client and the gateway have room. */
        Optional<Refusal> establish() {
            List<PeerWait> ready;
            synchronized (LoginAdmission.this) {
                if (!at(Place.WORKING)) {
                    return Optional.of(Refusal.ENDED);
                }
                Usage u = usage(client);
                Optional<Refusal> refusal = sessionRefusal(u);
                if (refusal.isPresent()) {
                    return refusal;
                }
                take(u, Place.SESSION);
                ready = admitWaitingPeers();
            }
            complete(ready);
            return Optional.empty();
        }

        /**
         * Counts a failed login against the client and, if {@code forUser}, against the target user. Logs once
         * when a key reaches its limit.
         */
        void failed(boolean forUser) {
            long now = nanoClock.getAsLong();
            boolean clientBlocked;
            boolean userBlocked = false;
            synchronized (LoginAdmission.this) {
                clientBlocked = clientFailures.record(client, now);
                if (forUser && user != null) {
                    userBlocked = userFailures.record(userKey(user, host), now);
                }
            }
            Duration window = limits.failureWindow();
            if (clientBlocked) {
                LOG.infof("client %s: %d failed logins within %s, refusing its logins for the rest of the window",
                        client, limits.failuresPerClient(), window);
            }
            if (userBlocked) {
                LOG.infof("user %s at %s: %d failed logins within %s (the last from %s), refusing logins as this "
                        + "user for the rest of the window", LogText.quoted(user), LogText.quoted(host),
                        limits.failuresPerUser(), window, client);
            }
        }

        /** Gives back whatever place the ticket holds; idempotent. */
        void release() {
            List<PeerWait> ready;
            synchronized (LoginAdmission.this) {
                if (place == Place.NONE || place == Place.DONE) {
                    place = Place.DONE;
                    return;
                }
                Usage u = usage(client);
                take(u, Place.DONE);
                forgetIfIdle(client, u);
                ready = admitWaitingPeers();
            }
            complete(ready);
        }

        private Optional<Refusal> sessionRefusal(Usage u) {
            if (over(u.sessions, limits.sessionsPerClient())) {
                return Optional.of(Refusal.SESSIONS_PER_CLIENT);
            }
            if (over(sessions, limits.sessions())) {
                return Optional.of(Refusal.SESSIONS);
            }
            return Optional.empty();
        }

        /** Whether the ticket is at {@code expected}; false if it was released (the login ended meanwhile). */
        private boolean at(Place expected) {
            if (place == expected) {
                return true;
            }
            if (place == Place.DONE) {
                return false;
            }
            throw new IllegalStateException("ticket is at " + place + ", not " + expected);
        }

        /** Leaves the current place and takes {@code next} (counts only; the caller checked the limits). */
        private void take(Usage u, Place next) {
            switch (place) {
                case WORKING -> {
                    working--;
                    u.working--;
                }
                case PROMPT -> {
                    prompts--;
                    u.prompts--;
                }
                case SESSION -> {
                    sessions--;
                    u.sessions--;
                }
                default -> {
                }
            }
            switch (next) {
                case WORKING -> {
                    working++;
                    u.working++;
                }
                case PROMPT -> {
                    prompts++;
                    u.prompts++;
                }
                case SESSION -> {
                    sessions++;
                    u.sessions++;
                }
                default -> {
                }
            }
            place = next;
        }
    }
}
