package io.cockpitwsjava.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Cookie parsing (docs/protocol.md §2.2) and the default Content-Type table (§1.5). */
class ExchangeTest {

    @ParameterizedTest(name = "[{index}] {0} [{1}]")
    @CsvSource(nullValues = "NONE", delimiter = '|', value = {
            // Cookie header                                          | name                                 | value
            "cockpit=abc                                              | cockpit                              | abc",
            "machine-cockpit+h=v1; cockpit=v2                         | machine-cockpit+h                    | v1",
            "machine-cockpit+h=v1; cockpit=v2                         | cockpit                              | v2",
            "machine-cockpit+h=v1;cockpit=v2                          | cockpit                              | v2",
            "'  a=1 ;   b=2  '                                        | b                                    | 2",
            "machine-cockpit+root@10.0.0.5:2222=tok                   | machine-cockpit+root@10.0.0.5:2222   | tok",
            "machine-cockpit+[fd00::1]:22=tok                         | machine-cockpit+[fd00::1]:22         | tok",
            "cockpit+app=tok                                          | cockpit+app                          | tok",
            "cockpit+app=tok                                          | cockpit                              | NONE",
            "machine-cockpit+u=x@h=tok                                | machine-cockpit+u=x@h                | tok",
            "cockpit+=h=tok; cockpit=other                            | cockpit+=h                           | tok",
            "cockpit+=h=tok; cockpit=other                            | cockpit                              | other",
            "x=a%20b%3Bc                                              | x                                    | a b;c",
            "x=a+b                                                    | x                                    | a+b",
            "x=a%2Bb+c                                                | x                                    | a+b+c",
            "x=%C3%A9t%C3%A9                                          | x                                    | été",
            "x=dj0yO2s9YWJj==                                         | x                                    | dj0yO2s9YWJj==",
            "x=%zz; y=1                                               | x                                    | NONE",
            "x=%zz; y=1                                               | y                                    | 1",
            "x=1; x=2                                                 | x                                    | 1",
            "x=                                                       | x                                    | ''",
            "flag; a=1                                                | a                                    | 1",
            "flag; a=1                                                | flag                                 | NONE",
            "=v; a=1                                                  | a                                    | 1",
            "CockpitLang=de-de; cockpit=t                             | CockpitLang                          | de-de",
    })
    void parseCookies(String header, String name, String value) {
        Map<String, String> cookies = Exchange.parseCookies(List.of(header));
        assertEquals(value, cookies.get(name), header);
    }

    @Test
    void severalCookieHeadersAndFirstOccurrenceWins() {
        Map<String, String> cookies = Exchange.parseCookies(List.of("a=1; b=2", "b=3; c=4"));
        assertEquals("1", cookies.get("a"));
        assertEquals("2", cookies.get("b"));
        assertEquals("4", cookies.get("c"));
    }

    @Test
    void noHeaders() {
        assertEquals(Map.of(), Exchange.parseCookies(List.of()));
        assertFalse(Exchange.parseCookies(List.of("")).containsKey(""));
    }

    @ParameterizedTest
    @CsvSource(nullValues = "NONE", value = {
            "/x.css, text/css", "/x.gif, image/gif", "/x.eot, application/vnd.ms-fontobject",
            "/x.html, text/html", "/x.jpg, image/jpg", "/x.js, application/javascript",
            "/x.json, application/json", "/x.otf, font/opentype", "/x.png, image/png", "/x.svg, image/svg+xml",
            "/x.ttf, application/octet-stream", "/x.txt, text/plain", "/x.wasm, application/wasm",
            "/x.woff, application/font-woff", "/x.xml, text/xml",
            "/cockpit/static/login.min.js, application/javascript",
            "/a.b/index.html, text/html",
            "/x.ico, NONE", "/x.woff2, NONE", "/x.html.gz, NONE", "/x.jpeg, NONE", "/x, NONE", "/, NONE",
            "/a.css/x, NONE", "/x.css/, NONE", "/xcss, NONE", "/x., NONE",
    })
    void contentTypeFor(String path, String type) {
        assertEquals(type, Exchange.contentTypeFor(path));
    }

    @Test
    void hiddenFileWithKnownExtension() {
        assertEquals("text/css", Exchange.contentTypeFor("/dir/.css"));
        assertNull(Exchange.contentTypeFor(""));
    }
}
