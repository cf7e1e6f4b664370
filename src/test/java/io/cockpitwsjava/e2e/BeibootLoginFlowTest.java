package io.cockpitwsjava.e2e;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.cockpitwsjava.testing.SshdTarget;
import io.quarkus.test.junit.QuarkusTest;

/** The login/WebSocket contract against a target that has only python3: the bridge is beibooted. */
@QuarkusTest
class BeibootLoginFlowTest extends LoginFlowContract {
    @RegisterExtension
    static SshdTarget sshd = new SshdTarget(SshdTarget.RemotePath.PYTHON_ONLY);

    @Override
    SshdTarget target() {
        return sshd;
    }
}
