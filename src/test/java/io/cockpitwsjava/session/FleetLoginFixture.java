package io.cockpitwsjava.session;

import static io.cockpitwsjava.testing.Commands.deleteTree;
import static io.cockpitwsjava.testing.Commands.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.cockpitwsjava.testing.GatewayClient;
import io.cockpitwsjava.testing.SshdTarget;

/**
 * A small fleet for logins by identity, made once per JVM: a user CA, and two real sshd "VMs" that trust it with
 * {@code TrustedUserCAKeys} (log level VERBOSE, so each login's certificate key id and serial are in their log):
 * <ul>
 * <li>{@code web-1} ({@code env: prod}), its host key pinned in the inventory;</li>
 * <li>{@code app-1} ({@code env: dev}), with {@code AuthorizedPrincipalsFile} listing the account, and a host
 * certificate of a host CA that names only {@code app-1}: trusted through a {@code @cert-authority} line of the global
 * known_hosts file, no pinned key.</li>
 * </ul>
 * Rules: group {@code ops} reaches prod hosts with superuser, {@code ops} and {@code dev} reach dev hosts without.
 * {@code nope} is not in the inventory. The account is the test user of {@link SshdTarget}.
 */
final class FleetLoginFixture {

    static final Duration WAIT = Duration.ofSeconds(60);
    /**
     * Lets the test account sudo without a password, as the default user of cloud images may. Named per test JVM: a
     * run in another checkout on this machine must not delete this one's grant.
     */
    static final Path SUDOERS = Path.of("/etc/sudoers.d/cockpit-ws-java-certificate-login-test-"
            + ProcessHandle.current().pid());

    static SshdTarget web;
    static SshdTarget app;
    private static Map<String, String> config;

    private FleetLoginFixture() {
    }

    /** The gateway settings for this fleet (inventory, CA key, known_hosts file); starts the sshds once. */
    static synchronized Map<String, String> config() {
        if (config != null) {
            return config;
        }
        try {
            Path dir = Files.createTempDirectory("certificate-login-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path userCa = keygen(dir, "user_ca");
            Path hostCa = keygen(dir, "host_ca");
            web = new SshdTarget().withLogLevel("VERBOSE").withConfig("TrustedUserCAKeys " + userCa + ".pub").start();
            Runtime.getRuntime().addShutdownHook(new Thread(web::close));

            Path principals = dir.resolve("principals");
            Files.createDirectories(principals);
            Files.setPosixFilePermissions(principals, PosixFilePermissions.fromString("rwxr-xr-x"));
            app = new SshdTarget().withLogLevel("VERBOSE").withConfig("TrustedUserCAKeys " + userCa + ".pub")
                    .withConfig("AuthorizedPrincipalsFile " + principals + "/%u");
            app.start(); // makes its host keys, which get a certificate below
            app.stop();
            Files.writeString(principals.resolve(app.user()), "# principals of this account\n" + app.user() + "\n");
            run("ssh-keygen", "-q", "-s", hostCa.toString(), "-h", "-I", "app-1 host", "-n", "app-1", "-V",
                    "-5m:+1h", app.hostPublicKeyFile("ed25519").toString());
            String cert = app.hostPublicKeyFile("ed25519").toString().replace(".pub", "-cert.pub");
            app.withConfig("HostCertificate " + cert).start();
            Runtime.getRuntime().addShutdownHook(new Thread(app::close));

            Path knownHosts = dir.resolve("ssh_known_hosts");
            Files.writeString(knownHosts, "@cert-authority [app-1]:" + app.port() + " "
                    + Files.readString(Path.of(hostCa + ".pub")));
            Path inventory = dir.resolve("inventory.yaml");
            Files.writeString(inventory, """
                    hosts:
                      - {name: web-1, address: "127.0.0.1:%d", labels: {env: prod}, host-key: "%s"}
                      - {name: app-1, address: "127.0.0.1:%d", labels: {env: dev}}
                    access:
                      - {groups: [ops], hosts: {env: prod}, ssh-user: %s, superuser: true}
                      - {groups: [ops, dev], hosts: {env: dev}, ssh-user: %s}
                    """.formatted(web.port(), web.hostPublicKeyLine("ed25519"), app.port(), web.user(),
                    app.user()));
            Map<String, String> c = new HashMap<>();
            c.put("cockpit.fleet.inventory", inventory.toString());
            c.put("cockpit.fleet.user-ca-key", userCa.toString());
            c.put("cockpit.ssh.known-hosts-file", knownHosts.toString());
            config = Map.copyOf(c);
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path keygen(Path dir, String name) throws IOException {
        Path key = dir.resolve(name);
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", key.toString());
        return key;
    }

    static void allowSudo() throws IOException {
        Files.writeString(SUDOERS, SshdTarget.DEFAULT_USER + " ALL=(ALL:ALL) NOPASSWD: ALL\n");
        Files.setPosixFilePermissions(SUDOERS, PosixFilePermissions.fromString("r--r-----"));
    }

    static void forbidSudo() throws IOException {
        Files.deleteIfExists(SUDOERS);
    }

    /** Opens the session's socket and waits for the bridge's init. */
    static GatewayClient.Socket socket(GatewayClient client, String host, GatewayClient.Response login)
            throws InterruptedException {
        GatewayClient.Socket s = client.socket("/cockpit+=" + host + "/socket", client.origin(),
                GatewayClient.cookieOf(login.header("Set-Cookie")));
        s.await("\"init\"", WAIT);
        s.send("\n{\"command\":\"init\",\"version\":1}");
        return s;
    }

    /**
     * Runs {@code id -u} through the session's bridge, as root if {@code superuser}; returns the channel's first
     * answer: its output ({@code CHANNEL\nUID\n}) or its close control message (e.g. {@code access-denied}).
     */
    static String runId(GatewayClient.Socket s, String channel, boolean superuser) throws InterruptedException {
        s.send("\n{\"command\":\"open\",\"channel\":\"" + channel + "\",\"payload\":\"stream\",\"spawn\":[\"id\",\"-u\"]"
                + (superuser ? ",\"superuser\":\"require\"" : "") + "}");
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            GatewayClient.Message m = s.next(WAIT);
            if (m == null) {
                break;
            }
            String t = m.text();
            if (t.startsWith(channel + "\n") || t.startsWith("\n") && t.contains("\"close\"")
                    && t.contains("\"" + channel + "\"")) {
                return t;
            }
        }
        throw new AssertionError("no answer on channel " + channel + " within " + WAIT);
    }

    /**
     * The sshd log line of the login with key id {@code keyId}: OpenSSH writes
     * {@code Accepted publickey for USER ... ID <keyId> (serial N) CA ...}.
     */
    static String acceptedLine(SshdTarget sshd, String keyId) {
        return sshd.log().lines().filter(l -> l.contains("Accepted publickey for " + sshd.user())
                && l.contains(" ID " + keyId + " (serial ")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no login with key id " + keyId + " in the sshd log:\n"
                        + sshd.log()));
    }

    /** The answer a name not in the inventory gets; every other refusal must look exactly the same. */
    static void assertLikeUnknownHost(GatewayClient.Response unknown, GatewayClient.Response r) {
        assertEquals(unknown.status(), r.status(), r.text());
        assertEquals(unknown.reason(), r.reason());
        assertEquals(unknown.text(), r.text());
        assertTrue(r.header("Set-Cookie") == null, "no session cookie on a refusal");
    }
}
