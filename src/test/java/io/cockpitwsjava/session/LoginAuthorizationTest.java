package io.cockpitwsjava.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.cockpitwsjava.session.LoginAuthorization.Basic;
import io.cockpitwsjava.session.LoginAuthorization.Conversation;
import io.cockpitwsjava.session.LoginAuthorization.Malformed;
import io.cockpitwsjava.session.LoginAuthorization.Missing;
import io.cockpitwsjava.session.LoginAuthorization.Unsupported;

/** The login {@code Authorization} header as LoginService.login reads it (docs/protocol.md §5). */
class LoginAuthorizationTest {

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", " ", "\t\r\n", "\u2003"})
    void absentOrBlankIsMissing(String header) {
        assertEquals(new Missing(), LoginAuthorization.parse(header));
    }

    @Test
    void basicKeepsTheSecondWordUndecoded() {
        String creds = b64("admin:secret\0");
        assertEquals(new Basic(creds), LoginAuthorization.parse("Basic " + creds));
        assertEquals(new Basic(creds), LoginAuthorization.parse("  bAsIc " + creds + "  \n"), "case, outer space");
        assertEquals(new Basic(creds), LoginAuthorization.parse("Basic " + creds + " ignored words"));
    }

    @Test
    void basicWithoutOneSpaceBeforeTheCredentialsHasEmptyCredentials() {
        assertEquals(new Basic(""), LoginAuthorization.parse("Basic"));
        // split at single spaces: a double space leaves an empty second word, which is what BasicCredentials gets
        assertEquals(new Basic(""), LoginAuthorization.parse("Basic  " + b64("a:b")));
    }

    @Test
    void conversationDecodesTheAnswer() {
        assertEquals(new Conversation("abc-_1", "my answer ü"),
                LoginAuthorization.parse("X-Conversation abc-_1 " + b64("my answer ü")));
        assertEquals(new Conversation("id", "yes"), LoginAuthorization.parse("x-conversation id " + b64("yes")));
    }

    @Test
    void conversationAnswerIsMimeDecoded() {
        // the MIME decoder skips characters outside the base64 alphabet instead of failing
        assertEquals(new Conversation("id", "yes"), LoginAuthorization.parse("X-Conversation id eW!Vz"));
        assertEquals(new Conversation("id", "yes"), LoginAuthorization.parse("X-Conversation id eWVz"));
    }

    @Test
    void invalidBase64AnswerIsEmpty() {
        assertEquals(new Conversation("id", ""), LoginAuthorization.parse("X-Conversation id eWVz="));
        assertEquals(new Conversation("id", ""), LoginAuthorization.parse("X-Conversation id ="));
    }

    @Test
    void badUtf8InTheAnswerBecomesReplacementCharacters() {
        String answer = Base64.getEncoder().encodeToString(new byte[] {'o', (byte) 0xff, 'k'});
        assertEquals(new Conversation("id", "o\ufffdk"), LoginAuthorization.parse("X-Conversation id " + answer));
    }

    @Test
    void emptyConversationIdIsStillAConversation() {
        // "X-Conversation  b64" splits into three words, the id being empty; no attempt has that id
        assertEquals(new Conversation("", "yes"), LoginAuthorization.parse("X-Conversation  " + b64("yes")));
    }

    /**
     * {@code X-Conversation id} is what login.js sends for an empty answer (btoa("") is empty and the trailing space
     * is trimmed); today it is Malformed, unlike upstream cockpit-ws, which reads an empty answer.
     */
    @ParameterizedTest
    @ValueSource(strings = {"X-Conversation", "X-Conversation id", "X-Conversation id eWVz more",
            "X-Conversation id  eWVz"})
    void conversationWithoutExactlyIdAndAnswerIsMalformed(String header) {
        assertEquals(new Malformed(), LoginAuthorization.parse(header));
    }

    @Test
    void otherSchemesAreUnsupportedAndLowerCased() {
        assertEquals(new Unsupported("bearer"), LoginAuthorization.parse("Bearer abc"));
        assertEquals(new Unsupported("negotiate"), LoginAuthorization.parse("Negotiate"));
        // only a space separates the scheme: a tab keeps it in the first word
        assertEquals(new Unsupported("basic\tywrtaw4="), LoginAuthorization.parse("Basic\tYWRtaW4="));
        assertEquals(new Unsupported("basicx"), LoginAuthorization.parse("BasicX abc"));
    }

    @Test
    void toStringShowsNoSecrets() {
        String creds = b64("admin:secret");
        assertFalse(LoginAuthorization.parse("Basic " + creds).toString().contains(creds));
        assertFalse(LoginAuthorization.parse("X-Conversation id " + b64("hunter2")).toString().contains("hunter2"));
        assertFalse(LoginAuthorization.parse(creds).toString().contains(creds.toLowerCase()));
    }
}
