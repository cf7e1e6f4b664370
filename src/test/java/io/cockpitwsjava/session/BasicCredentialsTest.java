package io.cockpitwsjava.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code Authorization: Basic} as login.js sends it (docs/protocol.md §5.2, §5.9). */
class BasicCredentialsTest {

    private static String b64(String raw) {
        return Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            // raw (\0 written as <NUL>)                 | user   | password       | known_hosts
            "admin:secret<NUL>                           | admin  | secret         | ''",
            "admin:secret                                | admin  | secret         | ''",
            "admin:secret<NUL>h ssh-ed25519 AAAA         | admin  | secret         | h ssh-ed25519 AAAA",
            "admin:a:b:c<NUL>[h]:22 ssh-rsa AAAA         | admin  | a:b:c          | [h]:22 ssh-rsa AAAA",
            "admin:pässwörd€<NUL>                        | admin  | pässwörd€      | ''",
            "jösé:pw<NUL>                                | jösé   | pw             | ''",
            "admin:<NUL>                                 | admin  | ''             | ''",
            ":pw<NUL>                                    | ''     | pw             | ''",
            "admin:pw<NUL>line1\\nline2<NUL>x            | admin  | pw             | line1\\nline2<NUL>x",
    })
    void parses(String raw, String user, String password, String knownHosts) {
        String r = raw.replace("<NUL>", "\0").replace("\\n", "\n");
        BasicCredentials c = BasicCredentials.parse(b64(r));
        assertNotNull(c, raw);
        assertEquals(user, c.user());
        assertEquals(password, new String(c.password()));
        assertEquals(knownHosts.replace("<NUL>", "\0").replace("\\n", "\n"), c.knownHosts());
    }

    @Test
    void acceptsMissingPaddingAndSurroundingWhitespace() {
        String padded = b64("ab:c"); // "YWI6Yw=="
        assertEquals("YWI6Yw==", padded);
        assertEquals("ab", BasicCredentials.parse("YWI6Yw").user());
        assertEquals("c", new String(BasicCredentials.parse("  YWI6Yw==  ").password()));
    }

    @Test
    void standardAlphabetWithPlusAndSlash() {
        String enc = b64("u:>>>???");
        assertEquals("dTo+Pj4/Pz8=", enc);
        assertEquals(">>>???", new String(BasicCredentials.parse(enc).password()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "not base64!",
            "YWI6Yw=x",
            "c2NydWZ!!eXplcm9n",
            "YWRtaW4-c2VjcmV0",  // URL-safe alphabet is not what login.js sends
    })
    void rejectsBadBase64(String b64) {
        assertNull(BasicCredentials.parse(b64));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "adminsecret",
            "''",
            "admin<NUL>known:hosts",   // the colon must come before the known_hosts part
    })
    void rejectsMissingColon(String raw) {
        assertNull(BasicCredentials.parse(b64(raw.replace("<NUL>", "\0"))), raw);
    }

    @Test
    void wipeClearsThePassword() {
        BasicCredentials c = BasicCredentials.parse(b64("u:secret\0"));
        c.wipe();
        assertArrayEquals(new char[6], c.password());
        assertFalse(c.toString().contains("secret"));
    }
}
