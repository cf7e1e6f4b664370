package io.cockpitwsjava.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Application name, host, cookie name and URL prefix of a path (ws-contract §2.1, §2.2). */
class ApplicationTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(nullValues = "NONE", delimiter = '|', value = {
            // path                          | application              | host                 | cookie
            "/cockpit+=h/x                   | cockpit+=h               | h                    | machine-cockpit+h",
            "/cockpit+=h                     | cockpit+=h               | h                    | machine-cockpit+h",
            "/=h                             | cockpit+=h               | h                    | machine-cockpit+h",
            "/=h/                            | cockpit+=h               | h                    | machine-cockpit+h",
            "/=h/system/services             | cockpit+=h               | h                    | machine-cockpit+h",
            "/=root@10.0.0.5:2222/network    | cockpit+=root@10.0.0.5:2222 | root@10.0.0.5:2222 | machine-cockpit+root@10.0.0.5:2222",
            "/=[fd00::1]:22/x                | cockpit+=[fd00::1]:22    | [fd00::1]:22         | machine-cockpit+[fd00::1]:22",
            "/=a%20b/x                       | cockpit+=a%20b           | a%20b                | machine-cockpit+a%20b",
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
            "/cockpit+=                      | cockpit+=                | NONE                 | cockpit+=",
            "/cockpit+=/x                    | cockpit+=                | NONE                 | cockpit+=",
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
}
