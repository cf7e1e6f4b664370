package io.cockpitwsjava.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LogTextTest {

    @Test
    void plainTextIsQuotedAsIs() {
        assertEquals("\"admin\"", LogText.quoted("admin"));
        assertEquals("\"jörg@host.example:2222\"", LogText.quoted("jörg@host.example:2222"));
        assertEquals("\"😀\"", LogText.quoted("😀"));
    }

    @Test
    void lineBreaksCannotStartAnotherLine() {
        String q = LogText.quoted("a\nINFO fake\r\n");
        assertEquals("\"a\\nINFO fake\\r\\n\"", q);
        for (String breaker : new String[] { "\u0085", "\u2028", "\u2029", "\u000b", "\u000c", "\u001b[2J" }) {
            String out = LogText.quoted("x" + breaker + "y");
            assertFalse(out.chars().anyMatch(c -> Character.getType(c) == Character.CONTROL
                    || Character.getType(c) == Character.LINE_SEPARATOR
                    || Character.getType(c) == Character.PARAGRAPH_SEPARATOR), out);
        }
    }

    @Test
    void quotesBackslashesAndInvisibleCharactersAreEscaped() {
        assertEquals("\"say \\\"hi\\\" \\\\o/\"", LogText.quoted("say \"hi\" \\o/"));
        assertEquals("\"evil\\u202etxt.exe\"", LogText.quoted("evil\u202etxt.exe"));
        assertEquals("\"\\u0000\"", LogText.quoted("\0"));
        assertEquals("\"lone \\ud800 half\"", LogText.quoted("lone \ud800 half"));
    }

    @Test
    void longTextIsShortened() {
        String q = LogText.quoted("x".repeat(20_000));
        assertTrue(q.length() < LogText.MAX_CHARS + 40, q);
        assertTrue(q.endsWith("...(20000 chars)"), q);
    }

    @Test
    void nullIsTheWordNull() {
        assertEquals("null", LogText.quoted(null));
    }
}
