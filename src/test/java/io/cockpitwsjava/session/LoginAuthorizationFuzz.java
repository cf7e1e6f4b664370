package io.cockpitwsjava.session;

import static io.cockpitwsjava.fuzz.FuzzFinding.check;
import static io.cockpitwsjava.fuzz.FuzzFinding.checkEqual;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import io.cockpitwsjava.fuzz.FuzzInput;

/**
 * Fuzz harness for {@link LoginAuthorization#parse}: input = text mode byte + the header value. Documented behaviour:
 * never throws. Properties: it agrees with {@link #inlineOracle}, the header reading of LoginService.login as written
 * before LoginAuthorization existed; ids and Basic credentials hold no space; an answer sent as the browser sends it
 * (standard base64 of UTF-8) comes back unchanged, unless it is empty.
 */
public final class LoginAuthorizationFuzz {

    private LoginAuthorizationFuzz() {
    }

    public static void fuzzerTestOneInput(byte[] data) {
        String header = new FuzzInput(data).restText();
        LoginAuthorization parsed = LoginAuthorization.parse(header);
        checkEqual(inlineOracle(header), parsed, "LoginAuthorization vs LoginService's inline reading");
        if (parsed instanceof LoginAuthorization.Conversation c) {
            check(c.id().indexOf(' ') < 0, "space in conversation id");
        } else if (parsed instanceof LoginAuthorization.Basic b) {
            check(b.credentials().indexOf(' ') < 0, "space in Basic credentials");
        }

        String answer = new String(header.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        if (answer.isEmpty()) {
            // login.js sends "X-Conversation <id> " for an empty answer; today that is Malformed (see the unit test)
            return;
        }
        String sent = "X-Conversation c1d " + Base64.getEncoder().encodeToString(answer.getBytes(StandardCharsets.UTF_8));
        checkEqual(new LoginAuthorization.Conversation("c1d", answer), LoginAuthorization.parse(sent), "answer sent");
    }

    /**
     * The header reading of {@code LoginService.login} transcribed as it stood when LoginAuthorization was written,
     * mapped to the outcome each branch produced. Keep it unchanged: it pins the behaviour the new class must keep.
     */
    static LoginAuthorization inlineOracle(String auth) {
        if (auth == null || auth.isBlank()) {
            return new LoginAuthorization.Missing();                       // 401 Authentication required
        }
        String[] parts = auth.strip().split(" ");
        String scheme = parts[0].toLowerCase(Locale.ROOT);
        if (scheme.equals("x-conversation")) {
            if (parts.length != 3) {
                return new LoginAuthorization.Malformed();                 // 401 Invalid conversation token
            }
            String answer;
            try {
                answer = new String(Base64.getMimeDecoder().decode(parts[2]), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                answer = "";
            }
            return new LoginAuthorization.Conversation(parts[1], answer);  // conversations.remove(parts[1])
        }
        if (!scheme.equals("basic")) {
            return new LoginAuthorization.Unsupported(scheme);             // 401 Authentication disabled
        }
        return new LoginAuthorization.Basic(parts.length > 1 ? parts[1] : ""); // BasicCredentials.parse(...)
    }

    public static byte[] generate(Random r) {
        String b64 = Base64.getEncoder().encodeToString(("user:pw\0known").getBytes(StandardCharsets.UTF_8));
        String[] headers = {"Basic " + b64, "basic " + b64, "Basic", "Basic  " + b64, " Basic " + b64 + " ",
                "X-Conversation abc " + b64, "X-Conversation abc", "X-Conversation  " + b64,
                "x-conversation a b c", "X-Conversation id eWVz=", "Negotiate abc", "Bearer", "", " ",
                "Basic\t" + b64, "X-Conversation id \u00e9"};
        return new FuzzInput.Builder().text(headers[r.nextInt(headers.length)]).build();
    }

    public static final List<String> DICTIONARY = List.of("Basic ", "X-Conversation ", " ", "=", "==", "\t",
            "\u00a0", "\u2003");
}
