package io.cockpitwsjava.session;

import static io.cockpitwsjava.fuzz.FuzzFinding.check;
import static io.cockpitwsjava.fuzz.FuzzFinding.checkEqual;

import java.util.List;
import java.util.Random;

import io.cockpitwsjava.fuzz.FuzzInput;

/**
 * Fuzz harness for {@link Application#fromPath}, {@link Application#cookieName} and {@link Application#urlPrefix}:
 * input = text mode byte + a raw request path. Documented behaviour: every path maps to an application, never
 * throws. Properties: the name is {@code cockpit} or starts with {@code cockpit+}; a host application's name is
 * {@code cockpit+=HOST} with a non-empty HOST; the first segment holds no {@code /} or {@code ?}; the URL prefix maps back to the same
 * application; the cookie name follows from name and host. (Whether the cookie name is safe in a
 * {@code Set-Cookie} header is {@code CookieNameTokenFuzz}'s property.)
 */
public final class ApplicationFuzz {

    private ApplicationFuzz() {
    }

    public static void fuzzerTestOneInput(byte[] data) {
        String path = new FuzzInput(data).restText();
        Application app = Application.fromPath(path);
        String segment = Application.firstSegment(path);
        check(segment.indexOf('/') < 0 && segment.indexOf('?') < 0, "first segment with / or ?: " + segment);
        check(app.name().equals("cockpit") || (app.name().startsWith("cockpit+") && app.name().length() > 8),
                "bad application name " + app.name());
        // "cockpit+=" alone names no host: it is an ordinary application, as upstream's parser has it
        checkEqual(app.name().startsWith("cockpit+=") && app.name().length() > 9, app.isHost(),
                "isHost of " + app.name());
        if (app.isHost()) {
            checkEqual(app.name().substring("cockpit+=".length()), app.host(), "host");
            check(!app.host().isEmpty(), "empty host");
            checkEqual("machine-cockpit+" + CookieName.encode(app.host()), app.cookieName(), "host cookie name");
        } else {
            checkEqual(CookieName.encode(app.name()), app.cookieName(), "cookie name");
        }
        check(CookieName.isToken(app.cookieName()), "cookie name is not an RFC 6265 token: " + app.cookieName());
        checkEqual(app, Application.fromPath(app.urlPrefix() + "/login"), "application of its URL prefix");
        checkEqual(app, Application.fromPath(app.urlPrefix()), "application of its bare URL prefix");
    }

    public static byte[] generate(Random r) {
        String[] paths = {"/", "/cockpit/login", "/cockpit+app/socket", "/cockpit+=host/login", "/=host/x",
                "/=user@host:2222/login", "/=", "/cockpit+=", "/cockpit+", "//", "/=h?x=1", "?", "",
                "/=victimhost=ATTACKER;Path=/;Max-Age=31536000;x/", "/=[::1]:22/", "/cockpit+=%2e%2e/"};
        return new FuzzInput.Builder().text(paths[r.nextInt(paths.length)]).build();
    }

    public static final List<String> DICTIONARY = List.of("/", "=", "?", "cockpit+", "cockpit+=", "/=", ";", "%",
            "@", ":");
}
