package io.cockpitwsjava.ssh;

import java.security.KeyPair;
import java.util.Objects;

/**
 * A login that needs no person: one key pair (typically a fresh OpenSSH user certificate) and the exact host keys to
 * accept. Through {@link SshConnector#connect(io.cockpitwsjava.protocol.HostTarget, KeyLogin)} it offers only this
 * key — no password, no prompts, no key files from the environment — and trusts only {@link #hostKeys()}: not the
 * global known_hosts file unless the caller put it there, no first-contact question and no silent trust of
 * {@code 127.0.0.1}. An unknown key fails with {@code unknown-hostkey}, a different one with {@code invalid-hostkey}.
 *
 * @param user     the account to log in to
 * @param identity the key pair; its public half may be an {@link org.apache.sshd.common.config.keys.OpenSshCertificate}
 * @param hostKeys the host keys accepted for the target, matched by host and port like known_hosts lines
 */
public record KeyLogin(String user, KeyPair identity, KnownHosts hostKeys) {

    public KeyLogin {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(hostKeys, "hostKeys");
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return "KeyLogin[user=" + user + ", " + hostKeys + "]";
    }
}
