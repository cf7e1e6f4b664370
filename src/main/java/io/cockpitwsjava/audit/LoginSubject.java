package io.cockpitwsjava.audit;

import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Who logs in to which host, as the audit log names it: the facts of a {@code host-login} line other than its outcome,
 * and the identity and host of every later line of the session.
 *
 * @param identity          who: the signed-in person, or the SSH user of a password login
 * @param host              the inventory name, or the host as typed for a password login (without user)
 * @param sshUser           the account on the host
 * @param certificateSerial the serial of the certificate the login used, if any
 * @param rule              the access rule that granted the login (1 = first), if any
 * @param client            the client address (optional)
 */
public record LoginSubject(String identity, String host, String sshUser, OptionalLong certificateSerial,
        OptionalInt rule, String client) {

    public LoginSubject {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(certificateSerial, "certificateSerial");
        Objects.requireNonNull(rule, "rule");
    }

    /** A password (or key) login: the SSH user is the identity. */
    public static LoginSubject password(String sshUser, String host, String client) {
        return new LoginSubject(sshUser, host, sshUser, OptionalLong.empty(), OptionalInt.empty(), client);
    }

    /** A certificate login on behalf of a signed-in person, granted by access rule {@code rule} (1 = first). */
    public static LoginSubject certificate(String identity, String host, String sshUser, long serial, int rule,
            String client) {
        return new LoginSubject(identity, host, sshUser, OptionalLong.of(serial), OptionalInt.of(rule), client);
    }

    /** The same subject with the certificate's serial (known once the certificate is signed). */
    public LoginSubject withCertificateSerial(long serial) {
        return new LoginSubject(identity, host, sshUser, OptionalLong.of(serial), rule, client);
    }
}
