package io.cockpitwsjava.signin;

import java.security.SecureRandom;
import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.cockpitwsjava.config.GatewaySettings;
import io.cockpitwsjava.config.SignInConfig;
import io.quarkus.vertx.http.runtime.FormAuthConfig;
import io.quarkus.vertx.http.security.Form;
import io.quarkus.vertx.http.security.HttpSecurity;

/**
 * Registers Quarkus form authentication when a users file is configured, and only then (so a gateway without one has
 * no form mechanism and no session key at all). Quarkus' own {@code quarkus.http.auth.form.*} settings still apply;
 * what the sign-in needs is fixed here:
 * <ul>
 * <li>the form posts to {@code <root>/fleet/j_security_check} (Quarkus matches the path's end, so any UrlRoot works);</li>
 * <li>no login, error or landing page: a successful post answers 200 and a failed one 401, and our sign-in page
 * (which posts with {@code fetch}) moves on by itself. Quarkus' redirects would be built from the connection's
 * scheme, which is wrong behind a TLS-terminating proxy;</li>
 * <li>the cookie is {@code HttpOnly}, {@code SameSite=Strict} (the form never comes back from another site) and
 * scoped to the UrlRoot; {@code Secure} is added per request by the fleet routes;</li>
 * <li>the idle timeout is {@code cockpit.fleet.sign-in.idle-timeout};</li>
 * <li>the cookie's key is {@code quarkus.http.auth.session.encryption-key} when set (needed for sign-ins that
 * survive a restart or work on several replicas), else a random key made at start.</li>
 * </ul>
 */
@ApplicationScoped
public class UsersFileSetup {
    private static final Logger LOG = Logger.getLogger(UsersFileSetup.class);

    /** Where the sign-in form posts, below the UrlRoot. */
    public static final String POST_LOCATION = "/fleet/j_security_check";

    void register(@Observes HttpSecurity http, SignInConfig config, GatewaySettings settings) {
        if (config.usersFile().isEmpty()) {
            return;
        }
        String key = ConfigProvider.getConfig().getOptionalValue("quarkus.http.auth.session.encryption-key", String.class)
                .orElseGet(() -> {
                    LOG.info("users-file sign-ins are encrypted with a key made at start: they end when the gateway "
                            + "restarts (set quarkus.http.auth.session.encryption-key to keep them)");
                    byte[] random = new byte[32];
                    new SecureRandom().nextBytes(random);
                    return Base64.getEncoder().encodeToString(random);
                });
        http.mechanism(Form.builder()
                .postLocation(POST_LOCATION)
                .loginPage(null)
                .errorPage(null)
                .landingPage(null)
                .httpOnlyCookie()
                .cookieSameSite(FormAuthConfig.CookieSameSite.STRICT)
                .cookiePath(settings.urlRoot().orElse("") + "/")
                .timeout(config.idleTimeout())
                .encryptionKey(key)
                .build());
    }
}
