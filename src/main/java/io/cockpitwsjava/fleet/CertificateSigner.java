package io.cockpitwsjava.fleet;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

import org.apache.sshd.certificate.OpenSshCertificateBuilder;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.apache.sshd.common.keyprovider.KeyPairProvider;

/**
 * Issues one short-lived OpenSSH user certificate per login, signed by the user CA, for a key pair made on the spot.
 *
 * <p>What the certificates carry, and why:
 * <ul>
 * <li>exactly one principal (the granted SSH user): an empty list would be valid for every account;</li>
 * <li>a random non-zero 64-bit serial, logged by sshd and by our audit log, which ties the two together;</li>
 * <li>validity from {@code now - clockSkew} to {@code now + validity}: sshd checks it only while authenticating, so
 * minutes suffice and expiry is the revocation;</li>
 * <li>no extensions at all: no {@code permit-pty}, {@code permit-port-forwarding}, {@code permit-agent-forwarding},
 * {@code permit-X11-forwarding} or {@code permit-user-rc}. The Cockpit bridge runs as a plain exec command and opens
 * terminals on its own ptys, so an SSH pty is never needed;</li>
 * <li>optionally a {@code force-command} critical option (the prober).</li>
 * </ul>
 * The fresh keys are ECDSA P-256: built into every JDK and OpenSSH, and allowed where FIPS mode forbids Ed25519.
 */
public final class CertificateSigner {

    public static final Duration MIN_VALIDITY = Duration.ofSeconds(10);
    public static final Duration MAX_VALIDITY = Duration.ofHours(1);
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(10);

    private final UserCaKey ca;
    private final Duration validity;
    private final Duration clockSkew;
    private final Clock clock;
    private final SecureRandom random;

    /**
     * @param validity  how long a certificate stays valid after it is made ({@link #MIN_VALIDITY}..{@link #MAX_VALIDITY})
     * @param clockSkew how far validity starts in the past, for VMs whose clock is behind (0..{@link #MAX_CLOCK_SKEW})
     */
    public CertificateSigner(UserCaKey ca, Duration validity, Duration clockSkew, Clock clock, SecureRandom random) {
        this.ca = Objects.requireNonNull(ca, "ca");
        this.validity = Objects.requireNonNull(validity, "validity");
        this.clockSkew = Objects.requireNonNull(clockSkew, "clockSkew");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        if (validity.compareTo(MIN_VALIDITY) < 0 || validity.compareTo(MAX_VALIDITY) > 0) {
            throw new IllegalArgumentException("certificate validity must be between " + MIN_VALIDITY + " and "
                    + MAX_VALIDITY + ", is " + validity);
        }
        if (clockSkew.isNegative() || clockSkew.compareTo(MAX_CLOCK_SKEW) > 0) {
            throw new IllegalArgumentException("certificate clock skew must be between 0 and " + MAX_CLOCK_SKEW
                    + ", is " + clockSkew);
        }
    }

    /** A signer on the system clock and a strong random source. */
    public CertificateSigner(UserCaKey ca, Duration validity, Duration clockSkew) {
        this(ca, validity, clockSkew, Clock.systemUTC(), new SecureRandom());
    }

    /** Makes a key pair and a certificate for it. */
    public UserCertificate sign(CertificateRequest request) throws GeneralSecurityException {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        return sign(request, now.minus(clockSkew), now.plus(validity));
    }

    /** Signs with explicit validity (tests use it for expired certificates; logins use {@link #sign(CertificateRequest)}). */
    UserCertificate sign(CertificateRequest request, Instant validAfter, Instant validBefore)
            throws GeneralSecurityException {
        KeyPair fresh = KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
        long serial = nonZeroSerial();
        OpenSshCertificateBuilder builder = OpenSshCertificateBuilder.userCertificate()
                .publicKey(fresh.getPublic())
                .serial(serial)
                .id(request.keyId())
                .principals(List.of(request.principal()))
                .validAfter(validAfter)
                .validBefore(validBefore);
        request.forceCommand().ifPresent(c -> builder.criticalOption("force-command", c));
        OpenSshCertificate cert;
        try {
            cert = builder.sign(ca.keyPair());
        } catch (GeneralSecurityException e) {
            throw e;
        } catch (Exception e) {
            throw new GeneralSecurityException("cannot sign a certificate with " + ca + ": " + e.getMessage(), e);
        }
        return new UserCertificate(new KeyPair(cert, fresh.getPrivate()), serial, request.keyId(),
                request.principal(), validAfter, validBefore, request.forceCommand());
    }

    /** Zero is avoided: ssh-keygen and KRLs treat serial 0 as "no serial". */
    private long nonZeroSerial() {
        long s;
        do {
            s = random.nextLong();
        } while (s == 0);
        return s;
    }
}
