package io.cockpitwsjava.ssh;

import io.cockpitwsjava.protocol.HostTarget;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * The private key named by {@code COCKPIT_SSH_KEY_PATH_<HOST>} (host upper-cased) or else {@code COCKPIT_SSH_KEY_PATH}
 * (docs/protocol.md §9.2); an encrypted key is decrypted with the login password.
 */
final class UserKeyFile {

    static final String VARIABLE = "COCKPIT_SSH_KEY_PATH";

    private UserKeyFile() {
    }

    /** The key file configured for {@code target}, or null. */
    static Path pathFor(Map<String, String> env, HostTarget target) {
        String perHost = env.get(VARIABLE + "_" + target.host().toUpperCase(Locale.ROOT));
        String path = perHost != null && !perHost.isEmpty() ? perHost : env.get(VARIABLE);
        return path == null || path.isEmpty() ? null : Path.of(path);
    }

    /** Loads the key pair(s) in {@code file}; throws if the file is unreadable or cannot be decrypted. */
    static List<KeyPair> load(Path file, char[] password) throws Exception {
        FilePasswordProvider passwords = password == null || password.length == 0
                ? FilePasswordProvider.EMPTY
                : FilePasswordProvider.of(new String(password));
        List<KeyPair> keys = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            Iterable<KeyPair> loaded = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(file.toString()),
                    in, passwords);
            if (loaded != null) {
                loaded.forEach(keys::add);
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no key in " + file);
        }
        return keys;
    }
}
