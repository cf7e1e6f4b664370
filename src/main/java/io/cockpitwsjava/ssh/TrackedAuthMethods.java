package io.cockpitwsjava.ssh;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.sshd.client.auth.AbstractUserAuthFactory;
import org.apache.sshd.client.auth.UserAuth;
import org.apache.sshd.client.auth.UserAuthFactory;
import org.apache.sshd.client.auth.password.UserAuthPassword;
import org.apache.sshd.client.auth.password.UserAuthPasswordFactory;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKey;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.common.signature.Signature;
import org.apache.sshd.common.util.buffer.Buffer;

/**
 * The user-auth methods in OpenSSH order ({@code publickey}, {@code keyboard-interactive}, {@code password}), each
 * noting in the login attempt that the server let us try it — MINA only starts a method the server listed — which is
 * what {@code auth-method-results} needs. The two that may ask the user ({@code keyboard-interactive}, the password
 * change of {@code password}) answer asynchronously: no I/O thread waits for a human.
 */
final class TrackedAuthMethods {

    private TrackedAuthMethods() {
    }

    static List<UserAuthFactory> factories() {
        return List.of(new PublicKeyFactory(), new KeyboardInteractiveFactory(), new PasswordFactory());
    }

    static void offered(ClientSession session, String method) {
        LoginAttempt a = LoginAttempt.of(session);
        if (a != null) {
            a.offeredMethods.add(method);
        }
    }

    /**
     * The publickey method's algorithms: the plain ones the client also uses for host keys, plus OpenSSH user
     * certificates ({@link KeyLogin}). MINA skips a certificate identity without a word when its algorithm is missing
     * here; listing certificates only here, not in the client's list, keeps them out of the key exchange, where they
     * would ask servers for host certificates.
     */
    static final List<BuiltinSignatures> CERTIFICATE_ALGORITHMS = List.of(BuiltinSignatures.ed25519_cert,
            BuiltinSignatures.nistp256_cert, BuiltinSignatures.nistp384_cert, BuiltinSignatures.nistp521_cert,
            BuiltinSignatures.rsaSHA512_cert, BuiltinSignatures.rsaSHA256_cert);

    static List<NamedFactory<Signature>> publickeyAlgorithms() {
        List<NamedFactory<Signature>> out = new ArrayList<>();
        for (BuiltinSignatures s : SshConnector.ALGORITHM_ORDER) {
            if (s.isSupported()) {
                out.add(s);
            }
        }
        CERTIFICATE_ALGORITHMS.stream().filter(BuiltinSignatures::isSupported).forEach(out::add);
        return out;
    }

    private static final class PublicKeyFactory extends UserAuthPublicKeyFactory {
        PublicKeyFactory() {
            super(publickeyAlgorithms());
        }

        @Override
        public UserAuthPublicKey createUserAuth(ClientSession session) throws IOException {
            return new UserAuthPublicKey(getSignatureFactories()) {
                @Override
                public void init(ClientSession s, String service) throws Exception {
                    offered(s, NAME);
                    super.init(s, service);
                }
            };
        }
    }

    /** Our {@link KeyboardInteractiveAuth} under MINA's factory name. */
    private static final class KeyboardInteractiveFactory extends AbstractUserAuthFactory {
        KeyboardInteractiveFactory() {
            super(KeyboardInteractiveAuth.NAME);
        }

        @Override
        public UserAuth createUserAuth(ClientSession session) throws IOException {
            return new KeyboardInteractiveAuth(); // notes itself as offered
        }
    }

    private static final class PasswordFactory extends UserAuthPasswordFactory {
        @Override
        public UserAuthPassword createUserAuth(ClientSession session) throws IOException {
            return new UserAuthPassword() {
                @Override
                public void init(ClientSession s, String service) throws Exception {
                    offered(s, NAME);
                    super.init(s, service);
                }

                /**
                 * Password change: ask the user for the new password without holding this I/O thread, then send old
                 * and new password (MINA would send the new one as both) from the thread that got the answer.
                 */
                @Override
                protected boolean processAuthDataRequest(ClientSession s, String service, Buffer buffer)
                        throws Exception {
                    int cmd = buffer.getUByte();
                    if (cmd != SshConstants.SSH_MSG_USERAUTH_PASSWD_CHANGEREQ) {
                        throw new IllegalStateException("unexpected packet in password auth: " + cmd);
                    }
                    String prompt = buffer.getString();
                    buffer.getString(); // language tag
                    LoginAttempt a = LoginAttempt.of(s);
                    if (a == null || !a.creds.hasPassword() || a.creds.conversation() == null) {
                        return false;
                    }
                    String old = new String(a.creds.password());
                    LoginPrompts.newPassword(a, prompt).whenComplete((updated, error) -> {
                        if (a.result.isDone()) {
                            return;
                        }
                        if (error != null) {
                            a.fail(LoginPrompts.unanswered(a, error));
                        } else if (updated == null || updated.isEmpty()) {
                            a.fail(SshConnector.loginFailure(a, null));
                        } else {
                            try {
                                sendPassword(null, s, old, updated);
                            } catch (Exception e) {
                                a.fail(SshConnector.loginFailure(a, e));
                            }
                        }
                    });
                    return true;
                }
            };
        }
    }
}
