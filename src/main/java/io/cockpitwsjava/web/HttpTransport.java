package io.cockpitwsjava.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.netty.channel.epoll.Epoll;
import io.vertx.core.Vertx;

/**
 * The network transport the HTTP server's event loops run on (browser connections, WebSockets): Netty's native
 * {@code epoll}, or the JDK's {@code nio} — and for NIO, why. Vert.x falls back to NIO without a word when the
 * native library cannot load (for example when it would have to be unpacked into a {@code noexec /tmp}), so the
 * gateway states it at start and as {@code cockpit_http_transport_info}.
 *
 * @param name {@code epoll}, {@code nio}, or {@code native} for another native transport of Netty's
 * @param nativePreferred whether the configuration asks for a native transport
 *        ({@code quarkus.vertx.prefer-native-transport})
 * @param whyNotNative why no native transport runs; empty when one does
 */
public record HttpTransport(String name, boolean nativePreferred, Optional<String> whyNotNative) {
    /** Netty's native epoll transport (Linux). */
    public static final String EPOLL = "epoll";
    /** The JDK's NIO. */
    public static final String NIO = "nio";
    /** A native transport of Netty's other than epoll (none is shipped; named so that it is not called epoll). */
    public static final String OTHER_NATIVE = "native";
    /** Causes of a failed load come nested (Netty tries a few names and places); the first ones say enough. */
    private static final int CAUSES_SHOWN = 4;

    /** What the given Vert.x instance (the one the HTTP server runs on) uses. */
    public static HttpTransport of(Vertx vertx, boolean nativePreferred) {
        boolean nativeEnabled = vertx.isNativeTransportEnabled();
        Throwable cause = nativeEnabled ? null : vertx.unavailableNativeTransportCause();
        if (!nativeEnabled && nativePreferred && cause == null) {
            // Vert.x 4.5 keeps no cause after a fallback (its JDK transport has none); Netty's Epoll does. Only asked
            // when epoll was wanted: its first use tries to load the library.
            cause = Epoll.unavailabilityCause();
        }
        return of(nativeEnabled, nativeEnabled && Epoll.isAvailable(), nativePreferred, cause);
    }

    /**
     * From the facts: whether Vert.x runs a native transport, whether that is epoll, whether one was asked for, and
     * why none loaded (null when unknown).
     */
    public static HttpTransport of(boolean nativeEnabled, boolean epoll, boolean nativePreferred, Throwable cause) {
        if (nativeEnabled) {
            return new HttpTransport(epoll ? EPOLL : OTHER_NATIVE, nativePreferred, Optional.empty());
        }
        if (!nativePreferred) {
            return new HttpTransport(NIO, false, Optional.of("quarkus.vertx.prefer-native-transport is false"));
        }
        return new HttpTransport(NIO, true, Optional.of(cause == null ? "no cause given" : describe(cause)));
    }

    /** A native transport was asked for and NIO runs instead: worth a warning. */
    public boolean fellBack() {
        return nativePreferred && NIO.equals(name);
    }

    /** The start log line. */
    public String summary() {
        if (!NIO.equals(name)) {
            return "HTTP server transport: " + name + " (Netty's native transport)";
        }
        if (!fellBack()) {
            return "HTTP server transport: nio (" + whyNotNative.orElse("") + ")";
        }
        return "HTTP server transport: nio, not the preferred native epoll, because " + whyNotNative.orElse("")
                + ". Netty loads its library from java.library.path first, else unpacks it into io.netty.native.workdir"
                + " (default java.io.tmpdir), which must then allow executing files; the container image ships it in"
                + " /opt/cockpit-ws-java/native (docs/configuration.md, \"Network transport\")";
    }

    /** The chain of causes and what they suppressed, one after the other (a failed load nests several). */
    static String describe(Throwable cause) {
        List<String> parts = new ArrayList<>();
        collect(cause, parts, 0);
        return String.join("; ", parts);
    }

    private static void collect(Throwable t, List<String> parts, int depth) {
        if (t == null || parts.size() >= CAUSES_SHOWN || depth > CAUSES_SHOWN) {
            return;
        }
        String text = t.getMessage() == null ? t.getClass().getName() : t.getMessage();
        if (!parts.contains(text)) {
            parts.add(text);
        }
        collect(t.getCause(), parts, depth + 1);
        for (Throwable s : t.getSuppressed()) {
            collect(s, parts, depth + 1);
        }
    }
}
