package io.cockpitwsjava.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.cockpitwsjava.session.Application;

/** Valid shell paths (docs/protocol.md §3, R12). */
class GatewayRoutesTest {

    @ParameterizedTest(name = "[{index}] {0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "/                                | true",
            "/system                          | true",
            "/system/                         | true",
            "/system/services#/foo            | true",
            "/network-manager/x.y             | true",
            "/user_accounts                   | true",
            "/ABC123                          | true",
            "/=db1.example.com                | true",
            "/=root@10.0.0.5:2222/network     | true",
            "/=[fd00::1]:22/system            | true",
            "/@localhost/system/index.html    | true",
            "/@                               | true",
            "/=                               | true",
            "/foo.bar                         | false",
            "/foo.bar/x                       | false",
            "/=/x                             | false",
            "/@/x                             | false",
            "//x                              | false",
            "//                               | false",
            "/a b                             | false",
            "/a%20b                           | false",
            "/a+b                             | false",
            "/~user                           | false",
            "/$abc/x                          | false",
    })
    void isShellPath(String path, boolean valid) {
        assertEquals(valid, GatewayRoutes.isShellPath(path, Application.firstSegment(path)), path);
    }
}
