package io.cockpitwsjava.signin;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.cockpitwsjava.config.GatewaySettings;
import io.cockpitwsjava.config.SignInConfig;
import io.quarkus.oidc.Oidc;
import io.quarkus.oidc.OidcTenantConfig;
import io.quarkus.oidc.runtime.OidcConfig;
import io.quarkus.oidc.runtime.OidcTenantConfig.ApplicationType;
import io.smallrye.config.SmallRyeConfig;

/**
 * Completes the identity provider's standard {@code quarkus.oidc.*} settings with what the gateway needs, through
 * Quarkus' programmatic tenant setup (the {@link Oidc} event). Only defaults are filled in: a setting given
 * explicitly always wins.
 * <ul>
 * <li>Without {@code quarkus.oidc.auth-server-url} the default tenant is disabled: no sign-in, no connection to any
 * provider, and the gateway starts as it did before OpenID Connect existed in it.</li>
 * <li>{@code application-type}: {@code hybrid} (browsers get the authorization-code flow, scripts send bearer
 * tokens).</li>
 * <li>{@code token.audience}: the client id, so an access token the provider issued for another client is refused.</li>
 * <li>{@code logout.path} {@code <root>/fleet/sign-out} and {@code logout.post-logout-path} {@code <root>/fleet/}:
 * RP-initiated logout, unless {@code cockpit.fleet.sign-in.provider-logout=false}. The UrlRoot comes from the
 * gateway's settings, so it may be set in cockpit.conf too.</li>
 * <li>{@code authentication.force-redirect-https-scheme} and {@code cookie-force-secure} with
 * {@code cockpit.web.for-tls-proxy}: behind a TLS-terminating proxy the redirect URIs are https and the cookies
 * Secure.</li>
 * <li>{@code authentication.session-age-extension}: {@code cockpit.fleet.sign-in.idle-timeout}.</li>
 * </ul>
 * The redirect URI is the sign-in path itself, {@code <root>/fleet/sign-in} (no {@code redirect-path} is needed).
 */
@ApplicationScoped
public class OidcSetup {
    private static final Logger LOG = Logger.getLogger(OidcSetup.class);

    void configure(@Observes Oidc oidc, GatewaySettings settings, SignInConfig signIn) {
        SmallRyeConfig config = ConfigProvider.getConfig().unwrap(SmallRyeConfig.class);
        io.quarkus.oidc.runtime.OidcTenantConfig given = OidcConfig.getDefaultTenant(config.getConfigMapping(OidcConfig.class));
        if (given.authServerUrl().isEmpty()) {
            // quarkus-oidc would otherwise refuse to start ("auth-server-url property must be configured")
            oidc.create(OidcTenantConfig.builder(given).tenantEnabled(false).build());
            return;
        }
        if (!given.tenantEnabled()) {
            return;
        }
        String root = settings.urlRoot().orElse("");
        var builder = OidcTenantConfig.builder(given);
        if (given.applicationType().isEmpty()) {
            builder.applicationType(ApplicationType.HYBRID);
        }
        if (given.token().audience().isEmpty() && given.clientId().isPresent()) {
            builder.token().audience(List.of(given.clientId().get())).end();
        }
        if (signIn.providerLogout() && given.logout().path().isEmpty()) {
            builder.logout().path(root + "/fleet/sign-out").postLogoutPath(root + "/fleet/").end();
        }
        var authentication = builder.authentication();
        if (settings.forTlsProxy()) {
            if (given.authentication().forceRedirectHttpsScheme().isEmpty()) {
                authentication.forceRedirectHttpsScheme(true);
            }
            authentication.cookieForceSecure(true);
        } else if (settings.protocolHeader().isPresent()
                && given.authentication().forceRedirectHttpsScheme().isEmpty()) {
            LOG.warnf("ProtocolHeader %s is set but cockpit.web.for-tls-proxy is not: sign-in redirect URIs use the "
                    + "scheme of the connection to the gateway; behind a TLS proxy set cockpit.web.for-tls-proxy=true "
                    + "(or quarkus.oidc.authentication.force-redirect-https-scheme=true)", settings.protocolHeader().get());
        }
        if (given.authentication().sessionAgeExtension().isEmpty()) {
            authentication.sessionAgeExtension(signIn.idleTimeout());
        }
        authentication.end();
        OidcTenantConfig tenant = builder.build();
        oidc.create(tenant);
        LOG.infof("fleet sign-in: OpenID Connect provider %s, client %s, groups from claim %s", given.authServerUrl().get(),
                given.clientId().orElse("(none)"), given.roles().roleClaimPath().map(Object::toString).orElse("(provider default)"));
    }
}
