package io.cockpitwsjava.ssh;

import java.security.PublicKey;
import java.time.Instant;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.common.signature.Signature;

/**
 * Whether an OpenSSH host certificate is good for a host, given the CA a {@code @cert-authority} line trusts for it
 * (OpenSSH {@code PROTOCOL.certkeys}): a host certificate, valid now, signed by that CA with an algorithm of the CA's
 * key type, without critical options (none are defined for host certificates; an unknown one must not be ignored),
 * and naming the host among its principals: the host as the login names it (its name or address), or another name
 * the caller gives (an inventory host's name). An empty principal list is refused, although the format lets it mean
 * "any host": a certificate that fits every host would let one compromised host stand in for all others.
 *
 * <p>The key exchange has already proved that the server holds the certified key's private half; this checks what
 * the certificate says about it. MINA's own check, which compares principals with the connect address only, is
 * switched off for this ({@link HostCertificateKex}).
 */
public final class HostCertificateCheck {

    private HostCertificateCheck() {
    }

    /** Why {@code cert} is not acceptable for a host called {@code names} (lower case), or empty if it is. */
    public static Optional<String> problem(OpenSshCertificate cert, PublicKey ca, Collection<String> names,
            Instant now) {
        if (cert.getType() != OpenSshCertificate.Type.HOST) {
            return Optional.of("not a host certificate");
        }
        if (!KeyUtils.compareKeys(ca, cert.getCaPubKey())) {
            return Optional.of("signed by another CA");
        }
        if (!OpenSshCertificate.isValidAt(cert, now)) {
            return Optional.of("not valid now (valid " + validity(cert) + ")");
        }
        if (!cert.getCriticalOptions().isEmpty()) {
            return Optional.of("has critical options, which host certificates do not define");
        }
        Collection<String> principals = cert.getPrincipals();
        if (principals == null || principals.isEmpty()) {
            return Optional.of("names no host (empty principals)");
        }
        boolean named = principals.stream().anyMatch(p -> names.contains(p.toLowerCase(Locale.ROOT)));
        if (!named) {
            return Optional.of("is for " + principals + ", not for " + names);
        }
        if (!signatureVerifies(cert, ca)) {
            return Optional.of("its CA signature does not verify");
        }
        return Optional.empty();
    }

    private static boolean signatureVerifies(OpenSshCertificate cert, PublicKey ca) {
        String algorithm = cert.getSignatureAlgorithm();
        if (algorithm == null || !KeyUtils.getKeyType(ca).equals(KeyUtils.getCanonicalKeyType(algorithm))) {
            return false;
        }
        BuiltinSignatures factory = BuiltinSignatures.fromFactoryName(algorithm);
        if (factory == null || !factory.isSupported()) {
            return false;
        }
        try {
            Signature verifier = factory.create();
            verifier.initVerifier(null, ca);
            verifier.update(null, cert.getMessage());
            return verifier.verify(null, cert.getSignature());
        } catch (Exception e) {
            return false;
        }
    }

    private static String validity(OpenSshCertificate cert) {
        return Instant.ofEpochSecond(cert.getValidAfter()) + " to "
                + (cert.getValidBefore() == OpenSshCertificate.INFINITY ? "forever"
                        : Instant.ofEpochSecond(cert.getValidBefore()).toString());
    }
}
