package io.cockpitwsjava.fleet;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

import io.cockpitwsjava.identity.AccessRule;
import io.cockpitwsjava.identity.Identity;

/**
 * What one certificate says: who may log in as whom, and optionally the only command it may run.
 *
 * @param principal    the SSH user the certificate is valid for (exactly one; never empty, which OpenSSH would
 *                     read as "any user")
 * @param keyId        who it was issued to; sshd logs it as {@code ID <keyId>} with every login
 * @param forceCommand if present, sshd runs this instead of any command the client asks for
 */
public record CertificateRequest(String principal, String keyId, Optional<String> forceCommand) {

    /** Longest key id accepted (it is logged on the VMs). */
    public static final int MAX_KEY_ID = 256;
    /** Key id of the status prober's certificates. */
    public static final String PROBE_KEY_ID = "cockpit-ws-java-prober";

    public CertificateRequest {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(forceCommand, "forceCommand");
        AccessRule.checkSshUser(principal);
        if (keyId.isEmpty() || keyId.length() > MAX_KEY_ID || !keyId.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("key id must be 1.." + MAX_KEY_ID + " printable ASCII characters");
        }
        forceCommand.ifPresent(c -> {
            if (c.isBlank() || c.chars().anyMatch(ch -> ch == '\n' || ch == '\r' || ch == 0)) {
                throw new IllegalArgumentException("force-command must be one non-empty line");
            }
        });
    }

    /** A login of {@code who} as {@code sshUser} (the access rules' answer). */
    public static CertificateRequest login(Identity who, String sshUser) {
        return new CertificateRequest(sshUser, keyId(who), Optional.empty());
    }

    /** The prober's login as {@code sshUser}, able to run {@code command} only. */
    public static CertificateRequest probe(String sshUser, String command) {
        return new CertificateRequest(sshUser, PROBE_KEY_ID, Optional.of(command));
    }

    /**
     * The key id for an identity: its user name, with every byte outside printable ASCII (and space, {@code %},
     * {@code "} and {@code \}) percent-encoded from UTF-8. It is written into the VMs' logs, so it must not carry control characters, and it
     * must still name the person unambiguously.
     */
    public static String keyId(Identity who) {
        StringBuilder b = new StringBuilder();
        for (byte x : who.user().getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if (c > 0x20 && c < 0x7f && c != '%' && c != '"' && c != '\\') {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        String id = b.toString();
        if (id.length() > MAX_KEY_ID) {
            throw new IllegalArgumentException("user name too long for a certificate key id");
        }
        return id;
    }
}
