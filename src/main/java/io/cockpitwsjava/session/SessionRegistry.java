package io.cockpitwsjava.session;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.cockpitwsjava.config.GatewaySettings;
import io.cockpitwsjava.protocol.Problem;

/** All live sessions of this gateway, by cookie value; destroys sessions that stayed without a WebSocket too long. */
@ApplicationScoped
public class SessionRegistry {
    private static final Logger LOG = Logger.getLogger(SessionRegistry.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, WebSession> byCookie = new ConcurrentHashMap<>();
    private final java.util.List<java.util.function.Consumer<WebSession>> endListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ScheduledExecutorService reaper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "session-reaper");
        t.setDaemon(true);
        return t;
    });
    private final long idleNanos;

    @Inject
    public SessionRegistry(GatewaySettings settings) {
        this.idleNanos = settings.idleGrace().toNanos();
        reaper.scheduleWithFixedDelay(this::reap, 1, 1, TimeUnit.SECONDS);
    }

    /** Random token with 256 bits of entropy, valid as a cookie value. */
    static String newCookieValue() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Random CSRF token: 64 hex characters like upstream. */
    static String newCsrfToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    void add(WebSession session) {
        byCookie.put(session.cookieValue(), session);
    }

    void remove(WebSession session) {
        if (byCookie.remove(session.cookieValue(), session)) {
            for (var l : endListeners) {
                try {
                    l.accept(session);
                } catch (RuntimeException e) {
                    LOG.warn("session end listener failed", e);
                }
            }
        }
    }

    /** Called once for every session that ends (e.g. to settle its metrics). */
    public void onSessionEnd(java.util.function.Consumer<WebSession> listener) {
        endListeners.add(listener);
    }

    /** The live session for this application among the request's cookies. */
    public Optional<WebSession> find(Application app, Map<String, String> cookies) {
        String value = cookies.get(app.cookieName());
        if (value == null) {
            return Optional.empty();
        }
        WebSession s = byCookie.get(value);
        if (s == null || s.isEnded() || !s.application().equals(app.name())) {
            return Optional.empty();
        }
        return Optional.of(s);
    }

    /** The session a cookie value names, if live. */
    public Optional<WebSession> byCookieValue(String value) {
        return Optional.ofNullable(byCookie.get(value)).filter(s -> !s.isEnded());
    }

    public Collection<WebSession> all() {
        return byCookie.values();
    }

    public int size() {
        return byCookie.size();
    }

    /** Attaches a freshly upgraded WebSocket and sends the gateway's init. */
    public SessionSocket attach(WebSession session, BrowserSocket socket, String version) {
        SessionSocket s = new SessionSocket(session, socket, version);
        session.addSocket(s);
        s.start();
        return s;
    }

    private void reap() {
        try {
            for (WebSession s : byCookie.values()) {
                if (s.idleLongerThan(idleNanos)) {
                    LOG.infof("session %s: no WebSocket for %d s, ending it", s.id(), TimeUnit.NANOSECONDS.toSeconds(idleNanos));
                    s.end(Problem.TERMINATED);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("session reaper failed", e);
        }
    }

    @PreDestroy
    void shutdown() {
        reaper.shutdownNow();
        for (WebSession s : byCookie.values()) {
            s.end(Problem.TERMINATED);
        }
    }
}
