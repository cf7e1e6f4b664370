package io.cockpitwsjava.e2e;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.cockpitwsjava.testing.SshdTarget;
import io.quarkus.test.junit.QuarkusTest;

/** Shell and package files of a target with an installed bridge come through its packages channel. */
@QuarkusTest
class InstalledShellTest extends ShellAndPackagesContract {
    @RegisterExtension
    static SshdTarget sshd = new SshdTarget(SshdTarget.RemotePath.INSTALLED);

    @Override
    SshdTarget target() {
        return sshd;
    }

    @Override
    boolean filesFromGateway() {
        return false;
    }
}
