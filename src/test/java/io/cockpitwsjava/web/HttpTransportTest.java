package io.cockpitwsjava.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How the HTTP server's transport is named and explained, from what Vert.x and Netty report. */
class HttpTransportTest {

    @Test
    void nativeEpollIsNamedWithoutAReason() {
        HttpTransport t = HttpTransport.of(true, true, true, null);
        assertEquals("epoll", t.name());
        assertFalse(t.fellBack());
        assertTrue(t.whyNotNative().isEmpty());
        assertEquals("HTTP server transport: epoll (Netty's native transport)", t.summary());
    }

    @Test
    void anotherNativeTransportIsNotCalledEpoll() {
        HttpTransport t = HttpTransport.of(true, false, true, null);
        assertEquals("native", t.name());
        assertFalse(t.fellBack());
    }

    @Test
    void nioByChoiceIsNoFallback() {
        HttpTransport t = HttpTransport.of(false, false, false, new UnsatisfiedLinkError("ignored"));
        assertEquals("nio", t.name());
        assertFalse(t.fellBack());
        assertEquals("HTTP server transport: nio (quarkus.vertx.prefer-native-transport is false)", t.summary());
    }

    @Test
    void fallbackNamesTheNestedCausesAndWhereTheLibraryIsLookedFor() {
        // the shape of Netty's failure on a noexec /tmp: the wrapper, the mapping error, the tried library path
        UnsatisfiedLinkError mapping = new UnsatisfiedLinkError("/tmp/libnetty.so: failed to map segment from shared object");
        UnsatisfiedLinkError load = new UnsatisfiedLinkError("could not load a native library: netty_transport_native_epoll_x86_64");
        load.initCause(mapping);
        load.addSuppressed(new UnsatisfiedLinkError("no netty_transport_native_epoll_x86_64 in java.library.path: /usr/lib"));
        UnsatisfiedLinkError top = new UnsatisfiedLinkError("failed to load the required native library");
        top.initCause(load);

        HttpTransport t = HttpTransport.of(false, false, true, top);
        assertEquals("nio", t.name());
        assertTrue(t.fellBack());
        String why = t.whyNotNative().orElseThrow();
        assertEquals("failed to load the required native library; could not load a native library: "
                + "netty_transport_native_epoll_x86_64; /tmp/libnetty.so: failed to map segment from shared object; "
                + "no netty_transport_native_epoll_x86_64 in java.library.path: /usr/lib", why);
        assertTrue(t.summary().startsWith("HTTP server transport: nio, not the preferred native epoll, because " + why),
                t.summary());
        assertTrue(t.summary().contains("java.library.path first"), t.summary());
    }

    @Test
    void longCauseChainsAreCutAndRepeatsDropped() {
        Throwable t = new IllegalStateException("same");
        for (int i = 0; i < 10; i++) {
            t = new IllegalStateException(i % 2 == 0 ? "same" : "level " + i, t);
        }
        String why = HttpTransport.describe(t);
        assertEquals("level 9; same; level 7; level 5", why);
    }

    @Test
    void fallbackWithoutACauseSaysSo() {
        assertEquals("no cause given", HttpTransport.of(false, false, true, null).whyNotNative().orElseThrow());
    }
}
