package io.cockpitwsjava.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** WebSocket Origin check with fnmatch semantics (docs/protocol.md §6.1). */
class OriginPolicyTest {

    @ParameterizedTest(name = "[{index}] self {0}: {1} → {2}")
    @CsvSource(nullValues = "NONE", delimiter = '|', value = {
            "https://gw.example.com:9090 | https://gw.example.com:9090   | true",
            "https://gw.example.com:9090 | HTTPS://GW.Example.COM:9090   | true",
            "HTTPS://GW.EXAMPLE.COM:9090 | https://gw.example.com:9090   | true",
            "https://gw.example.com:9090 | http://gw.example.com:9090    | false",
            "https://gw.example.com:9090 | https://gw.example.com:9091   | false",
            "https://gw.example.com:9090 | https://gw.example.com:90900  | false",
            "https://gw.example.com:9090 | https://gw.example.com        | false",
            "https://gw.example.com:9090 | NONE                          | false",
            "https://gw.example.com:9090 | ''                            | false",
            // IPv6 brackets in the Host header are literal, not a character class
            "http://[::1]:9090           | http://[::1]:9090             | true",
            "http://[::1]:9090           | http://:]:9090                | false",
            "http://[::1]:9090           | http://1:9090                 | false",
            "http://[fe80::1]:9090       | http://[FE80::1]:9090         | true",
            // glob characters in Host are escaped too
            "http://*                    | http://evil.example           | false",
            "http://*                    | http://*                      | true",
            "http://a?c                  | http://abc                    | false",
            "http://a?c                  | http://a?c                    | true",
            "http://a\\b                 | http://a\\b                   | true",
            "http://a\\b                 | http://ab                     | false",
    })
    void defaultPatternIsTheSelfOrigin(String self, String origin, boolean allowed) {
        assertEquals(allowed, OriginPolicy.allowed(origin, List.of(), self));
    }

    @ParameterizedTest(name = "[{index}] {0} ~ {1} → {2}")
    @CsvSource(delimiter = '|', value = {
            // patterns (space separated)               | origin                         | allowed
            "https://*.example.com                      | https://a.example.com          | true",
            "https://*.example.com                      | https://a.b.example.com        | true",
            "https://*.example.com                      | https://example.com            | false",
            "https://*.example.com                      | https://a.example.com.evil     | false",
            "https://*.example.com                      | https://x/y.example.com        | true",
            "*                                          | anything at all                | true",
            "https://*:*                                | https://h:1                    | true",
            "https://host?                              | https://host1                  | true",
            "https://host?                              | https://host                   | false",
            "https://host?                              | https://host12                 | false",
            "https://h[0-9]                             | https://h5                     | true",
            "https://h[0-9]                             | https://hx                     | false",
            "https://h[!0-9]                            | https://hx                     | true",
            "https://h[!0-9]                            | https://h5                     | false",
            "https://h[^0-9]                            | https://hx                     | true",
            "https://h[^0-9]                            | https://h5                     | false",
            "https://h[abc]                             | https://hb                     | true",
            "https://h[abc]                             | https://hd                     | false",
            "https://h[A-C]                             | https://HB                     | true",
            "https://h[a-]                              | https://h-                     | true",
            "https://h[]x]                              | https://h]                     | true",
            "https://h[]x]                              | https://hx                     | true",
            "https://h[]x]                              | https://hy                     | false",
            "https://h[!]x]                             | https://h]                     | false",
            "https://h[!]x]                             | https://hx                     | false",
            "https://h[!]x]                             | https://hy                     | true",
            "https://h[\\]]                             | https://h]                     | true",
            "https://h[\\]]                             | https://hx                     | false",
            "https://h[[:digit:]]                       | https://h7                     | true",
            "https://h[[:digit:]]                       | https://hx                     | false",
            "https://h[[:alpha:]]x                      | https://hQx                    | true",
            "https://h[                                 | https://h[                     | true",
            "https://h[                                 | https://hx                     | false",
            "https://h\\*                               | https://h*                     | true",
            "https://h\\*                               | https://hx                     | false",
            "https://h\\?                               | https://h?                     | true",
            "https://h\\?                               | https://hx                     | false",
            "https://h\\x                               | https://hx                     | true",
            "http://\\[::1\\]:9090                      | http://[::1]:9090              | true",
            "http://[::1]:9090                          | http://[::1]:9090              | false",
            "http://[::1]:9090                          | http://::9090                  | true",
            "HTTPS://GW.EXAMPLE.COM                     | https://gw.example.com         | true",
            "https://a https://b                        | https://b                      | true",
            "https://a https://b                        | https://c                      | false",
    })
    void configuredPatterns(String patterns, String origin, boolean allowed) {
        List<String> list = Arrays.asList(patterns.trim().split(" +"));
        assertEquals(allowed, OriginPolicy.allowed(origin, list, "https://self.example"), patterns + " ~ " + origin);
    }

    @Test
    @Timeout(60) // hang guard only: a backtracking matcher would not finish this within hours
    void manyStarsOnALongOriginStayFast() {
        // a recursive matcher needs ~n^k steps here; this one is linear in the pattern times the origin
        String origin = "https://" + "a".repeat(8000) + ".example";
        String pattern = "https://*a*a*a*a*a*a*a*a*b";
        assertEquals(false, OriginPolicy.allowed(origin, List.of(pattern), "https://self"));
        assertEquals(true, OriginPolicy.allowed(origin, List.of("https://*a*a*a*a*a*a*a*a*.example"), "https://self"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "https://gw:9090     | https://gw:9090",
            "http://[::1]:9090   | http://\\[::1\\]:9090",
            "http://a*b?c\\d     | http://a\\*b\\?c\\\\d",
    })
    void escape(String literal, String escaped) {
        assertEquals(escaped, OriginPolicy.escape(literal));
    }
}
