package io.cockpitwsjava.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** The fleet and audit settings live beside GatewayConfig's {@code cockpit.*} and are read through Quarkus. */
@QuarkusTest
@TestProfile(FleetSettingsTest.Settings.class)
class FleetSettingsTest {

    public static final class Settings implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cockpit.fleet.inventory", "/etc/cockpit-ws-java/inventory.yaml",
                    "cockpit.fleet.user-ca-key", "/run/secrets/user-ca/key",
                    "cockpit.fleet.certificate.validity", "2m",
                    // the gateway opens it at start: a file of the build, not one in /var/log
                    "cockpit.audit.file", "target/fleet-settings-audit.jsonl",
                    // on by default, off in the test profile (application.properties)
                    "cockpit.audit.stdout", "true");
        }
    }

    @Inject
    FleetConfig fleet;
    @Inject
    AuditConfig audit;
    @Inject
    GatewayConfig gateway;

    @Test
    void readsTheFleetAndAuditSettings() {
        assertEquals(Optional.of(Path.of("/etc/cockpit-ws-java/inventory.yaml")), fleet.inventory());
        assertEquals(Optional.of(Path.of("/run/secrets/user-ca/key")), fleet.userCaKey());
        assertEquals(Duration.ofMinutes(2), fleet.certificate().validity());
        assertEquals(Duration.ofMinutes(1), fleet.certificate().clockSkew());
        assertEquals(Duration.ofSeconds(5), fleet.inventoryCheckInterval());
        assertTrue(audit.stdout());
        assertEquals(Optional.of(Path.of("target/fleet-settings-audit.jsonl")), audit.file());
        // the gateway's own mapping of cockpit.* is unaffected
        assertEquals(Duration.ofSeconds(15), gateway.session().idleGrace());
    }
}
