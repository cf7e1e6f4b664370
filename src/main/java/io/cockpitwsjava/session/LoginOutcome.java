package io.cockpitwsjava.session;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cockpitwsjava.protocol.Problem;

/** What one {@code /login} request ends with (docs/protocol.md §5.4). */
public sealed interface LoginOutcome {

    /** 200 with the session's JSON and its cookie. */
    record Success(WebSession session, ObjectNode body) implements LoginOutcome {
    }

    /** 401 with {@code WWW-Authenticate: X-Conversation <id> <base64 prompt>} and the challenge JSON. */
    record Challenge(String conversationId, String prompt, ObjectNode body) implements LoginOutcome {
    }

    /**
     * An error status with its reason phrase; {@code json} is the failing init message, or null for an HTML page;
     * {@code problem} is null for refusals that are not Cockpit problems (bad request, disabled, MaxStartups).
     */
    record Failure(int status, String reason, ObjectNode json, Problem problem) implements LoginOutcome {
    }

    /** A host login with a gateway sign-in (bearer token) that is not valid: expired, for another audience... */
    public static Failure signInRefused() {
        return LoginFailures.problem(Problem.AUTHENTICATION_FAILED, "the gateway sign-in is not valid", null);
    }
}
