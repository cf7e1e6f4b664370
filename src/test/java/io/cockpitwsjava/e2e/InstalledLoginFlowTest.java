package io.cockpitwsjava.e2e;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.cockpitwsjava.testing.SshdTarget;
import io.quarkus.test.junit.QuarkusTest;

/** The login/WebSocket contract against a target with Cockpit's cockpit-bridge installed. */
@QuarkusTest
class InstalledLoginFlowTest extends LoginFlowContract {
    @RegisterExtension
    static SshdTarget sshd = new SshdTarget(SshdTarget.RemotePath.INSTALLED);

    @Override
    SshdTarget target() {
        return sshd;
    }
}
