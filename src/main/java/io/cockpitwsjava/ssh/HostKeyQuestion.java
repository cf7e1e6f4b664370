package io.cockpitwsjava.ssh;

import java.security.PublicKey;
import java.util.Objects;

import org.apache.sshd.common.config.keys.KeyUtils;

/**
 * The question "do you trust this host key?" for an unknown host key (ws-contract §5.6.3). Its fields map 1:1 onto the
 * X-Conversation challenge JSON: {@code host-key}, {@code default}, {@code prompt}, {@code echo:false}.
 *
 * @param hostKeyField {@code "<host or [host]:port> <KEYTYPE> login-data"} (exactly three tokens)
 * @param fingerprint  {@code SHA256:<unpadded base64>}, as {@code ssh-keygen -l} prints it
 * @param keyType      as OpenSSH prints it in prompts: {@code ED25519}, {@code ECDSA}, {@code RSA}, ...
 * @param prompt       OpenSSH-like authenticity text
 * @param key          the offered key; pass it back via {@link SshCredentials#withConfirmedKey} once confirmed
 */
public record HostKeyQuestion(String hostKeyField, String fingerprint, String keyType, String prompt,
        PublicKey key) {

    public HostKeyQuestion {
        Objects.requireNonNull(hostKeyField, "hostKeyField");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(key, "key");
    }

    /** Builds the question for {@code key} offered by {@code target}. */
    public static HostKeyQuestion of(HostTarget target, PublicKey key) {
        String name = target.knownHostsName();
        String type = displayType(KeyUtils.getKeyType(key));
        String fingerprint = KeyUtils.getFingerPrint(key);
        String prompt = "The authenticity of host '" + name + "' can't be established.\n"
                + type + " key fingerprint is " + fingerprint + ".\n"
                + "Are you sure you want to continue connecting (yes/no/[fingerprint])? ";
        return new HostKeyQuestion(name + " " + type + " login-data", fingerprint, type, prompt, key);
    }

    /** True if {@code answer} confirms the key: the fingerprint itself (what login.js sends) or {@code yes}. */
    public boolean isConfirmedBy(String answer) {
        if (answer == null) {
            return false;
        }
        String a = answer.strip();
        return a.equals(fingerprint) || a.equalsIgnoreCase("yes");
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
}
