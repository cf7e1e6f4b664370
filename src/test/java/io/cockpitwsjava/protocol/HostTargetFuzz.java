package io.cockpitwsjava.protocol;

import static io.cockpitwsjava.fuzz.FuzzFinding.check;
import static io.cockpitwsjava.fuzz.FuzzFinding.checkEqual;

import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import io.cockpitwsjava.fuzz.FuzzInput;

/**
 * Fuzz harness for {@link HostTarget#parse}: input = text mode byte + the destination string. Documented error:
 * {@link IllegalArgumentException}, whose message is printable ASCII (it reaches logs). Properties of an accepted
 * destination: {@code parse(display())} gives it back; the host is a plain name or an IPv6 literal made only of
 * {@code [A-Za-z0-9._:%-]} (no option, shell or URL metacharacter but the IPv6 colon and zone {@code %}), never
 * starting with {@code -}; the user never starts with {@code -} and has no white space, control character, {@code /}
 * or {@code :}; the port is in range.
 */
public final class HostTargetFuzz {

    private static final Pattern SAFE_HOST = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*"
            + "|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9._-]+)?");
    private static final Pattern PRINTABLE_ASCII = Pattern.compile("[\\x20-\\x7e]*");

    private HostTargetFuzz() {
    }

    public static void fuzzerTestOneInput(byte[] data) {
        String spec = new FuzzInput(data).restText();
        HostTarget t;
        try {
            t = HostTarget.parse(spec);
        } catch (IllegalArgumentException e) {
            check(e.getMessage() != null && PRINTABLE_ASCII.matcher(e.getMessage()).matches(),
                    "error message is not printable ASCII: " + e.getMessage());
            return;
        }
        check(SAFE_HOST.matcher(t.host()).matches() && t.host().length() <= 255, "unsafe host accepted: " + t.host());
        check(t.port() >= 1 && t.port() <= 65535, "port out of range");
        String user = t.user();
        if (user != null) {
            check(!user.isEmpty() && user.charAt(0) != '-', "user empty or starting with '-'");
            check(user.chars().noneMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c)
                    || Character.isSpaceChar(c) || c == '/' || c == ':'), "bad character in user " + user);
        }
        String display = t.display();
        check(!display.startsWith("-"), "display starts with '-'");
        try {
            checkEqual(t, HostTarget.parse(display), "parse(display())");
        } catch (IllegalArgumentException e) {
            throw new io.cockpitwsjava.fuzz.FuzzFinding("display() of an accepted target does not parse: " + e.getMessage());
        }
        String known = t.knownHostsName();
        check(known.chars().noneMatch(c -> c <= ' ' || c == ','), "known_hosts name with a separator: " + known);
    }

    private static final String[] HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]", "fe80::1%eth0", "[fe80::1%lo]",
            "host-1.example", "_gateway", "2001:db8::17", "::ffff:10.0.0.1", "a", "web.example.com", "1.2.3.4"};
    private static final String[] USERS = {"", "root@", "admin@", "user.name@", "a@b@", "-o@", "\u00e9@", "x y@",
            "u$(id)@", "u;ls@"};
    private static final String[] PORTS = {"", ":22", ":2222", ":0", ":65535", ":65536", ":99999", ":", ":-1", "::22"};

    public static byte[] generate(Random r) {
        String spec = USERS[r.nextInt(USERS.length)] + HOSTS[r.nextInt(HOSTS.length)] + PORTS[r.nextInt(PORTS.length)];
        return new FuzzInput.Builder().text(spec).build();
    }

    public static final List<String> DICTIONARY = List.of("@", ":", "[", "]", "%", "-", "/", "::", ".", " ", "\t",
            "\u00a0", "\u2028", "localhost", ":22", "%25");
}
