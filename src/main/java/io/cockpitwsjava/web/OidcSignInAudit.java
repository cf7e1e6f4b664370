package io.cockpitwsjava.web;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.cockpitwsjava.audit.AuditEvent.SignInMethod;
import io.cockpitwsjava.audit.AuditTrail;
import io.cockpitwsjava.config.GatewaySettings;
import io.cockpitwsjava.signin.SignIn;
import io.quarkus.oidc.SecurityEvent;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.ext.web.RoutingContext;

/**
 * OpenID Connect sign-ins and provider sign-outs for the audit log. Quarkus completes the provider's redirect back
 * (the authorization code) and the RP-initiated logout inside its own mechanism and tells only through its security
 * events ({@code quarkus.security.events.enabled}, on by default), which carry the identity; the request they belong
 * to is the identity's {@link RoutingContext} attribute, for the client address. Failed redirects back and local
 * sign-outs are written by {@link FleetRoutes}, which sees them.
 */
@Singleton
public class OidcSignInAudit {

    @Inject
    AuditTrail audit;
    @Inject
    GatewaySettings settings;

    void observe(@Observes SecurityEvent event) {
        SecurityIdentity identity = event.getSecurityIdentity();
        if (identity == null || identity.isAnonymous()) {
            return;
        }
        switch (event.getEventType()) {
            case OIDC_LOGIN -> audit.signedIn(SignInMethod.OIDC, SignIn.userName(identity), client(identity));
            case OIDC_LOGOUT_RP_INITIATED -> audit.signOut(SignIn.userName(identity), client(identity));
            default -> {
            }
        }
    }

    private String client(SecurityIdentity identity) {
        Object ctx = identity.getAttribute(RoutingContext.class.getName());
        return ctx instanceof RoutingContext rc ? ClientAddress.of(rc.request(), settings.forwardedForHeader()) : null;
    }
}
