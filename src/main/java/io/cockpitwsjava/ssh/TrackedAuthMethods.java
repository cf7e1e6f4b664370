package io.cockpitwsjava.ssh;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.sshd.client.auth.UserAuthFactory;
import org.apache.sshd.client.auth.keyboard.UserAuthKeyboardInteractive;
import org.apache.sshd.client.auth.keyboard.UserAuthKeyboardInteractiveFactory;
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
 * MINA's user-auth methods in OpenSSH order ({@code publickey}, {@code keyboard-interactive}, {@code password}),
 * each noting in the login attempt that the server let us try it — MINA only starts a method the server listed —
 * which is what {@code auth-method-results} needs.
 */
final class TrackedAuthMethods {

    private TrackedAuthMethods() {
    }

    static List<UserAuthFactory> factories() {
        return List.of(new PublicKeyFactory(), new KeyboardInteractiveFactory(), new PasswordFactory());
    }

    private static void offered(ClientSession session, String method) {
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

    private static final class KeyboardInteractiveFactory extends UserAuthKeyboardInteractiveFactory {
        @Override
        public UserAuthKeyboardInteractive createUserAuth(ClientSession session) throws IOException {
            return new UserAuthKeyboardInteractive() {
                @Override
                public void init(ClientSession s, String service) throws Exception {
                    offered(s, NAME);
                    super.init(s, service);
                }
            };
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

                /** Password change: send old and new password (MINA would send the new one as both). */
                @Override
                protected boolean processAuthDataRequest(ClientSession s, String service, Buffer buffer)
                        throws Exception {
                    int cmd = buffer.getUByte();
                    if (cmd != SshConstants.SSH_MSG_USERAUTH_PASSWD_CHANGEREQ) {
                        throw new IllegalStateException("unexpected packet in password auth: " + cmd);
                    }
                    String prompt = buffer.getString();
                    String lang = buffer.getString();
                    LoginAttempt a = LoginAttempt.of(s);
                    if (a == null || !a.creds.hasPassword() || s.getUserInteraction() == null) {
                        return false;
                    }
                    String updated = s.getUserInteraction().getUpdatedPassword(s, prompt, lang);
                    if (updated == null || updated.isEmpty()) {
                        return false;
                    }
                    sendPassword(buffer, s, new String(a.creds.password()), updated);
                    return true;
                }
            };
        }
    }
}
