package io.cockpitwsjava.session;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cockpitwsjava.protocol.ControlMessage;
import io.cockpitwsjava.protocol.Problem;
import io.cockpitwsjava.protocol.ProblemException;

/** The one place that turns a login problem into what login.js expects (docs/protocol.md §5.8). */
final class LoginFailures {
    private LoginFailures() {
    }

    /**
     * A failed login. A host that cannot be reached gets one answer whatever the reason (refused, filtered, not SSH,
     * denied by policy, not resolvable): the login page must not tell an unauthenticated client more about the
     * network behind the gateway.
     */
    static LoginOutcome.Failure of(ProblemException e) {
        return switch (e.problem()) {
            case TIMEOUT -> timeout();
            case UNKNOWN_HOST, NO_HOST -> problem(e.problem(), null, null);
            default -> problem(e.problem(), e.getMessage(), e.fields());
        };
    }

    /** A failure with a problem code: status, reason phrase and the failing init JSON. */
    static LoginOutcome.Failure problem(Problem problem, String message, Map<String, ?> extra) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("command", "init");
        json.put("problem", problem.wireName());
        if (message != null && !message.isEmpty() && !message.equals(problem.wireName())) {
            json.put("message", message);
        }
        if (extra != null) {
            extra.forEach((k, v) -> json.set(k, toJson(v)));
        }
        return new LoginOutcome.Failure(problem.loginStatus(), reasonOf(problem, json), json, problem);
    }

    /** A failure without a problem code (plain reason, HTML body). */
    static LoginOutcome.Failure plain(int status, String reason) {
        return new LoginOutcome.Failure(status, reason, null, null);
    }

    static LoginOutcome.Failure timeout() {
        return new LoginOutcome.Failure(500, "Authentication failed: Timeout", null, Problem.TIMEOUT);
    }

    private static String reasonOf(Problem problem, ObjectNode json) {
        switch (problem) {
            case AUTHENTICATION_FAILED, AUTHENTICATION_UNAVAILABLE: {
                // only an init that reports auth-method-results can say password auth was not offered
                JsonNode results = json.path("auth-method-results");
                JsonNode pw = results.path("password");
                if (results.isObject() && (!pw.isTextual() || "no-server-support".equals(pw.asText()))) {
                    return "Authentication failed: authentication-not-supported";
                }
                return "Authentication failed";
            }
            case NO_HOST, INVALID_HOSTKEY, UNKNOWN_HOSTKEY, UNKNOWN_HOST, TERMINATED:
                return "Authentication failed: " + problem.wireName();
            case ACCESS_DENIED:
                return json.path("message").asText("Permission denied");
            default: {
                String message = json.path("message").asText("");
                return message.isEmpty() ? "Authentication failed: " + problem.wireName()
                        : "Authentication failed: " + problem.wireName() + ": " + message;
            }
        }
    }

    private static JsonNode toJson(Object v) {
        return ControlMessage.MAPPER.valueToTree(v);
    }
}
