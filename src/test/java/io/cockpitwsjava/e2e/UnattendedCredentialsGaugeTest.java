package io.cockpitwsjava.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.cockpitwsjava.testing.GatewayClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The running gateway publishes whether its own key or agent is exposed to any host (issue 7 row 13). */
@QuarkusTest
class UnattendedCredentialsGaugeTest {

    @TestHTTPResource(value = "/metrics", management = true) // the management root is /q
    URL metrics;

    @Test
    void gaugeIsPublished() {
        try (GatewayClient client = new GatewayClient(metrics.getHost(), metrics.getPort())) {
            String text = client.get(metrics.getPath(), GatewayClient.headers()).text();
            Matcher m = Pattern.compile("(?m)^cockpit_ssh_unattended_credentials_exposed (\\S+)$").matcher(text);
            assertTrue(m.find(), text);
            // this JVM's environment decides: 1 only with an unencrypted COCKPIT_SSH_KEY_PATH or an agent
            boolean agentOrKey = System.getenv("SSH_AUTH_SOCK") != null || System.getenv("COCKPIT_SSH_KEY_PATH") != null;
            if (!agentOrKey) {
                assertEquals(0.0, Double.parseDouble(m.group(1)));
            }
        }
    }
}
