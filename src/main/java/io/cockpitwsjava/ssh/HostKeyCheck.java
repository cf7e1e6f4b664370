package io.cockpitwsjava.ssh;

import java.net.SocketAddress;
import java.security.PublicKey;

import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.jboss.logging.Logger;

import io.cockpitwsjava.protocol.HostKeyChallenge;
import io.cockpitwsjava.protocol.HostTarget;
import io.cockpitwsjava.protocol.LogText;
import io.cockpitwsjava.protocol.Problem;

/**
 * The client's only {@link ServerKeyVerifier}: checks the offered key against the trusted set of the login attempt
 * that opened the session (docs/beiboot.md §13.4). It never blocks: an unknown key is rejected and recorded, and the caller
 * may reconnect with the key confirmed by the user.
 */
final class HostKeyCheck implements ServerKeyVerifier {

    private static final Logger LOG = Logger.getLogger(HostKeyCheck.class);
    /** Upstream accepts an unknown key for exactly this host string without asking. */
    static final String SILENTLY_TRUSTED_HOST = "127.0.0.1";

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remote, PublicKey key) {
        LoginAttempt a = LoginAttempt.of(session);
        if (a == null) {
            LOG.warn("host key check without a login attempt; rejecting");
            return false;
        }
        HostKeyStatus status = a.hostKeys().check(a.target, key);
        OpenSshCertificate certificate = key instanceof OpenSshCertificate c ? c : null;
        // a certificate that no trusted CA vouches for is a plain key to everything below (questions, known_hosts)
        key = certificate != null ? certificate.getCertPubKey() : key;
        String fp = KeyUtils.getFingerPrint(key);
        switch (status) {
            case TRUSTED:
                LOG.debugf("host key of %s trusted: %s%s", a.target.knownHostsName(), fp,
                        certificate != null ? " (host certificate " + LogText.quoted(certificate.getId()) + ")" : "");
                return true;
            case CHANGED:
                String why = certificate == null ? "" : a.hostKeys().certificateProblem(a.target, certificate)
                        .map(p -> " (host certificate " + LogText.quoted(certificate.getId()) + " " + p + ")")
                        .orElse("");
                LOG.infof("host key of %s does not match the known keys: %s%s", a.target.knownHostsName(), fp, why);
                a.hostKeyProblem = Problem.INVALID_HOSTKEY;
                return false;
            default:
                break;
        }
        if (a.keyLogin != null) {
            // a login without a person: nobody to ask, and no first-contact trust
            LOG.debugf("host key of %s is not among the expected keys: %s", a.target.knownHostsName(), fp);
            a.hostKeyProblem = Problem.UNKNOWN_HOSTKEY;
            return false;
        }

        if (a.creds.confirmedKey() != null) {
            if (a.isConfirmed(key)) {
                accept(a, key, "confirmed by the user");
                return true;
            }
            LOG.infof("host key of %s differs from the one the user confirmed: %s", a.target.knownHostsName(), fp);
            a.hostKeyProblem = Problem.INVALID_HOSTKEY;
            return false;
        }
        if (SILENTLY_TRUSTED_HOST.equals(a.target.host())) {
            accept(a, key, "local host");
            return true;
        }
        a.hostKeyProblem = Problem.UNKNOWN_HOSTKEY;
        if (a.creds.mayAskHostKey()) {
            a.hostKeyChallenge = challenge(a.target, key, a.address);
        }
        LOG.debugf("host key of %s unknown: %s", a.target.knownHostsName(), fp);
        return false;
    }

    /** The question for {@code key} offered by {@code target}, with OpenSSH's wording and key type names. */
    static HostKeyChallenge challenge(HostTarget target, PublicKey key) {
        return challenge(target, key, null);
    }

    /** The question for {@code key} offered by {@code target} at {@code address} (where the reconnect goes). */
    static HostKeyChallenge challenge(HostTarget target, PublicKey key, java.net.InetSocketAddress address) {
        String name = target.knownHostsName();
        String type = displayType(KeyUtils.getKeyType(key));
        String fingerprint = KeyUtils.getFingerPrint(key);
        String prompt = "The authenticity of host '" + name + "' can't be established.\n"
                + type + " key fingerprint is " + fingerprint + ".\n"
                + "Are you sure you want to continue connecting (yes/no/[fingerprint])? ";
        return new HostKeyChallenge(prompt, fingerprint, name + " " + type + " login-data", KnownHosts.line(target, key),
                address);
    }

    /** OpenSSH's short key type names, as in "ED25519 key fingerprint is ...". */
    static String displayType(String sshKeyType) {
        if (sshKeyType == null) {
            return "UNKNOWN";
        }
        return switch (sshKeyType) {
            case "ssh-ed25519" -> "ED25519";
            case "sk-ssh-ed25519@openssh.com" -> "ED25519-SK";
            case "ssh-rsa", "rsa-sha2-256", "rsa-sha2-512" -> "RSA";
            case "ssh-dss" -> "DSA";
            case "sk-ecdsa-sha2-nistp256@openssh.com" -> "ECDSA-SK";
            default -> sshKeyType.startsWith("ecdsa-sha2-") ? "ECDSA" : sshKeyType.toUpperCase(java.util.Locale.ROOT);
        };
    }

    private static void accept(LoginAttempt a, PublicKey key, String why) {
        a.acceptedLine = KnownHosts.line(a.target, key);
        LOG.debugf("host key of %s accepted (%s): %s", a.target.knownHostsName(), why, KeyUtils.getFingerPrint(key));
    }
}
