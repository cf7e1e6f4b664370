package io.cockpitwsjava.fleet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.jboss.logging.Logger;

/**
 * The user certificate authority's private key ({@code cockpit.fleet.user-ca-key}): an unencrypted OpenSSH private
 * key file holding exactly one Ed25519, ECDSA or RSA key. The VMs trust its public half through
 * {@code TrustedUserCAKeys}. The key never leaves this object: {@link #toString()} and every message name only the
 * file and the public key's fingerprint.
 */
public final class UserCaKey {

    private static final Logger LOG = Logger.getLogger(UserCaKey.class);

    static {
        MinaSecurity.init();
    }

    private final Path file;
    private final KeyPair keyPair;

    private UserCaKey(Path file, KeyPair keyPair) {
        this.file = file;
        this.keyPair = keyPair;
    }

    /**
     * Reads the key; logs a warning if the file is readable by group or others.
     *
     * @throws IOException              if the file cannot be read
     * @throws GeneralSecurityException if it holds no usable key, several keys, or an encrypted key
     */
    public static UserCaKey load(Path file) throws IOException, GeneralSecurityException {
        permissionWarning(file).ifPresent(LOG::warn);
        // no passphrase source: an encrypted key is refused with a message instead of a prompt or a guess
        FilePasswordProvider noPassphrase = (session, resource, retry) -> {
            throw new IOException("the user CA key " + file + " is encrypted; the gateway needs it unencrypted"
                    + " (protect the file by its mode and the Secret it comes from)");
        };
        List<KeyPair> keys = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            Iterable<KeyPair> loaded = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(file.toString()),
                    in, noPassphrase);
            if (loaded != null) {
                loaded.forEach(keys::add);
            }
        } catch (IOException | GeneralSecurityException e) {
            throw e;
        } catch (RuntimeException e) {
            // MINA's parsers throw unchecked exceptions for garbage; their messages hold no key material
            throw new GeneralSecurityException("cannot read the user CA key " + file + ": " + e.getMessage(), e);
        }
        if (keys.size() != 1) {
            throw new GeneralSecurityException("the user CA key file " + file + " must hold exactly one private key, "
                    + "found " + keys.size());
        }
        KeyPair pair = keys.get(0);
        String type = KeyUtils.getKeyType(pair);
        if (type == null || type.contains("-cert-") || type.startsWith("sk-")) {
            throw new GeneralSecurityException("unsupported user CA key type in " + file + ": " + type);
        }
        UserCaKey ca = new UserCaKey(file, pair);
        LOG.infof("user CA key %s loaded: %s", file, ca.fingerprint());
        return ca;
    }

    /**
     * A warning if {@code file} is readable by others, or by a group the gateway does not run in. A Kubernetes Secret
     * mounts with mode 0644 unless {@code defaultMode} says otherwise, and with an {@code fsGroup} the kubelet gives
     * the pod's group read access whatever the mode: that group is the gateway's own, so it is no warning. Empty on
     * file systems without POSIX permissions.
     */
    public static Optional<String> permissionWarning(Path file) {
        return permissionWarning(file, ownGroups());
    }

    static Optional<String> permissionWarning(Path file, Set<Integer> ownGroups) {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            boolean others = mode.contains(PosixFilePermission.OTHERS_READ);
            boolean group = mode.contains(PosixFilePermission.GROUP_READ);
            if (group && !others && ownGroups.contains(fileGroup(file))) {
                return Optional.empty();
            }
            if (group || others) {
                return Optional.of("the user CA key " + file + " is readable by " + (others ? "others" : "its group")
                        + " (" + PosixFilePermissions.toString(mode) + "): make it readable by the gateway's user"
                        + " (or a group of its own) only (chmod 600, or defaultMode: 0400 on the Secret volume)");
            }
            return Optional.empty();
        } catch (UnsupportedOperationException | IOException e) {
            return Optional.empty();
        }
    }

    private static Integer fileGroup(Path file) throws IOException {
        try {
            return (Integer) Files.getAttribute(file, "unix:gid");
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The gateway process's groups (real, effective, supplementary) from {@code /proc/self/status}; empty elsewhere. */
    static Set<Integer> ownGroups() {
        try {
            return groupsFromStatus(Files.readString(Path.of("/proc/self/status")));
        } catch (IOException | RuntimeException e) {
            return Set.of();
        }
    }

    /** The ids on the {@code Gid:} and {@code Groups:} lines of a {@code /proc/<pid>/status} text. */
    static Set<Integer> groupsFromStatus(String status) {
        Set<Integer> groups = new java.util.HashSet<>();
        for (String line : status.split("\n")) {
            if (line.startsWith("Gid:") || line.startsWith("Groups:")) {
                for (String id : line.substring(line.indexOf(':') + 1).trim().split("\\s+")) {
                    if (!id.isEmpty()) {
                        groups.add(Integer.parseInt(id));
                    }
                }
            }
        }
        return Set.copyOf(groups);
    }

    /** The line to put into the VMs' {@code TrustedUserCAKeys} file. */
    public String publicKeyLine() {
        return PublicKeyEntry.toString(keyPair.getPublic());
    }

    /** {@code SHA256:...} of the public key, as {@code ssh-keygen -l} and sshd's log show it. */
    public String fingerprint() {
        return KeyUtils.getFingerPrint(keyPair.getPublic());
    }

    /** The file the key came from. */
    public Path file() {
        return file;
    }

    /** For the signer only. */
    KeyPair keyPair() {
        return keyPair;
    }

    @Override
    public String toString() {
        return "UserCaKey[" + file + ", " + KeyUtils.getKeyType(keyPair) + " " + fingerprint() + "]";
    }
}
