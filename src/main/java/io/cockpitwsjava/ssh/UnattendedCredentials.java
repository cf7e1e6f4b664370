package io.cockpitwsjava.ssh;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Credentials of the gateway itself that log in without anything secret from the user (issue 7 row 13): an
 * unencrypted private key ({@code COCKPIT_SSH_KEY_PATH}, {@code COCKPIT_SSH_KEY_PATH_<HOST>}) or an ssh-agent
 * ({@code SSH_AUTH_SOCK}). With one of those, whoever reaches the login page logs in with just a user name — to every
 * host the allow-list admits that accepts the key. An encrypted key is different: the login password decrypts it.
 *
 * @param shared  the key and agent used for every host: {@code COCKPIT_SSH_KEY_PATH} if unencrypted, the agent
 * @param perHost unencrypted keys that only their named host gets ({@code COCKPIT_SSH_KEY_PATH_<HOST>})
 */
public record UnattendedCredentials(List<String> shared, List<String> perHost) {

    /** Looks at the environment the connector uses; reads key files (once, at start-up). */
    public static UnattendedCredentials of(Map<String, String> env) {
        List<String> shared = new ArrayList<>();
        List<String> perHost = new ArrayList<>();
        String prefix = UserKeyFile.VARIABLE + "_";
        env.forEach((name, value) -> {
            if (value == null || value.isBlank()) {
                return;
            }
            if (name.equals(UserKeyFile.VARIABLE) && unencrypted(Path.of(value))) {
                shared.add("the unencrypted key " + value + " (" + name + ")");
            } else if (name.startsWith(prefix) && unencrypted(Path.of(value))) {
                perHost.add("the unencrypted key " + value + " for host "
                        + name.substring(prefix.length()).toLowerCase(Locale.ROOT) + " (" + name + ")");
            } else if (name.equals("SSH_AUTH_SOCK")) {
                shared.add("the ssh-agent at " + value + " (SSH_AUTH_SOCK)");
            }
        });
        shared.sort(null);
        perHost.sort(null);
        return new UnattendedCredentials(List.copyOf(shared), List.copyOf(perHost));
    }

    /** True if a shared key or agent meets an allow-list that admits any host: the case the start-up warns about. */
    public boolean exposedToAnyHost(HostAccessPolicy policy) {
        return !shared.isEmpty() && policy.admitsAnyHost();
    }

    /** The start-up warning for {@link #exposedToAnyHost}, or empty. */
    public Optional<String> warning(HostAccessPolicy policy) {
        if (!exposedToAnyHost(policy)) {
            return Optional.empty();
        }
        return Optional.of("Anyone who reaches the login page can log in with just a user name: "
                + String.join(" and ", shared) + " let the gateway log in without the user's password, and "
                + "cockpit.ssh.allowed-hosts admits any host. Name the hosts in cockpit.ssh.allowed-hosts, encrypt the "
                + "key (the login password then decrypts it) or put an authenticating proxy in front.");
    }

    /** A note for the credentials that are limited (by the allow-list or to one host), or empty. */
    public Optional<String> note(HostAccessPolicy policy) {
        List<String> limited = new ArrayList<>(perHost);
        if (!exposedToAnyHost(policy)) {
            limited.addAll(shared);
        }
        if (limited.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("Logins need only a user name where these credentials are accepted: "
                + String.join(", ", limited) + " (limited by cockpit.ssh.allowed-hosts or to their host).");
    }

    /** A key that loads without a passphrase; an encrypted or unreadable one does not count. */
    private static boolean unencrypted(Path file) {
        try {
            UserKeyFile.load(file, null);
            return true;
        } catch (Exception encryptedOrUnreadable) {
            return false;
        }
    }
}
