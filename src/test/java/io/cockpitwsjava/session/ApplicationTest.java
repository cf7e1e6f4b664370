package io.cockpitwsjava.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Application name, host, cookie name and URL prefix of a path (docs/protocol.md §2.1, §2.2). */
class ApplicationTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(nullValues = "NONE", delimiter = '|', value = {
            // path                          | application              | host                 | cookie
            "/cockpit+=h/x                   | cockpit+=h               | h                    | machine-cockpit+h",
            "/cockpit+=h                     | cockpit+=h               | h                    | machine-cockpit+h",
            "/=h                             | cockpit+=h               | h                    | machine-cockpit+h",
            "/=h/                            | cockpit+=h               | h                    | machine-cockpit+h",
            "/=h/system/services             | cockpit+=h               | h                    | machine-cockpit+h",
            "/=root@10.0.0.5:2222/network    | cockpit+=root@10.0.0.5:2222 | root@10.0.0.5:2222 | machine-cockpit+root%4010.0.0.5%3A2222",
            "/=[fd00::1]:22/x                | cockpit+=[fd00::1]:22    | [fd00::1]:22         | machine-cockpit+%5Bfd00%3A%3A1%5D%3A22",
            "/=a%20b/x                       | cockpit+=a%20b           | a%20b                | machine-cockpit+a%2520b",
            "/cockpit+name/x                 | cockpit+name             | NONE                 | cockpit+name",
            "/cockpit+name                   | cockpit+name             | NONE                 | cockpit+name",
            "/cockpit+application/other/other| cockpit+application      | NONE                 | cockpit+application",
            "/cockpit                        | cockpit                  | NONE                 | cockpit",
            "/cockpit/login                  | cockpit                  | NONE                 | cockpit",
            "/                               | cockpit                  | NONE                 | cockpit",
            "/system                         | cockpit                  | NONE                 | cockpit",
            "/other/other                    | cockpit                  | NONE                 | cockpit",
            "/cockpit+                       | cockpit                  | NONE                 | cockpit",
            "/cockpit+/x                     | cockpit                  | NONE                 | cockpit",
            "/=                              | cockpit                  | NONE                 | cockpit",
            "/=/x                            | cockpit                  | NONE                 | cockpit",
            "/cockpitx/y                     | cockpit                  | NONE                 | cockpit",
            // upstream: "cockpit+=" is an application name but names no host
            "/cockpit+=                      | cockpit+=                | NONE                 | cockpit+%3D",
            "/cockpit+=/x                    | cockpit+=                | NONE                 | cockpit+%3D",
    })
    void fromPath(String path, String name, String host, String cookie) {
        Application app = Application.fromPath(path);
        assertEquals(name, app.name(), "name");
        assertEquals(host, app.host(), "host");
        assertEquals(host != null, app.isHost(), "isHost");
        assertEquals(cookie, app.cookieName(), "cookie");
        assertEquals("/" + name, app.urlPrefix(), "urlPrefix");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/              | ''",
            "/system        | system",
            "/system/x/y    | system",
            "/=h?x=1        | =h",
            "/cockpit+a/b   | cockpit+a",
            "noslash/x      | noslash",
            "//x            | ''",
    })
    void firstSegment(String path, String first) {
        assertEquals(first, Application.firstSegment(path));
    }

    @ParameterizedTest
    @CsvSource(nullValues = "NONE", delimiter = '|', value = {
            "/=h/x                           | h",
            "/=root@10.0.0.5:2222/x          | root@10.0.0.5:2222",
            "/=[fd00::1]:2222/x              | [fd00::1]:2222",
            "/=fd00::1/x                     | [fd00::1]",
            "/=victimhost=ATTACKER;Path=/;x/ | NONE",
            "/=a;b/x                         | NONE",
            "/=a%20b/x                       | NONE",
            "/=-oProxyCommand=x/x            | NONE",
            "/cockpit+name/x                 | NONE",
            "/                               | NONE",
    })
    void targetIsTheStrictlyParsedHost(String path, String display) {
        Application app = Application.fromPath(path);
        assertEquals(display, app.target().map(t -> t.display()).orElse(null));
    }

    /** The property of issue 7 row 4: whatever the path, the cookie name is an RFC 6265 token. */
    @Test
    void cookieNamesOfAnyPathAreTokens() {
        Random random = new Random(7);
        String alphabet = "aZ09-._~!$&'()*+,;=:@/?#[]%\"\\ {}<>\t\u00e9\u2603\ud83d\ude00\ud800";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder path = new StringBuilder(random.nextBoolean() ? "/=" : "/cockpit+");
            int n = random.nextInt(24);
            for (int j = 0; j < n; j++) {
                path.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String name = Application.fromPath(path.toString()).cookieName();
            assertTrue(CookieName.isToken(name), () -> "<" + name + "> from <" + path + ">");
        }
    }

    @Test
    void distinctApplicationsKeepDistinctCookies() {
        String[] hosts = {"a@b", "a:b", "a;b", "ab", "a%40b", "a%b", "a\u00e9", "a%u00E9", "a=b", "a%3Db", "[::1]:22",
                "%5B::1%5D:22"};
        Set<String> names = new HashSet<>();
        for (String h : hosts) {
            assertTrue(names.add(Application.fromPath("/=" + h + "/").cookieName()), h);
        }
        assertNotEquals(Application.fromPath("/cockpit+=/").cookieName(), Application.fromPath("/cockpit+%3D/").cookieName());
        assertEquals("cockpit", Application.fromPath("/").cookieName());
        assertEquals("cockpit+app", Application.fromPath("/cockpit+app/x").cookieName());
    }
}
