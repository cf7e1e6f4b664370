package io.cockpitwsjava.web;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cockpitwsjava.protocol.ControlMessage;
import io.cockpitwsjava.session.Application;
import io.cockpitwsjava.session.LoginOutcome;
import io.cockpitwsjava.session.LoginService;
import io.cockpitwsjava.session.SessionRegistry;
import io.cockpitwsjava.session.WebSession;
import io.cockpitwsjava.signin.SignIn;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /<app>/login} (docs/protocol.md §5): maps {@link LoginOutcome}s to HTTP/1.1 with reason phrases.
 *
 * <p>In fleet mode (a gateway sign-in, an inventory and a user CA key), a host login that carries no password —
 * no {@code Authorization} header (the browser's sign-in cookie) or {@code Authorization: Bearer} — is a login by
 * identity ({@link LoginService#loginByIdentity}) for a signed-in person. Without a valid sign-in it is answered as
 * before (401, so the login page asks for a password; an invalid bearer token: {@code authentication-failed}). Basic
 * and X-Conversation logins are password logins, with or without a sign-in.
 */
@Singleton
public class LoginEndpoint {

    @Inject
    LoginService logins;
    @Inject
    SessionRegistry registry;
    @Inject
    SignIn signIn;

    void handle(Exchange ex, Application app, RoutingContext ctx) {
        Optional<WebSession> existing = registry.find(app, ex.cookies());
        if (existing.isPresent()) {
            ex.json(200, null, CacheType.NO_CACHE, json(successBody(existing.get())));
            return;
        }
        String authorization = ex.header("Authorization");
        LoginService.Request req = new LoginService.Request(app, authorization, ex.header("X-Superuser"),
                "yes".equalsIgnoreCase(ex.header("X-SSH-Connect-Unknown-Hosts")), ex.remoteAddress());
        if (app.isHost() && withoutPassword(authorization) && signIn.enabled() && logins.loginsByIdentity()) {
            signIn.identity(ctx).whenComplete((who, err) -> {
                if (err != null) {
                    ex.fail(500, "Internal error in login process");
                } else if (who.isPresent()) {
                    answer(ex, app, logins.loginByIdentity(req, who.get()));
                } else if (authorization != null && !authorization.isBlank()) {
                    respond(ex, app, LoginOutcome.signInRefused());
                } else {
                    answer(ex, app, logins.login(req));
                }
            });
            return;
        }
        answer(ex, app, logins.login(req));
    }

    /** No credentials for the host itself: nothing, or a bearer token for the gateway sign-in. */
    private static boolean withoutPassword(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return true;
        }
        String a = authorization.strip();
        return a.length() > 7 && a.regionMatches(true, 0, "Bearer ", 0, 7);
    }

    private void answer(Exchange ex, Application app, java.util.concurrent.CompletableFuture<LoginOutcome> outcome) {
        outcome.whenComplete((o, err) -> {
            if (err != null) {
                ex.fail(500, "Internal error in login process");
                return;
            }
            respond(ex, app, o);
        });
    }

    private static ObjectNode successBody(WebSession s) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("csrf-token", s.csrfToken());
        if (s.loginData() != null) {
            body.set("login-data", s.loginData());
        }
        return body;
    }

    private void respond(Exchange ex, Application app, LoginOutcome outcome) {
        switch (outcome) {
            case LoginOutcome.Success s -> {
                WebSession session = s.session();
                ex.response().headers().add("Set-Cookie",
                        SetCookie.session(session.cookieName(), session.cookieValue(), ex.isHttps()));
                ex.json(200, null, CacheType.NO_CACHE, json(s.body()));
            }
            case LoginOutcome.Challenge c -> {
                String prompt = Base64.getEncoder().encodeToString(c.prompt().getBytes(StandardCharsets.UTF_8));
                ex.response().headers().set("WWW-Authenticate", "X-Conversation " + c.conversationId() + " " + prompt);
                ex.json(401, "Authentication failed", CacheType.NONE, json(c.body()));
            }
            case LoginOutcome.Failure f -> {
                if (f.json() != null) {
                    ex.json(f.status(), f.reason(), CacheType.NONE, json(f.json()));
                } else {
                    ex.fail(f.status(), f.reason());
                }
            }
        }
    }

    private static byte[] json(ObjectNode node) {
        try {
            return ControlMessage.MAPPER.writeValueAsBytes(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
