package io.cockpitwsjava.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one writer of {@code Set-Cookie} headers refuses what would change the header's meaning. */
class SetCookieTest {

    @Test
    void writesTheContractFormats() {
        assertEquals("machine-cockpit+u%40h%3A2222=abc-_0; Path=/; SameSite=Strict; HttpOnly",
                SetCookie.session("machine-cockpit+u%40h%3A2222", "abc-_0", false));
        assertEquals("cockpit=abc; Path=/; SameSite=Strict; Secure; HttpOnly", SetCookie.session("cockpit", "abc", true));
        assertEquals("cockpit=deleted; PATH=/; SameSite=strict; HttpOnly", SetCookie.deleted("cockpit", false));
        assertEquals("cockpit=deleted; PATH=/; SameSite=strict; Secure; HttpOnly", SetCookie.deleted("cockpit", true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a;b", "a=b", "a b", "a,b", "machine-cockpit+u@h", "a:b", "[::1]", "a\"b", "a\tb", "\u00e9"})
    void refusesNamesThatAreNoToken(String name) {
        assertThrows(IllegalArgumentException.class, () -> SetCookie.session(name, "v", false));
        assertThrows(IllegalArgumentException.class, () -> SetCookie.deleted(name, false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a;b", "a b", "a,b", "a\"b", "a\\b", "\u00e9", "a\r\nSet-Cookie: x=y"})
    void refusesValuesThatAreNoCookieOctets(String value) {
        assertThrows(IllegalArgumentException.class, () -> SetCookie.session("cockpit", value, false));
    }
}
