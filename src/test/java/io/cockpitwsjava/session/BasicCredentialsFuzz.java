package io.cockpitwsjava.session;

import static io.cockpitwsjava.fuzz.FuzzFinding.check;
import static io.cockpitwsjava.fuzz.FuzzFinding.checkEqual;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import io.cockpitwsjava.fuzz.FuzzInput;

/**
 * Fuzz harness for {@link BasicCredentials#parse}: input = text mode byte + parts. The first part is parsed as the
 * base64 text of {@code Authorization: Basic}; parts two to four become user, password and known_hosts for a round
 * trip. Documented behaviour: null for invalid base64 or no colon before the NUL; never throws. Properties: the user
 * holds no colon and the password no NUL; {@code user:password\0known_hosts} encoded as login.js does parses back
 * to exactly those three strings.
 */
public final class BasicCredentialsFuzz {

    private BasicCredentialsFuzz() {
    }

    public static void fuzzerTestOneInput(byte[] data) {
        List<String> parts = new FuzzInput(data).parts();
        BasicCredentials c = BasicCredentials.parse(parts.get(0));
        if (c != null) {
            check(c.user().indexOf(':') < 0, "colon in user");
            check(new String(c.password()).indexOf('\0') < 0, "NUL in password");
            c.wipe();
            check(new String(c.password()).chars().allMatch(ch -> ch == 0), "wipe left password characters");
        }
        if (parts.size() < 2) {
            return;
        }
        String user = utf8(parts.get(1)).replace(":", "").replace("\0", "");
        String password = parts.size() > 2 ? utf8(parts.get(2)).replace("\0", "") : "";
        String known = parts.size() > 3 ? utf8(parts.get(3)) : "";
        String b64 = Base64.getEncoder().encodeToString((user + ":" + password + "\0" + known)
                .getBytes(StandardCharsets.UTF_8));
        BasicCredentials back = BasicCredentials.parse(" " + b64 + "\n");
        check(back != null, "login.js-style credentials rejected");
        checkEqual(user, back.user(), "user");
        checkEqual(password, new String(back.password()), "password");
        checkEqual(known, back.knownHosts(), "known_hosts");
    }

    /** The string as UTF-8 can carry it (lone surrogates become '?'). */
    private static String utf8(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    public static byte[] generate(Random r) {
        String[] raws = {"admin:secret\0", "admin:secret", "admin:a:b\0h ssh-ed25519 AAAA", ":pw\0", "nocolon\0a:b",
                "j\u00f6s\u00e9:p\u00e4ss\0", "a:b\0\0\0", ""};
        String raw = raws[r.nextInt(raws.length)];
        String b64 = Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        List<String> parts = new ArrayList<>();
        parts.add(switch (r.nextInt(5)) {
            case 0 -> b64.replace("=", "");
            case 1 -> b64.substring(0, b64.length() / 2) + "\n" + b64.substring(b64.length() / 2);
            case 2 -> b64.replace('+', '-');
            default -> b64;
        });
        if (r.nextBoolean()) {
            parts.add("user" + r.nextInt(9));
            parts.add("pass word:\u20ac");
            parts.add("[h]:22 ssh-ed25519 AAAA\nh2 ssh-rsa BBBB");
        }
        return new FuzzInput.Builder().parts(parts).build();
    }

    public static final List<String> DICTIONARY = List.of("=", "==", "Og", "AA", "+", "/", " ", "\n");
}
