package io.cockpitwsjava.browser;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.cockpitwsjava.testing.SystemdTarget;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The browser flow against a systemd target with python3 only (Python 3.11): the gateway beiboots the bridge and serves Cockpit's pages from its own assets. */
@QuarkusTest
@TestProfile(BrowserFlowContract.RequireHost.class)
class BeibootBookwormBrowserIT extends BrowserFlowContract {
    @RegisterExtension
    static SystemdTarget target = new SystemdTarget("bookworm");

    @Override
    SystemdTarget target() {
        return target;
    }

    @Override
    String prettyName() {
        return "Debian GNU/Linux 12 (bookworm)";
    }
}
