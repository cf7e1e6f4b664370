package io.cockpitwsjava.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cockpitwsjava.config.GatewaySettings;
import io.cockpitwsjava.config.LoginPageSource;
import io.cockpitwsjava.protocol.ControlMessage;
import io.cockpitwsjava.session.Application;
import io.cockpitwsjava.session.SessionRegistry;

/**
 * The login page (docs/protocol.md §3.2) with base href, {@code environment} and translations injected: by default our
 * own page (built from {@code frontend/} into the jar as one self-contained document), else Cockpit's login.html.
 */
@Singleton
public class LoginPage {
    private static final Logger LOG = Logger.getLogger(LoginPage.class);
    private static final String MARKER = "<meta insert=\"dynamic_content_here\" />";
    private static final String TRANSLATIONS = "/*insert_translations_here*/";
    /** Where the Maven build puts the page built by Vite. */
    static final String BUILTIN_RESOURCE = "frontend/index.html";

    @Inject
    GatewaySettings settings;
    @Inject
    SessionRegistry registry;

    private Path directory() {
        return settings.customLoginPage()
                .orElseGet(() -> settings.dataDirs().stream().map(d -> d.resolve("cockpit/static"))
                        .filter(d -> Files.isRegularFile(d.resolve("login.html"))).findFirst()
                        .orElse(Path.of("/usr/share/cockpit/static")));
    }

    /** Our page, read from the classpath once (on first use); empty when the jar was built without it. */
    private static final class Builtin {
        static final Optional<String> PAGE = loadBuiltin();
    }

    private static Optional<String> loadBuiltin() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try (InputStream in = (loader != null ? loader : LoginPage.class.getClassLoader()).getResourceAsStream(BUILTIN_RESOURCE)) {
            if (in == null) {
                LOG.warnf("built-in login page %s is not in the jar (built with -Dskip.frontend?); serving Cockpit's login.html",
                        BUILTIN_RESOURCE);
                return Optional.empty();
            }
            String html = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!html.contains(MARKER)) {
                LOG.errorf("built-in login page lacks the injection marker %s; serving Cockpit's login.html", MARKER);
                return Optional.empty();
            }
            return Optional.of(html);
        } catch (IOException e) {
            LOG.errorf("cannot read the built-in login page: %s; serving Cockpit's login.html", e.getMessage());
            return Optional.empty();
        }
    }

    /** The page template: ours unless Cockpit's is configured or CustomLoginPage names a directory. */
    private Optional<String> template(Path dir, Exchange ex) {
        if (settings.loginPage() == LoginPageSource.BUILTIN && settings.customLoginPage().isEmpty()) {
            Optional<String> page = Builtin.PAGE;
            if (page.isPresent()) {
                return page;
            }
        }
        try {
            return Optional.of(Files.readString(dir.resolve("login.html"), StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOG.errorf("login page missing: %s (install cockpit-ws/cockpit-system or set cockpit.web.custom-login-page)", dir);
            ex.fail(500, "Cockpit web assets are not installed: " + dir.resolve("login.html") + " is missing");
            return Optional.empty();
        }
    }

    void serve(Exchange ex, Application app) {
        Path dir = directory();
        Optional<String> template = template(dir, ex);
        if (template.isEmpty()) {
            return;
        }
        String html = template.get();
        String inject = "\n    <base href=\"" + settings.urlRoot().map(r -> r + "/").orElse("/") + "\">\n    <script>\nvar environment = " + environment(ex) + ";\n    </script>";
        html = html.replace(MARKER, MARKER + inject);
        if (html.contains(TRANSLATIONS)) {
            html = html.replace(TRANSLATIONS, translations(dir, ex));
        }
        var h = ex.response().headers();
        h.set("Content-Type", "text/html");
        h.set("Content-Security-Policy", ContentSecurityPolicy.forOrigin("default-src 'self' 'unsafe-inline'", ex.selfOrigin()));
        h.add("Set-Cookie", SetCookie.deleted(app.cookieName(), ex.isHttps()));
        ex.send(200, null, CacheType.NO_CACHE, html.getBytes(StandardCharsets.UTF_8));
    }

    private String environment(Exchange ex) {
        ObjectNode env = JsonNodeFactory.instance.objectNode();
        env.put("is_cockpit_client", false);
        ObjectNode page = env.putObject("page");
        settings.loginTitle().ifPresent(t -> page.put("title", t));
        page.put("connect", settings.loginTo());
        page.put("require_host", settings.requireHost());
        page.put("allow_multihost", settings.allowMultiHost());
        var logged = env.putArray("logged_into");
        // the host comes from the session, not from the (encoded) cookie name; a cookie counts only under the name
        // its session was issued with
        ex.cookies().forEach((name, value) -> registry.byCookieValue(value)
                .filter(s -> s.cookieName().equals(name))
                .ifPresent(s -> {
                    Application of = Application.fromPath("/" + s.application());
                    if (name.equals("cockpit")) {
                        logged.add(".");
                    } else if (of.isHost()) {
                        logged.add(of.host());
                    }
                }));
        env.put("hostname", HOSTNAME);
        settings.banner().ifPresent(b -> env.put("banner", b));
        try {
            // '</' must not end the inline script
            return ControlMessage.MAPPER.writeValueAsString(env).replace("</", "<\\/");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Looked up once: getLocalHost() may ask the resolver, and the login page is served often. */
    private static final String HOSTNAME = hostname();

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static String translations(Path dir, Exchange ex) {
        String lang = ex.cookies().get("CockpitLang");
        if (lang == null) {
            String al = ex.header("Accept-Language");
            if (al != null && !al.isBlank()) {
                lang = al.split(",")[0].split(";")[0].strip();
            }
        }
        List<String> names = new ArrayList<>();
        if (lang != null && lang.matches("[A-Za-z_-]{1,20}")) {
            String l = lang.toLowerCase(Locale.ROOT).replace('-', '_');
            String[] parts = l.split("_");
            if (parts.length > 1) {
                names.add("po." + parts[0] + "_" + parts[1].toUpperCase(Locale.ROOT) + ".js");
            }
            names.add("po." + parts[0] + ".js");
        }
        for (String n : names) {
            try {
                return Files.readString(dir.resolve(n), StandardCharsets.UTF_8);
            } catch (IOException e) {
                // next candidate
            }
        }
        return "";
    }
}
