package io.cockpitwsjava.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The ws-side CSP (docs/protocol.md §1.6). */
class ContentSecurityPolicyTest {

    @Test
    void specExample() {
        assertEquals("connect-src 'self' https://gw.example.com:9090 wss://gw.example.com:9090; "
                + "form-action 'self' https://gw.example.com:9090; base-uri 'self' https://gw.example.com:9090; "
                + "object-src 'none'; font-src 'self' https://gw.example.com:9090 data:; "
                + "img-src 'self' https://gw.example.com:9090 data:; block-all-mixed-content; "
                + "default-src 'self' https://gw.example.com:9090 'unsafe-inline'",
                ContentSecurityPolicy.forOrigin("default-src 'self' 'unsafe-inline'", "https://gw.example.com:9090"));
    }

    @Test
    void trailingSemicolonOfTheStaticBaseIsHarmless() {
        assertEquals(ContentSecurityPolicy.forOrigin("default-src 'self' 'unsafe-inline'", "http://h"),
                ContentSecurityPolicy.forOrigin(" default-src 'self' 'unsafe-inline'; ", "http://h"));
    }

    @Test
    void baseWithConnectSrcKeepsItsOwn() {
        assertEquals("default-src 'self' http://[::1]:9090; form-action 'self' http://[::1]:9090; "
                + "base-uri 'self' http://[::1]:9090; object-src 'none'; font-src 'self' http://[::1]:9090 data:; "
                + "img-src 'self' http://[::1]:9090 data:; block-all-mixed-content; "
                + "connect-src 'self' http://[::1]:9090 wss://other.example",
                ContentSecurityPolicy.forOrigin("connect-src 'self' wss://other.example", "http://[::1]:9090"));
    }

    @Test
    void allDirectivesPresentOnlyInjectsTheOrigin() {
        String base = "default-src 'none'; connect-src 'self'; form-action 'none'; base-uri 'none'; "
                + "object-src 'none'; font-src data:; img-src 'self'; block-all-mixed-content";
        assertEquals("default-src 'none'; connect-src 'self' http://h; form-action 'none'; base-uri 'none'; "
                + "object-src 'none'; font-src data:; img-src 'self' http://h; block-all-mixed-content",
                ContentSecurityPolicy.forOrigin(base, "http://h"));
    }

    @Test
    void directiveNameMustMatchWholly() {
        // "img-src-x" is not "img-src": the default img-src is still emitted
        String csp = ContentSecurityPolicy.forOrigin("default-src 'none'; img-src-x foo", "http://h");
        assertEquals("connect-src 'self' http://h ws://h; form-action 'self' http://h; base-uri 'self' http://h; "
                + "object-src 'none'; font-src 'self' http://h data:; img-src 'self' http://h data:; "
                + "block-all-mixed-content; default-src 'none'; img-src-x foo", csp);
    }
}
