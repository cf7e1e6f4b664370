package io.cockpitwsjava.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cockpitwsjava.testing.GatewayClient;
import io.cockpitwsjava.testing.GatewayClient.Response;
import io.cockpitwsjava.testing.SshdTarget;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Keyboard-interactive through real PAM with an expired password: the login password answers the first
 * "Password:" prompt, every further prompt (current, new, retype) is one X-Conversation round (docs/protocol.md §5.7).
 */
@QuarkusTest
class KeyboardInteractiveTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PAM = """
            @include common-auth
            @include common-account
            @include common-password
            session required pam_permit.so
            """;

    @RegisterExtension
    static SshdTarget sshd = new SshdTarget("cockpitexp", "Old-pass-4711", SshdTarget.RemotePath.PYTHON_ONLY)
            .withPamKeyboardInteractive(PAM);

    @TestHTTPResource("/")
    URL base;

    Response login(GatewayClient client, String authorization) {
        return client.get("/cockpit+=localhost:" + sshd.port() + "/login", GatewayClient.headers("Authorization", authorization));
    }

    @Test
    void expiredPasswordIsChangedThroughConversationRounds() throws Exception {
        sshd.expirePassword();
        String known = sshd.knownHostsLine();
        String fresh = "New-pass-" + System.nanoTime();
        try (GatewayClient client = new GatewayClient(base.getHost(), base.getPort())) {
            Response r = login(client, GatewayClient.basic(sshd.user(), sshd.password(), known));
            List<String> prompts = new ArrayList<>();
            while (r.status() == 401 && r.header("WWW-Authenticate") != null) {
                Matcher m = Pattern.compile("X-Conversation (\\S+) (\\S+)").matcher(r.header("WWW-Authenticate"));
                assertTrue(m.matches(), r.header("WWW-Authenticate"));
                String prompt = new String(Base64.getDecoder().decode(m.group(2)), StandardCharsets.UTF_8);
                prompts.add(prompt);
                JsonNode body = JSON.readTree(r.body());
                assertFalse(body.get("echo").asBoolean(), prompt);
                String answer = prompt.toLowerCase().contains("current") ? sshd.password() : fresh;
                r = login(client, GatewayClient.conversation(m.group(1), answer));
                assertTrue(prompts.size() < 6, "too many prompts: " + prompts);
            }
            assertEquals(200, r.status(), r.reason() + " after prompts " + prompts);
            assertTrue(prompts.stream().anyMatch(p -> p.toLowerCase().contains("new")), prompts.toString());
        }
    }
}
