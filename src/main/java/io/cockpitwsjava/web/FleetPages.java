package io.cockpitwsjava.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cockpitwsjava.config.GatewaySettings;
import io.cockpitwsjava.protocol.ControlMessage;
import io.cockpitwsjava.signin.SignIn;
import io.quarkus.runtime.StartupEvent;

/**
 * The gateway's own fleet-mode pages, built from {@code frontend/} into the jar: the fleet page
 * ({@code frontend/fleet.html}) and the users-file sign-in page ({@code frontend/sign-in.html}). Like the login page
 * they get {@code <base href="<root>/">} and {@code var environment = {...}} after
 * {@code <meta insert="dynamic_content_here" />}, a CSP of {@code default-src 'self' 'unsafe-inline'} and no caching.
 */
@Singleton
public class FleetPages {
    private static final Logger LOG = Logger.getLogger(FleetPages.class);
    private static final String MARKER = "<meta insert=\"dynamic_content_here\" />";
    static final String FLEET = "frontend/fleet.html";
    static final String SIGN_IN = "frontend/sign-in.html";

    @Inject
    GatewaySettings settings;
    @Inject
    SignIn signIn;

    /** Templates read from the class path once; an absent one is remembered as absent. */
    private final Map<String, Optional<String>> templates = new ConcurrentHashMap<>();

    /** Reads the pages at start when a sign-in is configured: the event loop never waits for the jar. */
    void preload(@Observes StartupEvent start, SignIn signIn) {
        if (signIn.enabled()) {
            templates.computeIfAbsent(FLEET, FleetPages::load);
        }
        if (signIn.method().equals(java.util.Optional.of(SignIn.Method.USERS_FILE))) {
            templates.computeIfAbsent(SIGN_IN, FleetPages::load);
        }
    }

    /** Sends the page {@code resource} with {@code environment} injected (500 if the jar was built without it). */
    void serve(Exchange ex, String resource, ObjectNode environment) {
        Optional<String> template = templates.computeIfAbsent(resource, FleetPages::load);
        if (template.isEmpty()) {
            ex.fail(500, "This page is missing from the gateway (built with -Dskip.frontend?)");
            return;
        }
        String env;
        try {
            // '</' must not end the inline script
            env = ControlMessage.MAPPER.writeValueAsString(environment).replace("</", "<\\/");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        String inject = "\n    <base href=\"" + settings.urlRoot().map(r -> r + "/").orElse("/")
                + "\">\n    <script>\nvar environment = " + env + ";\n    </script>";
        String html = template.get().replace(MARKER, MARKER + inject);
        var h = ex.response().headers();
        h.set("Content-Type", "text/html");
        // not the gateway's default no-referrer: under it browsers send "Origin: null" with same-origin POSTs, and
        // sign-in and sign-out accept only an allowed Origin (other origins still get no referrer)
        h.set("Referrer-Policy", "same-origin");
        // the sign-out form's POST is redirected to the provider's logout: form-action covers that redirect too
        String formAction = "form-action 'self'" + signIn.providerOrigin().map(o -> " " + o).orElse("");
        h.set("Content-Security-Policy",
                ContentSecurityPolicy.forOrigin("default-src 'self' 'unsafe-inline'; " + formAction, ex.selfOrigin()));
        ex.send(200, null, CacheType.NO_CACHE, html.getBytes(StandardCharsets.UTF_8));
    }

    private static Optional<String> load(String resource) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try (InputStream in = (loader != null ? loader : FleetPages.class.getClassLoader()).getResourceAsStream(resource)) {
            if (in == null) {
                LOG.errorf("%s is not in the jar (built with -Dskip.frontend?)", resource);
                return Optional.empty();
            }
            String html = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!html.contains(MARKER)) {
                LOG.errorf("%s lacks the injection marker %s", resource, MARKER);
                return Optional.empty();
            }
            return Optional.of(html);
        } catch (IOException e) {
            LOG.errorf("cannot read %s: %s", resource, e.getMessage());
            return Optional.empty();
        }
    }
}
