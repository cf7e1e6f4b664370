package io.cockpitwsjava.ssh;

import io.cockpitwsjava.protocol.HostKeyChallenge;
import io.cockpitwsjava.protocol.Problem;
import io.cockpitwsjava.protocol.ProblemException;

import io.cockpitwsjava.protocol.HostTarget;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.channel.StreamingChannel;
import org.apache.sshd.common.io.IoInputStream;
import org.apache.sshd.common.io.IoReadFuture;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.apache.sshd.common.kex.KexProposalOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.cockpitwsjava.testing.DeadEndPort;
import io.cockpitwsjava.testing.SshdTarget;

/** {@link SshConnector} against a real OpenSSH sshd. */
class SshConnectorTest {

    @RegisterExtension
    static SshdTarget sshd = new SshdTarget();

    @TempDir
    static Path tmp;

    static SshConnector connector;
    /** The tests reach only the loopback fixture and .invalid names; the policy itself is tested apart. */
    static final HostAccessPolicy ANY_HOST = new HostAccessPolicy(java.util.List.of("*:*"), java.util.List.of());

    @BeforeAll
    static void start() {
        connector = new SshConnector(settings(Map.of()), ANY_HOST);
    }

    @AfterAll
    static void stop() {
        connector.close();
    }

    static SshSettings settings(Map<String, String> env) {
        return SshSettings.defaults(env).withGlobalKnownHosts(tmp.resolve("no-global-known-hosts"))
                .withTimeouts(Duration.ofSeconds(20), Duration.ofSeconds(20));
    }

    /** "localhost" reaches the fixture without the silent 127.0.0.1 exception. */
    static HostTarget target() {
        return new HostTarget(null, "localhost", sshd.port());
    }

    static SshCredentials creds(String password, KnownHosts trusted) {
        return new SshCredentials(sshd.user(), password == null ? null : password.toCharArray(), trusted, null, true,
                null);
    }

