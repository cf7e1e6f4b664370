package io.cockpitwsjava.browser;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.cockpitwsjava.testing.SystemdTarget;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The browser flow against a systemd target with python3 only with Python 3.9 (the Python of CentOS Stream 9): beiboot on an older interpreter. */
@QuarkusTest
@TestProfile(BrowserFlowContract.RequireHost.class)
class BullseyeBrowserIT extends BrowserFlowContract {
    @RegisterExtension
    static SystemdTarget target = new SystemdTarget("bullseye");

    @Override
    SystemdTarget target() {
        return target;
    }

    @Override
    String prettyName() {
        return "Debian GNU/Linux 11 (bullseye)";
    }
}
