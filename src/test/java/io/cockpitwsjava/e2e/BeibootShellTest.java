package io.cockpitwsjava.e2e;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.cockpitwsjava.testing.SshdTarget;
import io.quarkus.test.junit.QuarkusTest;

/** Shell and package files of a beibooted target come from the gateway's own Cockpit packages. */
@QuarkusTest
class BeibootShellTest extends ShellAndPackagesContract {
    @RegisterExtension
    static SshdTarget sshd = new SshdTarget(SshdTarget.RemotePath.PYTHON_ONLY);

    @Override
    SshdTarget target() {
        return sshd;
    }

    @Override
    boolean filesFromGateway() {
        return true;
    }
}