    /** Runs {@code command} on an exec channel of {@code s}; returns its standard output. */
    static String run(ClientSession s, String command) throws Exception {
        try (ChannelExec exec = s.createExecChannel(command)) {
            var out = new java.io.ByteArrayOutputStream();
            exec.setOut(out);
            exec.open().verify(30, TimeUnit.SECONDS);
            exec.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), TimeUnit.SECONDS.toMillis(30));
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    static SshLogin login(CompletableFuture<SshLogin> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    static ProblemException failure(CompletableFuture<SshLogin> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
        return assertInstanceOf(ProblemException.class, e.getCause());
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> authMethodResults(ProblemException e) {
        return (Map<String, String>) e.fields().getOrDefault("auth-method-results", Map.of());
    }

    static String knownHosts(ProblemException e) {
        return (String) e.fields().getOrDefault("known-hosts", "");
    }

    KnownHosts trustedEd25519() {
        return KnownHosts.parse(target().knownHostsName() + " " + sshd.hostPublicKeyLine("ed25519") + "\n");
    }

    @Test
    void unknownKeyAsksThenConfirmedKeyLogsIn() throws Exception {
        ProblemException e = failure(connector.connect(target(), creds(sshd.password(), KnownHosts.EMPTY)));
        assertEquals(Problem.UNKNOWN_HOSTKEY, e.problem());
        HostKeyChallenge q = e.hostKeyChallenge().orElseThrow();
        assertEquals(sshd.hostKeyFingerprint("ed25519"), q.fingerprint(), "OpenSSH order: Ed25519 first");
        assertEquals("[localhost]:" + sshd.port() + " ED25519 login-data", q.loginHostKey());
        assertEquals("[localhost]:" + sshd.port() + " " + sshd.hostPublicKeyLine("ed25519"), q.knownHostsLine());
        assertTrue(q.prompt().contains(q.fingerprint()), q.prompt());
        assertTrue(q.isConfirmedBy(q.fingerprint()));

        SshLogin login = login(connector.connect(target(),
                creds(sshd.password(), KnownHosts.EMPTY).withConfirmedKey(q.knownHostsLine())));
        try (ClientSession s = login.session()) {
            assertEquals(sshd.knownHostsLine(),
                    login.knownHostsForLoginData());
            assertEquals(sshd.user(), login.target().user());
            // the login-data line is accepted on the next login without a question
            login(connector.connect(target(), creds(sshd.password(), KnownHosts.parse(login.knownHostsForLoginData()))))
                    .session().close();
        }
    }

    @Test
    void unknownKeyWithoutAskingHasNoQuestion() {
        SshCredentials c = new SshCredentials(sshd.user(), sshd.password().toCharArray(), KnownHosts.EMPTY, null, false,
                null);
        ProblemException e = failure(connector.connect(target(), c));
        assertEquals(Problem.UNKNOWN_HOSTKEY, e.problem());
        assertTrue(e.hostKeyChallenge().isEmpty());
    }

    @Test
    void confirmedKeyThatDiffersIsInvalid() throws Exception {
        try (SshdTarget other = new SshdTarget().start()) {
            SshCredentials c = creds(sshd.password(), KnownHosts.EMPTY).withConfirmedKey(target().knownHostsName() + " " + other.hostPublicKeyLine("ed25519"));
            ProblemException e = failure(connector.connect(target(), c));
            assertEquals(Problem.INVALID_HOSTKEY, e.problem());
        }
    }

    @Test
    void knownKeyLogsInWithoutQuestion() throws Exception {
        SshLogin login = login(connector.connect(target(), creds(sshd.password(), trustedEd25519())));
        try (ClientSession s = login.session()) {
            assertTrue(s.isAuthenticated());
            assertEquals(trustedEd25519().text(), login.knownHostsForLoginData());
        }
    }

    @Test
    void openSsh92AgreesOnSntrup761WithAKeyPairMadeAhead() throws Exception {
        Sntrup761Keys keys = Sntrup761Keys.shared();
        long before = keys.takenFromPool() + keys.madeInline();
        try (ClientSession s = login(connector.connect(target(), creds(sshd.password(), trustedEd25519()))).session()) {
            assertTrue(s.getNegotiatedKexParameter(KexProposalOption.ALGORITHMS).startsWith("sntrup761x25519-sha512"),
                    s.getNegotiatedKexParameter(KexProposalOption.ALGORITHMS));
            assertEquals("over sntrup761\n", run(s, "echo over sntrup761"));
        }
        assertEquals(before + 1, keys.takenFromPool() + keys.madeInline(), "the key exchange took its key pair from Sntrup761Keys");
    }

    @Test
    void knownEcdsaKeyIsPreferredOverEd25519() throws Exception {
        // like OpenSSH: a key type already known for the host is negotiated first, so this is not "changed"
        KnownHosts ecdsaOnly = KnownHosts.parse(target().knownHostsName() + " " + sshd.hostPublicKeyLine("ecdsa"));
        login(connector.connect(target(), creds(sshd.password(), ecdsaOnly))).session().close();
    }

    @Test
    void hashedKnownHostsLineIsAccepted() throws Exception {
        Path file = tmp.resolve("hashed");
        Files.writeString(file, target().knownHostsName() + " " + sshd.hostPublicKeyLine("ed25519") + "\n");
        KnownHostsTest.run("ssh-keygen", "-H", "-f", file.toString());
        String hashed = Files.readString(file);
        assertTrue(hashed.startsWith("|1|"), hashed);
        login(connector.connect(target(), creds(sshd.password(), KnownHosts.parse(hashed)))).session().close();
    }

    @Test
    void globalKnownHostsFileIsTrusted() throws Exception {
        Path global = tmp.resolve("global_known_hosts");
        Files.writeString(global, trustedEd25519().text());
        try (SshConnector c = new SshConnector(settings(Map.of()).withGlobalKnownHosts(global), ANY_HOST)) {
            SshLogin login = login(c.connect(target(), creds(sshd.password(), KnownHosts.EMPTY)));
            login.session().close();
            assertEquals("", login.knownHostsForLoginData(), "global lines are not login-data");
        }
    }

    @Test
    void changedKeyIsInvalidHostkey() throws Exception {
        try (SshdTarget other = new SshdTarget().start()) {
            KnownHosts stale = KnownHosts.parse(target().knownHostsName() + " " + other.hostPublicKeyLine("ed25519"));
            ProblemException e = failure(connector.connect(target(), creds(sshd.password(), stale)));
            assertEquals(Problem.INVALID_HOSTKEY, e.problem());
            assertTrue(e.hostKeyChallenge().isEmpty());
        }
    }

    @Test
    void rekeyedHostIsInvalidHostkey() throws Exception {
        try (SshdTarget t = new SshdTarget().start()) {
            HostTarget h = new HostTarget(null, "localhost", t.port());
            KnownHosts before = KnownHosts.parse(h.knownHostsName() + " " + t.hostPublicKeyLine("ed25519"));
            login(connector.connect(h, creds(t.password(), before))).session().close();
            t.rekey();
            HostTarget after = new HostTarget(null, "localhost", t.port());
            KnownHosts old = KnownHosts.parse(after.knownHostsName() + " "
                    + before.text().split(" ", 2)[1]);
            assertEquals(Problem.INVALID_HOSTKEY, failure(connector.connect(after, creds(t.password(), old))).problem());
        }
    }

    @Test
    void loopbackAddressIsAcceptedSilently() throws Exception {
        SshLogin login = login(connector.connect(new HostTarget(null, "127.0.0.1", sshd.port()),
                creds(sshd.password(), KnownHosts.EMPTY)));
        login.session().close();
        assertTrue(login.knownHostsForLoginData().startsWith("[127.0.0.1]:" + sshd.port() + " ssh-ed25519 "),
                login.knownHostsForLoginData());
    }

    @Test
    void wrongPasswordIsAuthenticationFailedWithPasswordDenied() {
        ProblemException e = failure(connector.connect(target(), creds("wrong-" + sshd.password(), trustedEd25519())));
        assertEquals(Problem.AUTHENTICATION_FAILED, e.problem());
        assertEquals("denied", authMethodResults(e).get("password"), authMethodResults(e).toString());
        assertEquals("", knownHosts(e), "no key accepted in this attempt");
    }

    @Test
    void wrongPasswordAfterAcceptingAKeyReportsKnownHosts() {
        ProblemException q = failure(connector.connect(target(), creds("nope", KnownHosts.EMPTY)));
        ProblemException e = failure(connector.connect(target(),
                creds("nope", KnownHosts.EMPTY).withConfirmedKey(q.hostKeyChallenge().orElseThrow().knownHostsLine())));
        assertEquals(Problem.AUTHENTICATION_FAILED, e.problem());
        assertTrue(knownHosts(e).contains(sshd.hostPublicKeyLine("ed25519")), knownHosts(e));
    }

    @Test
    void noPasswordSkipsPasswordMethods() {
        ProblemException e = failure(connector.connect(target(), creds("", trustedEd25519())));
        assertEquals(Problem.AUTHENTICATION_FAILED, e.problem());
        assertEquals("not-provided", authMethodResults(e).get("password"));
    }

    @Test
    void userFromTargetWins() {
        HostTarget t = new HostTarget("nosuchuser", "localhost", sshd.port());
        ProblemException e = failure(connector.connect(t, creds(sshd.password(), trustedEd25519())));
        assertEquals(Problem.AUTHENTICATION_FAILED, e.problem());
    }

    /**
     * Every way of not reaching an SSH server before it shows a host key is the same {@code unknown-host}, answered
     * no earlier than the connect timeout (issue 7 row 1): a closed, a filtered, a silent and a non-SSH port, an
     * address the policy refuses and a name that does not resolve.
     */
    @Test
    void everyUnreachableHostIsTheSameUnknownHostAfterTheConnectTimeout() throws Exception {
        Duration connect = Duration.ofSeconds(6); // a real sshd's key exchange must fit in, on a loaded machine
        HostAccessPolicy policy = new HostAccessPolicy(java.util.List.of("localhost:*"), java.util.List.of());
        try (DeadEndPort closed = DeadEndPort.closed(); DeadEndPort filtered = DeadEndPort.filtered();
                DeadEndPort silent = DeadEndPort.silent(); DeadEndPort notSsh = DeadEndPort.notSsh();
                SshConnector c = new SshConnector(settings(Map.of()).withTimeouts(connect, Duration.ofSeconds(20)),
                        policy)) {
            Map<String, HostTarget> targets = new java.util.LinkedHashMap<>();
            targets.put("closed", new HostTarget(null, "localhost", closed.port()));
            targets.put("filtered", new HostTarget(null, "localhost", filtered.port()));
            targets.put("silent", new HostTarget(null, "localhost", silent.port()));
            targets.put("not SSH", new HostTarget(null, "localhost", notSsh.port()));
            // a real sshd, but 127.0.0.1 is no name that "localhost:*" allows
            targets.put("not allowed", new HostTarget(null, "127.0.0.1", sshd.port()));
            targets.put("not resolvable", new HostTarget(null, "no-such-host.invalid", sshd.port()));
            Map<String, CompletableFuture<SshLogin>> started = new java.util.LinkedHashMap<>();
            long t0 = System.nanoTime();
            targets.forEach((why, t) -> started.put(why, c.connect(t, creds(sshd.password(), KnownHosts.EMPTY))));
            for (var e : started.entrySet()) {
                ProblemException p = failure(e.getValue());
                assertEquals(Problem.UNKNOWN_HOST, p.problem(), e.getKey() + ": " + p.getMessage());
                assertEquals("cannot reach " + targets.get(e.getKey()).withUser(sshd.user()).display(), p.getMessage(),
                        e.getKey());
                assertTrue(p.fields().isEmpty(), e.getKey());
                long ms = Duration.ofNanos(System.nanoTime() - t0).toMillis();
                assertTrue(ms >= connect.toMillis(), e.getKey() + " answered after " + ms + " ms");
            }
            // the contrast: an SSH server on an allowed port answers with its host key
            assertEquals(Problem.UNKNOWN_HOSTKEY, failure(c.connect(target(), creds(sshd.password(),
                    KnownHosts.EMPTY))).problem());
        }
    }

    /**
     * DNS rebinding (issue 7 row 9): the name passes the policy with its first answer; then DNS says a denied address.
     * The reconnect after the host-key answer goes to the address that showed the key, without a new lookup; a fresh
     * login looks the name up again and is refused.
     */
    @Test
    void reconnectAfterTheHostKeyAnswerGoesToTheCheckedAddress() throws Exception {
        java.util.concurrent.atomic.AtomicInteger lookups = new java.util.concurrent.atomic.AtomicInteger();
        SshConnector.Resolver rebinding = host -> {
            if (!host.equals("rebind.test")) {
                throw new java.net.UnknownHostException(host);
            }
            byte last = (byte) (lookups.incrementAndGet() == 1 ? 1 : 2);
            return new InetAddress[] {InetAddress.getByAddress(host, new byte[] {127, 0, 0, last})};
        };
        HostAccessPolicy policy = new HostAccessPolicy(java.util.List.of("*:*"), java.util.List.of("127.0.0.2/32"));
        HostTarget t = new HostTarget(null, "rebind.test", sshd.port());
        // refusals are answered at the connect timeout: 6 s, still enough for the key exchange on a loaded machine
        try (SshConnector c = new SshConnector(settings(Map.of()).withTimeouts(Duration.ofSeconds(6),
                Duration.ofSeconds(20)), policy, rebinding)) {
            ProblemException asked = failure(c.connect(t, creds(sshd.password(), KnownHosts.EMPTY)));
            HostKeyChallenge q = asked.hostKeyChallenge().orElseThrow();
            assertEquals(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), sshd.port()),
                    q.address());
            // from now on the name resolves to 127.0.0.2, which is denied
            SshLogin login = login(c.connect(t, creds(sshd.password(), KnownHosts.EMPTY)
                    .withConfirmedKey(q.knownHostsLine(), q.address())));
            try (ClientSession s = login.session()) {
                assertTrue(s.isAuthenticated());
                assertEquals(q.address().getAddress(), ((InetSocketAddress) s.getRemoteAddress()).getAddress());
            }
            assertEquals(1, lookups.get(), "the confirmed reconnect must not look the name up again");
            ProblemException fresh = failure(c.connect(t, creds(sshd.password(), KnownHosts.EMPTY)
                    .withConfirmedKey(q.knownHostsLine())));
            assertEquals(Problem.UNKNOWN_HOST, fresh.problem());
            assertEquals(2, lookups.get());
            // a pinned address the policy does not allow (forged or stale) is refused, without a lookup either
            ProblemException forged = failure(c.connect(t, creds(sshd.password(), KnownHosts.EMPTY)
                    .withConfirmedKey(q.knownHostsLine(), new InetSocketAddress(
                            InetAddress.getByAddress(new byte[] {127, 0, 0, 2}), sshd.port()))));
            assertEquals(Problem.UNKNOWN_HOST, forged.problem());
            assertEquals(2, lookups.get());
        }
    }

