package io.cockpitwsjava.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.password.PasswordAuthenticator;
import org.apache.sshd.server.auth.password.PasswordChangeRequiredException;
import org.apache.sshd.server.auth.password.UserAuthPasswordFactory;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.server.session.ServerSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.cockpitwsjava.protocol.HostTarget;
import io.cockpitwsjava.protocol.LoginConversation;
import io.cockpitwsjava.protocol.Problem;
import io.cockpitwsjava.protocol.ProblemException;
import io.cockpitwsjava.protocol.Prompt;
import io.cockpitwsjava.testing.SshdTarget;

/**
 * The SSH {@code password} method's change request (RFC 4252 §8, {@code SSH_MSG_USERAUTH_PASSWD_CHANGEREQ}) is
 * answered without holding an I/O thread (issue 7 row 6). OpenSSH never sends this request (it changes expired
 * passwords through keyboard-interactive/PAM), so the server here is MINA's, which implements it; the other login
 * goes to a real OpenSSH sshd.
 */
class PasswordChangeRequestTest {

    @RegisterExtension
    static SshdTarget sshd = new SshdTarget();

    @TempDir
    Path tmp;

    SshServer server;
    volatile String changedTo;

    /** One prompt the connector asked, with the future the "user" completes. */
    record Asked(Prompt prompt, CompletableFuture<String> answer) {
    }

    final BlockingQueue<Asked> asked = new LinkedBlockingQueue<>();
    final LoginConversation user = prompt -> {
        CompletableFuture<String> f = new CompletableFuture<>();
        asked.add(new Asked(prompt, f));
        return f;
    };

    @BeforeEach
    void startServer() throws Exception {
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(new SimpleGeneratorHostKeyProvider());
        server.setUserAuthFactories(List.of(new UserAuthPasswordFactory()));
        server.setKeyboardInteractiveAuthenticator(null);
        server.setPasswordAuthenticator(new PasswordAuthenticator() {
            @Override
            public boolean authenticate(String username, String password, ServerSession session) {
                if (changedTo != null) {
                    return password.equals(changedTo);
                }
                if (password.equals("old-pw")) {
                    throw new PasswordChangeRequiredException("expired", "Choose a new password: ", "");
                }
                return false;
            }

            @Override
            public boolean handleClientPasswordChangeRequest(ServerSession session, String username,
                    String oldPassword, String newPassword) {
                if (!oldPassword.equals("old-pw")) {
                    return false;
                }
                changedTo = newPassword;
                return true;
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() throws Exception {
        server.stop(true);
    }

    /** One I/O thread for everything, so a prompt that held it would stall every other connection. */
    SshConnector oneIoThread() {
        SshSettings s = SshSettings.defaults(Map.of()).withGlobalKnownHosts(tmp.resolve("none"))
                .withTimeouts(Duration.ofSeconds(20), Duration.ofSeconds(20));
        return new SshConnector(new SshSettings(s.connectTimeout(), s.authTimeout(), s.heartbeat(),
                s.globalKnownHosts(), Map.of(), 1, s.responseTimeout()),
                new HostAccessPolicy(List.of("*:*"), List.of()));
    }

    CompletableFuture<SshLogin> changeLogin(SshConnector c) {
        // 127.0.0.1 is trusted without a question (as upstream does), so no known_hosts are needed
        return c.connect(new HostTarget(null, "127.0.0.1", server.getPort()),
                new SshCredentials("someone", "old-pw".toCharArray(), KnownHosts.EMPTY, null, false, user));
    }

    @Test
    void newPasswordIsAskedWhileTheOnlyIoThreadServesOthers() throws Exception {
        try (SshConnector c = oneIoThread()) {
            CompletableFuture<SshLogin> changing = changeLogin(c);
            Asked first = asked.poll(30, TimeUnit.SECONDS);
            assertNotNull(first, "the server's change request reached the user");
            assertEquals("Choose a new password: ", first.prompt().prompt());

            // the user reads the prompt; meanwhile another login runs over the same single I/O thread
            KnownHosts trusted = KnownHosts.parse("[localhost]:" + sshd.port() + " " + sshd.hostPublicKeyLine("ed25519")
                    + "\n");
            SshLogin other = c.connect(new HostTarget(null, "localhost", sshd.port()), new SshCredentials(sshd.user(),
                    sshd.password().toCharArray(), trusted, null, false, null)).get(30, TimeUnit.SECONDS);
            try (ClientSession s = other.session()) {
                assertTrue(s.isAuthenticated());
            }

            first.answer().complete("new-pw-1");
            Asked again = asked.poll(30, TimeUnit.SECONDS);
            assertNotNull(again);
            assertEquals("Retype new password: ", again.prompt().prompt());
            again.answer().complete("new-pw-1");
            try (ClientSession s = changing.get(30, TimeUnit.SECONDS).session()) {
                assertTrue(s.isAuthenticated());
            }
            assertEquals("new-pw-1", changedTo);
        }
    }

    @Test
    void aRetypeThatDiffersFailsTheLogin() throws Exception {
        try (SshConnector c = oneIoThread()) {
            CompletableFuture<SshLogin> changing = changeLogin(c);
            asked.poll(30, TimeUnit.SECONDS).answer().complete("new-pw-1");
            asked.poll(30, TimeUnit.SECONDS).answer().complete("new-pw-2");
            ExecutionException e = assertThrows(ExecutionException.class, () -> changing.get(30, TimeUnit.SECONDS));
            assertEquals(Problem.AUTHENTICATION_FAILED, assertInstanceOf(ProblemException.class, e.getCause()).problem());
            assertEquals(null, changedTo);
        }
    }
}
