package io.cockpitwsjava.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Keycloak fixture issues what the fleet sign-in will rely on: groups and audience in the access token. */
class KeycloakSmokeIT {

    @RegisterExtension
    static Keycloak keycloak = new Keycloak();

    static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        } else if (node.isTextual()) {
            out.add(node.asText());
        }
        return out;
    }

    @Test
    void aliceGetsHerGroupsAndOurAudience() {
        JsonNode response = keycloak.passwordGrant(Keycloak.ALICE.name(), Keycloak.ALICE.password());
        assertEquals("Bearer", response.get("token_type").asText());
        JsonNode access = Keycloak.claims(response.get("access_token").asText());
        assertEquals(keycloak.issuer(), access.get("iss").asText());
        assertEquals("alice", access.get("preferred_username").asText());
        assertEquals(List.of("ops"), strings(access.get("groups")), access::toString);
        assertTrue(strings(access.get("aud")).contains(Keycloak.CLIENT_ID), access::toString);
        assertEquals(Keycloak.CLIENT_ID, access.get("azp").asText());
        JsonNode id = Keycloak.claims(response.get("id_token").asText());
        assertEquals(List.of("ops"), strings(id.get("groups")), id::toString);
    }

    @Test
    void bobAndCarolGetTheirs() {
        JsonNode bob = Keycloak.claims(keycloak.accessToken(Keycloak.BOB));
        assertEquals(List.of("dev"), strings(bob.get("groups")), bob::toString);
        JsonNode carol = Keycloak.claims(keycloak.accessToken(Keycloak.CAROL));
        assertEquals("carol", carol.get("preferred_username").asText());
        assertEquals(List.of(), strings(carol.path("groups")), carol::toString);
    }

    @Test
    void aWrongPasswordGetsNoToken() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> keycloak.passwordGrant("alice", "wrong"));
        assertTrue(e.getMessage().contains("invalid_grant"), e.getMessage());
        assertFalse(keycloak.log().isEmpty());
    }
}
