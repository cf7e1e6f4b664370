package io.cockpitwsjava.browser;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.cockpitwsjava.testing.SystemdTarget;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The browser flow against a systemd target with cockpit-bridge and cockpit-system installed: pages come from the target's bridge over the packages channel. */
@QuarkusTest
@TestProfile(BrowserFlowContract.RequireHost.class)
class InstalledBridgeBrowserIT extends BrowserFlowContract {
    @RegisterExtension
    static SystemdTarget target = new SystemdTarget("bookworm-cockpit");

    @Override
    SystemdTarget target() {
        return target;
    }

    @Override
    String prettyName() {
        return "Debian GNU/Linux 12 (bookworm)";
    }
}
