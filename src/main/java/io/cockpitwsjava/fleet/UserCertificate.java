package io.cockpitwsjava.fleet;

import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.common.signature.Signature;

/**
 * A freshly made key pair whose public half is an OpenSSH user certificate: what one login authenticates with.
 * Lives in memory only, for one login.
 *
 * <p>To log in with it, MINA needs {@code session.addPublicKeyIdentity(certificate.keyPair())} and, in the
 * {@code publickey} method's signature list, the certificate algorithm ({@link #AUTH_SIGNATURES}); without it MINA
 * skips the key silently.
 *
 * @param keyPair      public: the {@link OpenSshCertificate}; private: the matching fresh private key
 * @param serial       the certificate serial (unsigned 64-bit; sshd logs it as {@code serial <n>})
 * @param keyId        the certificate key id (sshd logs it as {@code ID <keyId>})
 * @param principal    the one SSH user it is valid for
 * @param validAfter   start of validity (backdated by the clock-skew allowance)
 * @param validBefore  end of validity
 * @param forceCommand the forced command, if any
 */
public record UserCertificate(KeyPair keyPair, long serial, String keyId, String principal, Instant validAfter,
        Instant validBefore, Optional<String> forceCommand) {

    /** The signature algorithm of our certificates (ECDSA P-256 keys): add it to MINA's publickey method. */
    public static final List<NamedFactory<Signature>> AUTH_SIGNATURES = List.of(BuiltinSignatures.nistp256_cert);

    public UserCertificate {
        Objects.requireNonNull(keyPair, "keyPair");
        if (!(keyPair.getPublic() instanceof OpenSshCertificate)) {
            throw new IllegalArgumentException("the public key must be an OpenSSH certificate");
        }
    }

    /** The certificate itself. */
    public OpenSshCertificate certificate() {
        return (OpenSshCertificate) keyPair.getPublic();
    }

    /** The serial as sshd prints it (unsigned decimal), for the audit log. */
    public String serialText() {
        return Long.toUnsignedString(serial);
    }

    /** Never prints the private key. */
    @Override
    public String toString() {
        return "UserCertificate[serial " + serialText() + ", id " + keyId + ", principal " + principal + ", valid "
                + validAfter + ".." + validBefore + forceCommand.map(c -> ", force-command").orElse("") + "]";
    }
}
