package io.cockpitwsjava.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Where the sign-in may send a browser afterwards: only paths below the UrlRoot of this gateway. */
class FleetReturnTargetTest {

    @Test
    void pathsBelowTheRootAreAccepted() {
        for (String ok : new String[] {"/", "/fleet/", "/=web-1/", "/=web-1/system/services?x=1", "/cockpit+=a/x"}) {
            assertTrue(FleetRoutes.validReturn("", ok), ok);
            assertTrue(FleetRoutes.validReturn("/gw", "/gw" + ok), "/gw" + ok);
        }
    }

    @Test
    void everythingElseIsRefused() {
        for (String bad : new String[] {"", "fleet/", "//evil.example/", "///evil.example", "/\\evil.example",
                "https://evil.example/", "javascript:alert(1)", "/a\r\nSet-Cookie: x=y", "/a b", "/a\tb",
                "/fleet/../../x", "/fleet/./x", "/fleet/%2e%2e/x", "/fleet/%2E%2E/x", "/a%2F..%2Fb", "/a#frag",
                "/" + "a".repeat(3000), "/%zz"}) {
            assertFalse(FleetRoutes.validReturn("", bad), bad);
        }
        assertFalse(FleetRoutes.validReturn("/gw", "/=web-1/"), "outside the root");
        assertFalse(FleetRoutes.validReturn("/gw", "/gwx/"), "a longer first segment is not the root");
        assertFalse(FleetRoutes.validReturn("/gw", "/gw"), "the root itself without its slash");
    }
}
