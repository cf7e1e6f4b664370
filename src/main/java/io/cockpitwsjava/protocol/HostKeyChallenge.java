package io.cockpitwsjava.protocol;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * "Do you trust this host key?" for an unknown key (docs/protocol.md §5.6.3): what the login's X-Conversation challenge
 * and a multi-host peer's failing {@code close} carry. The user confirms by answering with the fingerprint (what the
 * login page sends) or {@code yes}; the next connection then accepts exactly {@link #knownHostsLine()}.
 *
 * @param prompt         OpenSSH-like authenticity text
 * @param fingerprint    {@code SHA256:<unpadded base64>}, as {@code ssh-keygen -l} prints it
 * @param loginHostKey   {@code "<host or [host]:port> <KEYTYPE> login-data"}: the challenge JSON's {@code host-key}
 * @param knownHostsLine {@code "<host or [host]:port> <key type> <base64>"}: the key as one known_hosts line
 * @param address        the checked address that showed the key, or {@code null}: the reconnect after the answer
 *                       goes there without a new name lookup (a changed DNS answer must not redirect the login the
 *                       user confirmed). Never sent to the client.
 */
public record HostKeyChallenge(String prompt, String fingerprint, String loginHostKey, String knownHostsLine,
        InetSocketAddress address) {

    public HostKeyChallenge {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(loginHostKey, "loginHostKey");
        Objects.requireNonNull(knownHostsLine, "knownHostsLine");
    }

    /** A challenge not tied to an address. */
    public HostKeyChallenge(String prompt, String fingerprint, String loginHostKey, String knownHostsLine) {
        this(prompt, fingerprint, loginHostKey, knownHostsLine, null);
    }

    /** True if {@code answer} confirms the key: the fingerprint itself or {@code yes} (any case). */
    public boolean isConfirmedBy(String answer) {
        if (answer == null) {
            return false;
        }
        String a = answer.strip();
        return a.equals(fingerprint) || a.equalsIgnoreCase("yes");
    }
}
