package io.cockpitwsjava.ship;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * A target host for the shipping tests: Debian bookworm with sshd and python3 only (no Cockpit, so the gateway
 * beiboots its bridge), a password user and a single Ed25519 host key baked into the image.
 */
final class TargetContainer extends GenericContainer<TargetContainer> {
    static final String USER = "admin";
    static final String PASSWORD = "shipped-pw";

    static final String IMAGE_NAME = "localhost/ship-target:latest";
    static final ImageFromDockerfile IMAGE = new ImageFromDockerfile(IMAGE_NAME, false)
            .withDockerfileFromBuilder(b -> b.from(ShipImages.TARGET_BASE)
                    .run("mkdir -p /run/sshd && ssh-keygen -q -t ed25519 -N '' -f /etc/ssh/ssh_host_ed25519_key"
                            + " && printf 'HostKey /etc/ssh/ssh_host_ed25519_key\\n' > /etc/ssh/sshd_config.d/hostkey.conf"
                            + " && useradd -m -s /bin/bash " + USER + " && echo " + USER + ":" + PASSWORD + " | chpasswd")
                    .expose(22)
                    .cmd("/usr/sbin/sshd", "-D", "-e")
                    .build());

    TargetContainer(Network network, String... aliases) {
        super(IMAGE);
        withNetwork(network).withNetworkAliases(aliases).withExposedPorts(22)
                .waitingFor(Wait.forLogMessage(".*Server listening on.*", 1));
    }

    /** SHA256 fingerprint of the host key, as ssh-keygen prints it ({@code SHA256:...}). */
    String hostKeyFingerprint() throws Exception {
        String out = execInContainer("ssh-keygen", "-l", "-E", "sha256", "-f", "/etc/ssh/ssh_host_ed25519_key.pub")
                .getStdout();
        return out.trim().split("\\s+")[1];
    }

    /** {@code ssh-ed25519 AAAA...} of the host key. */
    String hostPublicKey() throws Exception {
        String[] parts = execInContainer("cat", "/etc/ssh/ssh_host_ed25519_key.pub").getStdout().trim().split("\\s+");
        return parts[0] + " " + parts[1];
    }
}
