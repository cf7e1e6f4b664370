package io.cockpitwsjava.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reason phrases (docs/protocol.md §1.7). */
class ReasonPhraseTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "Authentication failed                     | Authentication failed",
            "Authentication failed: no-host            | Authentication failed: no-host",
            "AZaz09-._~ :                              | AZaz09-._~ :",
            "a/b                                       | a%2Fb",
            "50% done                                  | 50%25 done",
            "x+y=z&q?#                                 | x%2By%3Dz%26q%3F%23",
            "\"quoted\" 'single'                       | %22quoted%22 %27single%27",
            "Zugriff verweigert für Jörg               | Zugriff verweigert f%C3%BCr J%C3%B6rg",
            "€                                         | %E2%82%AC",
            "😀                                        | %F0%9F%98%80",
            "tab\there                                 | tab%09here",
            "''                                        | ''",
    })
    void encodes(String message, String expected) {
        assertEquals(expected, ReasonPhrase.encode(message.replace("\\t", "\t")));
    }

    @Test
    void encodedPhraseIsHeaderSafeAndDecodesBack() {
        long seed = 20240601L;
        Random r = new Random(seed);
        for (int i = 0; i < 2000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int n = r.nextInt(20); n > 0; n--) {
                int cp = switch (r.nextInt(3)) {
                    case 0 -> r.nextInt(0x80);
                    case 1 -> 0x80 + r.nextInt(0x780);
                    default -> 0x10000 + r.nextInt(0x1000);
                };
                sb.appendCodePoint(cp);
            }
            String message = sb.toString();
            String encoded = ReasonPhrase.encode(message);
            for (char c : encoded.toCharArray()) {
                boolean ok = c == '%' || c == ' ' || c == ':' || c == '-' || c == '.' || c == '_' || c == '~'
                        || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
                assertEquals(true, ok, "char " + (int) c + " in " + encoded + ", seed " + seed);
            }
            // login.js decodeURIComponent()s the phrase; '+' never appears, so URLDecoder is equivalent here
            assertEquals(message, URLDecoder.decode(encoded, StandardCharsets.UTF_8), "seed " + seed);
        }
    }

    @ParameterizedTest
    @CsvSource({
            "400, Bad request", "401, Not Authorized", "403, Forbidden", "404, Not Found",
            "405, Method Not Allowed", "413, Request Entity Too Large", "500, Internal Server Error",
            "502, Remote Page is Unavailable", "503, Internal Server Error", "200, OK",
    })
    void standardPhrases(int status, String phrase) {
        assertEquals(phrase, ReasonPhrase.standard(status));
    }
}
