package io.cockpitwsjava.session;

import static io.cockpitwsjava.fuzz.FuzzFinding.check;

import java.util.List;
import java.util.Random;

import io.cockpitwsjava.fuzz.FuzzInput;

/**
 * Fuzz property for an open defect: a cookie name derived from any request path contains only RFC 6265
 * {@code token} characters (visible ASCII except the separators {@code ( ) < > @ , ; : \ " / [ ] ? = { }}).
 * Today {@link Application#cookieName} copies the host part of {@code /=HOST/...} into the name unchanged, so
 * {@code GET /=victimhost=ATTACKER;Path=/;Max-Age=31536000;x/} injects cookie attributes into the gateway's
 * {@code Set-Cookie}; the name of a {@code /cockpit+NAME/} application is copied the same way. Not in the default
 * fuzz run nor in surefire until the fix lands; see
 * {@link CookieNameInjectionRegressionTest}. Input = text mode byte + a raw request path.
 */
public final class CookieNameTokenFuzz {

    private static final String SEPARATORS = "()<>@,;:\\\"/[]?={} \t";

    private CookieNameTokenFuzz() {
    }

    public static void fuzzerTestOneInput(byte[] data) {
        String path = new FuzzInput(data).restText();
        String name = Application.fromPath(path).cookieName();
        check(!name.isEmpty() && name.chars().allMatch(CookieNameTokenFuzz::isTokenChar),
                "cookie name is not an RFC 6265 token: <" + name + "> from path <" + path + ">");
    }

    static boolean isTokenChar(int c) {
        return c > 0x20 && c < 0x7f && SEPARATORS.indexOf(c) < 0;
    }

    public static byte[] generate(Random r) {
        return ApplicationFuzz.generate(r);
    }

    public static final List<String> DICTIONARY = ApplicationFuzz.DICTIONARY;
}
