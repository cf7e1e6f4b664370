package io.cockpitwsjava.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points a {@code @QuarkusTest}'s gateway at the realm of one {@link Keycloak} shared by every test class of the JVM
 * (a Keycloak start takes 20 s to 2 min here): name it in a test profile's {@code testResources()}. The server starts
 * with the first class that needs it and stops when the JVM exits.
 */
public class KeycloakResource implements QuarkusTestResourceLifecycleManager {

    /** Longer than the 32 characters quarkus-oidc wants for encrypting its session cookie. */
    public static final String SESSION_SECRET = "fleet-sign-in-tests-session-cookie-secret-0123456789";

    /**
     * Where the running server's port is kept: a system property (outside {@code cockpit.*}, which the gateway
     * validates), because every Quarkus test application has its own class loader, and with it its own copy of this
     * class's static fields.
     */
    private static final String PORT_PROPERTY = "keycloak.shared-port";

    private static Keycloak shared;

    /** The shared server, started on first use. */
    public static Keycloak keycloak() {
        synchronized (System.getProperties()) {
            if (shared == null) {
                String port = System.getProperty(PORT_PROPERTY);
                if (port != null) {
                    shared = Keycloak.attach(Integer.parseInt(port));
                } else {
                    Keycloak k = new Keycloak().start();
                    Runtime.getRuntime().addShutdownHook(new Thread(k::close, "keycloak-stop"));
                    System.setProperty(PORT_PROPERTY, String.valueOf(k.port()));
                    shared = k;
                }
            }
            return shared;
        }
    }

    @Override
    public Map<String, String> start() {
        Keycloak k = keycloak();
        return Map.of("quarkus.oidc.auth-server-url", k.issuer(),
                "quarkus.oidc.client-id", Keycloak.CLIENT_ID,
                "quarkus.oidc.credentials.secret", Keycloak.CLIENT_SECRET,
                "quarkus.oidc.token-state-manager.encryption-secret", SESSION_SECRET);
    }

    @Override
    public void stop() {
        // shared with the next test class: stopped by the shutdown hook
    }
}
