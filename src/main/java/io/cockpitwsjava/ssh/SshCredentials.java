package io.cockpitwsjava.ssh;

import io.cockpitwsjava.protocol.LoginConversation;
import io.cockpitwsjava.protocol.HostTarget;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * What one login attempt brings to {@link SshConnector#connect}.
 *
 * @param user          the login user (the Basic user); used when the {@link HostTarget} names no user
 * @param password      the login password, used at most once; {@code null} or empty = no password-based methods.
 *                      Also decrypts an encrypted {@code COCKPIT_SSH_KEY_PATH} key. Not copied: the caller may wipe it
 *                      once the returned future has completed.
 * @param trusted       the browser's known-hosts lines ({@link KnownHosts#parse}); the global file from
 *                      {@link SshSettings#globalKnownHosts()} is added by the connector
 * @param confirmedKey  the known_hosts line ({@link io.cockpitwsjava.protocol.HostKeyChallenge#knownHostsLine()}) of a
 *                      host key the user accepted in an earlier X-Conversation round of THIS login, or {@code null};
 *                      accepted only if the server offers exactly this key
 * @param mayAskHostKey true if an unknown host key may be turned into a question
 *                      ({@link io.cockpitwsjava.protocol.HostKeyChallenge}),
 *                      false to fail with {@code unknown-hostkey} outright
 * @param conversation  asks the user for keyboard-interactive prompts and password changes; {@code null} = such
 *                      prompts fail the login
 * @param pinnedAddress the address that showed the confirmed key
 *                      ({@link io.cockpitwsjava.protocol.HostKeyChallenge#address()}): the login connects there,
 *                      without a new name lookup, if the policy still allows it; {@code null} = resolve the name
 */
public record SshCredentials(String user, char[] password, KnownHosts trusted, String confirmedKey,
        boolean mayAskHostKey, LoginConversation conversation, InetSocketAddress pinnedAddress) {

    public SshCredentials {
        trusted = Objects.requireNonNullElse(trusted, KnownHosts.EMPTY);
    }

    /** Credentials that resolve the host name (no pinned address). */
    public SshCredentials(String user, char[] password, KnownHosts trusted, String confirmedKey,
            boolean mayAskHostKey, LoginConversation conversation) {
        this(user, password, trusted, confirmedKey, mayAskHostKey, conversation, null);
    }

    /** True if a non-empty password was given. */
    public boolean hasPassword() {
        return password != null && password.length > 0;
    }

    /** Same credentials with {@code key} as the user-confirmed host key (the reconnect after the host-key question). */
    public SshCredentials withConfirmedKey(String key) {
        return new SshCredentials(user, password, trusted, key, mayAskHostKey, conversation, pinnedAddress);
    }

    /** Same credentials for the reconnect after a host-key question: the confirmed key, at the address that showed it. */
    public SshCredentials withConfirmedKey(String key, InetSocketAddress address) {
        return new SshCredentials(user, password, trusted, key, mayAskHostKey, conversation, address);
    }

    @Override
    public String toString() {
        // never print the password
        return "SshCredentials[user=" + user + ", password=" + (hasPassword() ? "(set)" : "(none)")
                + ", confirmedKey=" + (confirmedKey != null) + ", mayAskHostKey=" + mayAskHostKey
                + ", pinnedAddress=" + pinnedAddress + "]";
    }
}
