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

/** {@code GET /<app>/login} (ws-contract §5): maps {@link LoginOutcome}s to HTTP/1.1 with reason phrases. */
@Singleton
public class LoginEndpoint {

    @Inject
    LoginService logins;
    @Inject
    SessionRegistry registry;

    void handle(Exchange ex, Application app) {
        Optional<WebSession> existing = registry.find(app, ex.cookies());
        if (existing.isPresent()) {
            ex.json(200, null, CacheType.NO_CACHE, json(successBody(existing.get())));
            return;
        }
        LoginService.Request req = new LoginService.Request(app, ex.header("Authorization"), ex.header("X-Superuser"),
                "yes".equalsIgnoreCase(ex.header("X-SSH-Connect-Unknown-Hosts")), ex.remoteAddress());
        logins.login(req).whenComplete((outcome, err) -> {
            if (err != null) {
                ex.fail(500, "Internal error in login process");
                return;
            }
            respond(ex, app, outcome);
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
