package io.cockpitwsjava.ssh;

import java.net.SocketAddress;
import java.security.PublicKey;

import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.jboss.logging.Logger;

/**
 * The client's only {@link ServerKeyVerifier}: checks the offered key against the trusted set of the login attempt
 * that opened the session (beiboot §13.4). It never blocks: an unknown key is rejected and recorded, and the caller
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
        HostKeyStatus status = a.trusted.check(a.target, key);
        String fp = KeyUtils.getFingerPrint(key);
        switch (status) {
            case TRUSTED:
                LOG.debugf("host key of %s trusted: %s", a.target.knownHostsName(), fp);
                return true;
            case CHANGED:
                LOG.infof("host key of %s does not match the known keys: %s", a.target.knownHostsName(), fp);
                a.hostKeyProblem = SshLoginException.INVALID_HOSTKEY;
                return false;
            default:
                break;
        }
        if (a.creds.confirmedKey() != null) {
            if (a.isConfirmed(key)) {
                accept(a, key, "confirmed by the user");
                return true;
            }
            LOG.infof("host key of %s differs from the one the user confirmed: %s", a.target.knownHostsName(), fp);
            a.hostKeyProblem = SshLoginException.INVALID_HOSTKEY;
            return false;
        }
        if (SILENTLY_TRUSTED_HOST.equals(a.target.host())) {
            accept(a, key, "local host");
            return true;
        }
        a.hostKeyProblem = SshLoginException.UNKNOWN_HOSTKEY;
        if (a.creds.mayAskHostKey()) {
            a.hostKeyQuestion = HostKeyQuestion.of(a.target, key);
        }
        LOG.debugf("host key of %s unknown: %s", a.target.knownHostsName(), fp);
        return false;
    }

    private static void accept(LoginAttempt a, PublicKey key, String why) {
        a.acceptedLine = KnownHosts.line(a.target, key);
        LOG.debugf("host key of %s accepted (%s): %s", a.target.knownHostsName(), why, KeyUtils.getFingerPrint(key));
    }
}
