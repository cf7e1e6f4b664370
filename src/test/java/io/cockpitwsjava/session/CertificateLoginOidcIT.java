package io.cockpitwsjava.session;

import static io.cockpitwsjava.session.FleetLoginFixture.acceptedLine;
import static io.cockpitwsjava.session.FleetLoginFixture.assertLikeUnknownHost;
import static io.cockpitwsjava.session.FleetLoginFixture.runId;
import static io.cockpitwsjava.session.FleetLoginFixture.socket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cockpitwsjava.testing.GatewayClient;
import io.cockpitwsjava.testing.GatewayClient.Response;
import io.cockpitwsjava.testing.Keycloak;
import io.cockpitwsjava.testing.KeycloakResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Logins by identity for scripts: {@code Authorization: Bearer <access token>} from a real Keycloak (realm
 * {@code cockpit}: alice in ops, bob in dev, carol in no group) against the real sshds of {@link FleetLoginFixture}.
 * The token's user becomes the certificate's key id in the VM's log; its groups decide through the rules; a token for
 * another audience signs nobody in.
 */
@QuarkusTest
@TestProfile(CertificateLoginOidcIT.Oidc.class)
class CertificateLoginOidcIT {

    public static class Oidc implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return FleetLoginFixture.config();
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(KeycloakResource.class));
        }
    }

    @TestHTTPResource("/")
    URL base;

    static Map<String, String> bearer(String token) {
        return GatewayClient.headers("Authorization", "Bearer " + token);
    }

    @Test
    void anAccessTokenLogsInToAGrantedHost() throws Exception {
        Keycloak kc = KeycloakResource.keycloak();
        try (GatewayClient client = new GatewayClient(base.getHost(), base.getPort())) {
            Response login = client.get("/cockpit+=app-1/login", bearer(kc.accessToken(Keycloak.BOB)));
            assertEquals(200, login.status(), login.reason() + " " + login.text());
            assertTrue(login.header("Set-Cookie").startsWith("machine-cockpit+app-1="), login.header("Set-Cookie"));
            assertTrue(login.text().contains("csrf-token"), login.text());
            acceptedLine(FleetLoginFixture.app, "bob");
            try (GatewayClient.Socket s = socket(client, "app-1", login)) {
                String out = runId(s, "1:1", false);
                assertTrue(out.startsWith("1:1\n") && !out.equals("1:1\n0\n"), out);
            }

            Response alice = client.get("/cockpit+=web-1/login", bearer(kc.accessToken(Keycloak.ALICE)));
            assertEquals(200, alice.status(), alice.reason() + " " + alice.text());
            acceptedLine(FleetLoginFixture.web, "alice");
        }
    }

    @Test
    void tokensWithoutARuleOrForAnotherAudienceAreRefused() throws Exception {
        Keycloak kc = KeycloakResource.keycloak();
        try (GatewayClient client = new GatewayClient(base.getHost(), base.getPort())) {
            Response unknown = client.get("/cockpit+=nope/login", bearer(kc.accessToken(Keycloak.ALICE)));
            assertEquals(401, unknown.status());
            assertTrue(unknown.reason().contains("unknown-host"), unknown.reason());
            // bob's dev group reaches no prod host; carol has no group at all
            assertLikeUnknownHost(unknown, client.get("/cockpit+=web-1/login", bearer(kc.accessToken(Keycloak.BOB))));
            assertLikeUnknownHost(unknown,
                    client.get("/cockpit+=app-1/login", bearer(kc.accessToken(Keycloak.CAROL))));

            // a valid token of the same realm, but issued to another application: no sign-in here
            String foreign = kc.passwordGrant("other-app", "other-app-test-secret", Keycloak.ALICE.name(),
                    Keycloak.ALICE.password()).get("access_token").asText();
            Response refused = client.get("/cockpit+=web-1/login", bearer(foreign));
            assertEquals(401, refused.status());
            assertTrue(refused.text().contains("authentication-failed"), refused.text());
            assertFalse(refused.text().contains("csrf-token"));
        }
    }
}