    /** Like OpenSSH, an address that refuses hands over to the next address of the same lookup. */
    @Test
    void anAddressThatRefusesHandsOverToTheNext() throws Exception {
        // sshd listens on 127.0.0.1 only, so 127.0.0.3 refuses
        SshConnector.Resolver twoAddresses = host -> new InetAddress[] {
                InetAddress.getByAddress(host, new byte[] {127, 0, 0, 3}),
                InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})};
        HostAccessPolicy policy = new HostAccessPolicy(java.util.List.of("127.0.0.0/8:*"), java.util.List.of());
        try (SshConnector c = new SshConnector(settings(Map.of()), policy, twoAddresses)) {
            HostTarget t = new HostTarget(null, "localhost", sshd.port());
            SshLogin login = login(c.connect(t, creds(sshd.password(), trustedEd25519())));
            try (ClientSession s = login.session()) {
                assertEquals(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}),
                        ((InetSocketAddress) s.getRemoteAddress()).getAddress());
            }
        }
    }

    @Test
    void execOverTheSessionWithAsyncStreams() throws Exception {
        try (ClientSession s = login(connector.connect(target(), creds(sshd.password(), trustedEd25519()))).session();
                ChannelExec ch = s.createExecChannel("echo hi; echo oops >&2; exit 3")) {
            ch.setStreaming(StreamingChannel.Streaming.Async);
            ch.open().verify(Duration.ofSeconds(10));
            assertEquals("hi\n", readAll(ch.getAsyncOut()));
            assertEquals("oops\n", readAll(ch.getAsyncErr()));
            ch.waitFor(EnumSet.of(ClientChannelEvent.EXIT_STATUS), Duration.ofSeconds(10));
            assertEquals(3, ch.getExitStatus());
        }
    }

    @Test
    void perHostKeyFromEnvironment() throws Exception {
        Path key = tmp.resolve("id_plain");
        KnownHostsTest.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString());
        sshd.authorize(Files.readString(Path.of(key + ".pub")));
        Map<String, String> env = Map.of("COCKPIT_SSH_KEY_PATH_LOCALHOST", key.toString(),
                "COCKPIT_SSH_KEY_PATH", tmp.resolve("not-used").toString());
        try (SshConnector c = new SshConnector(settings(env), ANY_HOST)) {
            // no password at all: only the key can log in
            login(c.connect(target(), creds(null, trustedEd25519()))).session().close();
        }
    }

    @Test
    void encryptedKeyIsDecryptedWithLoginPassword() throws Exception {
        Path key = tmp.resolve("id_encrypted");
        KnownHostsTest.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "key-pass", "-f", key.toString());
        sshd.authorize(Files.readString(Path.of(key + ".pub")));
        try (SshConnector c = new SshConnector(settings(Map.of("COCKPIT_SSH_KEY_PATH", key.toString())), ANY_HOST)) {
            // the login password is the key's passphrase; it is not the account password, so the key did it
            login(c.connect(target(), creds("key-pass", trustedEd25519()))).session().close();
            ProblemException e = failure(c.connect(target(), creds("wrong", trustedEd25519())));
            assertEquals(Problem.AUTHENTICATION_FAILED, e.problem());
            assertEquals("error", authMethodResults(e).get("publickey"), authMethodResults(e).toString());
        }
    }

    @Test
    void sshAgentKeysFromSshAuthSock() throws Exception {
        Path key = tmp.resolve("id_agent");
        KnownHostsTest.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString());
        sshd.authorize(Files.readString(Path.of(key + ".pub")));
        Path sock = tmp.resolve("agent.sock");
        Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", sock.toString()).redirectErrorStream(true).start();
        try {
            for (int i = 0; i < 200 && !Files.exists(sock); i++) {
                Thread.sleep(10);
            }
            ProcessBuilder pb = new ProcessBuilder("ssh-add", key.toString()).redirectErrorStream(true);
            pb.environment().put("SSH_AUTH_SOCK", sock.toString());
            Process add = pb.start();
            assertEquals(0, add.waitFor(), new String(add.getInputStream().readAllBytes()));
            try (SshConnector c = new SshConnector(settings(Map.of("SSH_AUTH_SOCK", sock.toString())), ANY_HOST)) {
                // no password and no key file: only the agent can log in
                login(c.connect(target(), creds(null, trustedEd25519()))).session().close();
            }
        } finally {
            agent.destroy();
        }
    }

    @Test
    void rsaKeyFileWorks() throws Exception {
        Path key = tmp.resolve("id_rsa");
        KnownHostsTest.run("ssh-keygen", "-q", "-t", "rsa", "-b", "3072", "-N", "", "-f", key.toString());
        sshd.authorize(Files.readString(Path.of(key + ".pub")));
        try (SshConnector c = new SshConnector(settings(Map.of("COCKPIT_SSH_KEY_PATH", key.toString())), ANY_HOST)) {
            login(c.connect(target(), creds(null, trustedEd25519()))).session().close();
        }
    }

    @Test
    void connectDoesNotBlockTheCaller() throws Exception {
        // a local listener that accepts but never speaks SSH: the future is returned at once and fails later
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
                SshConnector c = new SshConnector(settings(Map.of()).withTimeouts(Duration.ofSeconds(1),
                        Duration.ofSeconds(1)), ANY_HOST)) {
            CompletableFuture<SshLogin> f = c.connect(new HostTarget(null, "localhost", silent.getLocalPort()),
                    creds(sshd.password(), KnownHosts.EMPTY));
            assertFalse(f.isDone(), "connect must not wait for the network");
            assertEquals(Problem.UNKNOWN_HOST, failure(f).problem());
        }
    }

    private static String readAll(IoInputStream in) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            ByteArrayBuffer buf = new ByteArrayBuffer(1024);
            IoReadFuture f = in.read(buf);
            assertTrue(f.await(Duration.ofSeconds(10)), "read timed out");
            if (f.getException() != null) {
                assertInstanceOf(java.io.EOFException.class, f.getException());
                break; // end of stream
            }
            out.write(buf.array(), buf.rpos(), buf.available());
            if (f.getRead() == 0) {
                break;
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
