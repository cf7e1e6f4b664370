package io.cockpitwsjava.session;

import io.cockpitwsjava.protocol.Problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Problem → status and reason phrase as login.js expects them (docs/protocol.md §5.8). */
class LoginFailuresTest {

    private static final Map<String, ?> PASSWORD_DENIED = Map.of("auth-method-results", Map.of("password", "denied"));

    @ParameterizedTest(name = "[{index}] {0} / {1}")
    @CsvSource(nullValues = "NONE", delimiter = '|', value = {
            // problem                     | message        | status | reason
            "authentication-failed         | NONE           | 401    | Authentication failed",
            "authentication-unavailable    | NONE           | 401    | Authentication failed",
            "authentication-failed         | wrong password | 401    | Authentication failed",
            "no-host                       | NONE           | 401    | Authentication failed: no-host",
            "invalid-hostkey               | NONE           | 401    | Authentication failed: invalid-hostkey",
            "unknown-hostkey               | NONE           | 401    | Authentication failed: unknown-hostkey",
            "unknown-host                  | NONE           | 401    | Authentication failed: unknown-host",
            "terminated                    | bye            | 401    | Authentication failed: terminated",
            "access-denied                 | NONE           | 403    | Permission denied",
            "access-denied                 | ''             | 403    | Permission denied",
            "access-denied                 | Account locked | 403    | Account locked",
            "no-cockpit                    | NONE           | 500    | Authentication failed: no-cockpit",
            "no-cockpit                    | no-cockpit     | 500    | Authentication failed: no-cockpit",
            "internal-error                | boom           | 500    | Authentication failed: internal-error: boom",
            "protocol-error                | NONE           | 500    | Authentication failed: protocol-error",
            "unsupported-shell             | NONE           | 500    | Authentication failed: unsupported-shell",
            "not-supported                 | x              | 500    | Authentication failed: not-supported: x",
            "timeout                       | NONE           | 500    | Authentication failed: timeout",
    })
    void statusAndReason(String problem, String message, int status, String reason) {
        LoginOutcome.Failure f = LoginFailures.problem(Problem.fromWire(problem).orElseThrow(), message, PASSWORD_DENIED);
        assertEquals(status, f.status());
        assertEquals(reason, f.reason());
        assertEquals("init", f.json().path("command").asText());
        assertEquals(problem, f.json().path("problem").asText());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(nullValues = "NONE", delimiter = '|', value = {
            // auth-method-results.password (NONE = key absent) | reason
            "denied              | Authentication failed",
            "partial             | Authentication failed",
            "no-server-support   | Authentication failed: authentication-not-supported",
            "NONE                | Authentication failed: authentication-not-supported",
    })
    void authenticationNotSupportedFollowsThePasswordResult(String password, String reason) {
        Map<String, String> results = new LinkedHashMap<>();
        results.put("public-key", "denied");
        if (password != null) {
            results.put("password", password);
        }
        for (String problem : new String[] { "authentication-failed", "authentication-unavailable" }) {
            LoginOutcome.Failure f = LoginFailures.problem(Problem.fromWire(problem).orElseThrow(), null, Map.of("auth-method-results", results));
            assertEquals(401, f.status(), problem);
            assertEquals(reason, f.reason(), problem);
        }
    }

    @Test
    void withoutAuthMethodResultsItIsAPlainAuthenticationFailure() {
        // upstream only synthesises authentication-not-supported when the init carries auth-method-results
        assertEquals("Authentication failed", LoginFailures.problem(Problem.AUTHENTICATION_FAILED, null, null).reason());
        assertEquals("Authentication failed",
                LoginFailures.problem(Problem.AUTHENTICATION_FAILED, null, Map.of("known-hosts", "x")).reason());
    }

    @Test
    void jsonBodyCarriesProblemMessageAndExtraFields() {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("auth-method-results", Map.of("password", "denied"));
        extra.put("known-hosts", "h ssh-ed25519 AAAA");
        LoginOutcome.Failure f = LoginFailures.problem(Problem.AUTHENTICATION_FAILED, "Permission denied (password)", extra);
        assertEquals("init", f.json().get("command").asText());
        assertEquals("authentication-failed", f.json().get("problem").asText());
        assertEquals("Permission denied (password)", f.json().get("message").asText());
        assertEquals("denied", f.json().get("auth-method-results").get("password").asText());
        assertEquals("h ssh-ed25519 AAAA", f.json().get("known-hosts").asText());
    }

    @Test
    void messageIsOmittedWhenEmptyOrEqualToTheProblem() {
        assertFalse(LoginFailures.problem(Problem.NO_COCKPIT, null, null).json().has("message"));
        assertFalse(LoginFailures.problem(Problem.NO_COCKPIT, "", null).json().has("message"));
        assertFalse(LoginFailures.problem(Problem.NO_COCKPIT, "no-cockpit", null).json().has("message"));
    }

    @Test
    void plainFailuresHaveNoJson() {
        LoginOutcome.Failure t = LoginFailures.timeout();
        assertEquals(500, t.status());
        assertEquals("Authentication failed: Timeout", t.reason());
        assertNull(t.json());
        LoginOutcome.Failure p = LoginFailures.plain(401, "Authentication disabled");
        assertEquals(401, p.status());
        assertEquals("Authentication disabled", p.reason());
        assertNull(p.json());
    }
}
