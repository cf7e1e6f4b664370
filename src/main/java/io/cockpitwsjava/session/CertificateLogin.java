package io.cockpitwsjava.session;

import java.security.GeneralSecurityException;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.cockpitwsjava.fleet.CertificateRequest;
import io.cockpitwsjava.fleet.CertificateSigner;
import io.cockpitwsjava.fleet.FleetHost;
import io.cockpitwsjava.fleet.FleetMode;
import io.cockpitwsjava.fleet.Inventory;
import io.cockpitwsjava.fleet.InventoryFile;
import io.cockpitwsjava.fleet.UserCertificate;
import io.cockpitwsjava.identity.AccessDecision;
import io.cockpitwsjava.identity.Identity;
import io.cockpitwsjava.protocol.HostTarget;
import io.cockpitwsjava.protocol.LogText;
import io.cockpitwsjava.ssh.HostAccessPolicy;
import io.cockpitwsjava.ssh.KeyLogin;

/**
 * Logins by identity (fleet mode): what a signed-in person's {@code GET <root>/cockpit+=<name>/login} turns into.
 * The name is looked up in the inventory only, the access rules decide (at every login) the SSH user and whether
 * administrative access may be offered, and the login gets a fresh key pair with a user certificate made for it
 * (principal = that SSH user, key id = the person, a few minutes of validity, no extensions). Host keys are the
 * inventory's pinned key or the global known_hosts file (plain keys, host CAs): never a question.
 *
 * <p>Only the credential differs from a password login: the {@link Plan} goes through the same login attempt,
 * bridge launcher and session as one ({@link LoginService#loginByIdentity}).
 */
@Singleton
public class CertificateLogin {
    private static final Logger LOG = Logger.getLogger(CertificateLogin.class);

    /** What the rules decided for one login. */
    sealed interface Decision {
    }

    /**
     * The login goes ahead with this.
     *
     * @param target      the inventory address (no user: the rule chooses it)
     * @param sshUser     the account, also the certificate's only principal
     * @param superuser   {@code none}, or the superuser bridge to start ({@code any}, {@code sudo}...)
     * @param key         the fresh certificate and the host keys to accept
     * @param access      where the inventory lets this login connect
     * @param certificate the certificate (serial and key id for logs)
     * @param rule        the deciding rule's number (1 = first in the file)
     */
    record Plan(HostTarget target, String sshUser, String superuser, KeyLogin key, HostAccessPolicy access,
            UserCertificate certificate, int rule) implements Decision {
        @Override
        public String toString() {
            return "Plan[" + sshUser + "@" + target.display() + ", rule " + rule + ", " + certificate + "]";
        }
    }

    /**
     * No login: the name is not in the inventory, no rule grants it, or no certificate could be made. The person is
     * told no more than for an unknown host.
     */
    record Refused(String why) implements Decision {
    }

    @Inject
    FleetMode fleet;

    /** Whether logins by identity can happen here: an inventory and a usable user CA key. */
    public boolean enabled() {
        return fleet != null && fleet.inventory().isPresent() && fleet.signer().isPresent();
    }

    /**
     * The decision for {@code who} logging in to inventory host {@code name}, asking for administrative access with
     * {@code superuser} (the {@code X-Superuser} header; null or blank: whatever the rule allows).
     */
    Decision decide(Identity who, String name, String superuser) {
        Optional<InventoryFile> file = fleet.inventory();
        Optional<CertificateSigner> signer = fleet.signer();
        if (file.isEmpty() || signer.isEmpty()) {
            return new Refused("no inventory or no user CA key");
        }
        Inventory inventory = file.get().current();
        AccessDecision d = inventory.decide(who, name);
        if (!(d instanceof AccessDecision.Granted granted)) {
            return new Refused(((AccessDecision.Refused) d).message());
        }
        FleetHost host = inventory.host(name).orElseThrow();
        UserCertificate cert;
        try {
            cert = signer.get().sign(CertificateRequest.login(who, granted.sshUser()));
        } catch (GeneralSecurityException | RuntimeException e) {
            LOG.errorf("cannot make a login certificate for %s at %s: %s", LogText.quoted(who.user()),
                    host.name(), e.toString());
            return new Refused("no certificate could be made");
        }
        KeyLogin key = new KeyLogin(granted.sshUser(), cert.keyPair(), fleet.trustedKeys(host));
        return new Plan(host.address(), granted.sshUser(), superuser(granted, superuser, who, name), key,
                fleet.hostAccess(), cert, granted.rule());
    }

    /**
     * The superuser choice for the bridge: the rule's right decides, the request only picks which bridge. With the
     * right and no choice in the request, {@code any}: a cloud image's account usually may {@code sudo} without a
     * password, and there is no password to give it otherwise.
     */
    private static String superuser(AccessDecision.Granted granted, String asked, Identity who, String name) {
        String choice = asked == null || asked.isBlank() ? null : asked.strip();
        if (!granted.superuser()) {
            if (choice != null && !choice.equals("none")) {
                LOG.infof("administrative access for %s at %s refused: rule %d does not grant it",
                        LogText.quoted(who.user()), name, granted.rule());
            }
            return "none";
        }
        return choice != null ? choice : "any";
    }
}
