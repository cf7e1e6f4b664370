package io.cockpitwsjava.session;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The one place that turns a login problem into what login.js expects (ws-contract §5.8). */
final class LoginFailures {
    private LoginFailures() {
    }

    /** A failure with a problem code: status, reason phrase and the failing init JSON. */
    static LoginOutcome.Failure problem(String problem, String message, Map<String, ?> extra) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("command", "init");
        json.put("problem", problem);
        if (message != null && !message.isEmpty() && !message.equals(problem)) {
            json.put("message", message);
        }
        if (extra != null) {
            extra.forEach((k, v) -> json.set(k, toJson(v)));
        }
        return new LoginOutcome.Failure(statusOf(problem), reasonOf(problem, json), json);
    }

    /** A failure without a problem code (plain reason, HTML body). */
    static LoginOutcome.Failure plain(int status, String reason) {
        return new LoginOutcome.Failure(status, reason, null);
    }

    static LoginOutcome.Failure timeout() {
        return plain(500, "Authentication failed: Timeout");
    }

    private static int statusOf(String problem) {
        return switch (problem) {
            case "authentication-failed", "authentication-unavailable", "no-host", "invalid-hostkey",
                    "unknown-hostkey", "unknown-host", "terminated" -> 401;
            case "access-denied" -> 403;
            default -> 500;
        };
    }

    private static String reasonOf(String problem, ObjectNode json) {
        switch (problem) {
            case "authentication-failed", "authentication-unavailable": {
                // only an init that reports auth-method-results can say password auth was not offered
                JsonNode results = json.path("auth-method-results");
                JsonNode pw = results.path("password");
                if (results.isObject() && (!pw.isTextual() || "no-server-support".equals(pw.asText()))) {
                    return "Authentication failed: authentication-not-supported";
                }
                return "Authentication failed";
            }
            case "no-host", "invalid-hostkey", "unknown-hostkey", "unknown-host", "terminated":
                return "Authentication failed: " + problem;
            case "access-denied":
                return json.path("message").asText("Permission denied");
            default: {
                String message = json.path("message").asText("");
                return message.isEmpty() ? "Authentication failed: " + problem
                        : "Authentication failed: " + problem + ": " + message;
            }
        }
    }

    private static JsonNode toJson(Object v) {
        return io.cockpitwsjava.protocol.ControlMessage.MAPPER.valueToTree(v);
    }
}
