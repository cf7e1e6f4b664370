package io.cockpitwsjava.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.kex.KexProposalOption;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;

import io.cockpitwsjava.protocol.HostTarget;
import io.cockpitwsjava.ship.PodmanService;
import io.cockpitwsjava.testing.Commands;

/**
 * The gateway's SSH client against OpenSSH 10 (Debian trixie in a container): the post-quantum key exchange both
 * prefer, {@code mlkem768x25519-sha256}, is the one agreed ({@link SshConnector#KEX_FIRST}), and a login over it
 * works end to end (the host key checked, a password login, a command run). The targets of the other tests run the
 * machine's OpenSSH 9.2, which offers no ML-KEM.
 */
@ExtendWith(PodmanService.class)
class OpenSsh10IT {
    static final String USER = "admin";
    static final String PASSWORD = "trixie-pw";

    static GenericContainer<?> target;
    static SshConnector connector;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws Exception {
        // the debootstrapped bases are built once and kept in podman's storage (skipped when present)
        Commands.run("src/scripts/build-images", "--bases-only");
        ImageFromDockerfile image = new ImageFromDockerfile("localhost/openssh10-target:latest", false)
                .withDockerfileFromBuilder(b -> b.from("localhost/target-base:trixie")
                        .run("mkdir -p /run/sshd && ssh-keygen -q -t ed25519 -N '' -f /etc/ssh/ssh_host_ed25519_key"
                                + " && printf 'HostKey /etc/ssh/ssh_host_ed25519_key\\n' > /etc/ssh/sshd_config.d/hostkey.conf"
                                + " && useradd -m -s /bin/bash " + USER + " && echo " + USER + ":" + PASSWORD + " | chpasswd")
                        .expose(22)
                        .cmd("/usr/sbin/sshd", "-D", "-e", "-o", "LogLevel=DEBUG1")
                        .build());
        target = new GenericContainer<>(image).withExposedPorts(22)
                .waitingFor(Wait.forLogMessage(".*Server listening on.*", 1));
        target.start();
        connector = new SshConnector(SshSettings.defaults(Map.of()).withGlobalKnownHosts(tmp.resolve("none"))
                .withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(30)),
                new HostAccessPolicy(List.of("localhost:*"), List.of()));
    }

    @AfterAll
    static void stop() {
        if (connector != null) {
            connector.close();
        }
        if (target != null) {
            target.stop();
        }
    }

    @Test
    void agreesOnMlKemAndLogsIn() throws Exception {
        String version = target.execInContainer("sh", "-c", "ssh -V 2>&1").getStdout().strip();
        assertTrue(version.startsWith("OpenSSH_10"), "the target is OpenSSH 10: " + version);
        String[] key = target.execInContainer("cat", "/etc/ssh/ssh_host_ed25519_key.pub").getStdout().strip()
                .split("\\s+");
        int port = target.getMappedPort(22);
        KnownHosts trusted = KnownHosts.parse("[localhost]:" + port + " " + key[0] + " " + key[1] + "\n");
        SshCredentials creds = new SshCredentials(USER, PASSWORD.toCharArray(), trusted, null, false, null);

        SshLogin login = connector.connect(new HostTarget(null, "localhost", port), creds).get(60, TimeUnit.SECONDS);
        try (ClientSession s = login.session()) {
            assertEquals("mlkem768x25519-sha256", s.getNegotiatedKexParameter(KexProposalOption.ALGORITHMS));
            assertEquals("over ML-KEM\n", SshConnectorTest.run(s, "echo over ML-KEM"));
        }
        // and the server says the same
        String log = target.getLogs();
        assertTrue(log.contains("kex: algorithm: mlkem768x25519-sha256"), log);
    }
}
