package io.cockpitwsjava.packages;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Version ordering, merge patch, content types, CSP defaults and the fail page. */
class SmallPiecesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @CsvSource({
            "338, 337, true",
            "337, 337, false",
            "336, 337, false",
            "99, 337, false",
            "1000, 337, true",
            "337.1, 337, true",
            "337, 337.1, false",
            "265.2, 265.10, false",
            "265.10, 265.2, true",
    })
    void versionOrdering(String required, String available, boolean newer) {
        assertEquals(newer, CockpitVersion.isNewer(required, available));
    }

    // the examples of RFC 7386 section 3
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"a\":\"b\"}             | {\"a\":\"c\"}           | {\"a\":\"c\"}",
            "{\"a\":\"b\"}             | {\"b\":\"c\"}           | {\"a\":\"b\",\"b\":\"c\"}",
            "{\"a\":\"b\"}             | {\"a\":null}            | {}",
            "{\"a\":\"b\",\"b\":\"c\"} | {\"a\":null}            | {\"b\":\"c\"}",
            "{\"a\":[\"b\"]}           | {\"a\":\"c\"}           | {\"a\":\"c\"}",
            "{\"a\":\"c\"}             | {\"a\":[\"b\"]}         | {\"a\":[\"b\"]}",
            "{\"a\":{\"b\":\"c\"}}     | {\"a\":{\"b\":\"d\",\"c\":null}} | {\"a\":{\"b\":\"d\"}}",
            "{\"a\":[{\"b\":\"c\"}]}   | {\"a\":[1]}             | {\"a\":[1]}",
            "{\"e\":null}              | {\"a\":1}               | {\"e\":null,\"a\":1}",
            "{}                        | {\"a\":{\"bb\":{\"ccc\":null}}} | {\"a\":{\"bb\":{}}}",
            "{\"a\":\"x\"}             | {\"a\":{\"b\":null,\"c\":1}} | {\"a\":{\"c\":1}}",
    })
    void mergePatch(String target, String patch, String result) throws Exception {
        ObjectNode t = (ObjectNode) JSON.readTree(target);
        String before = t.toString();
        assertEquals(JSON.readTree(result), JsonMergePatch.apply(t, (ObjectNode) JSON.readTree(patch)));
        assertEquals(before, t.toString(), "target unchanged");
    }

    @Test
    void mergePatchKeepsKeyPositions() throws Exception {
        ObjectNode t = (ObjectNode) JSON.readTree("{\"a\":1,\"b\":2,\"c\":3}");
        assertEquals("{\"a\":1,\"b\":9,\"c\":3,\"d\":4}",
                JsonMergePatch.apply(t, (ObjectNode) JSON.readTree("{\"d\":4,\"b\":9}")).toString());
    }

    @ParameterizedTest
    @CsvSource(nullValues = "none", value = {
            "index.html, text/html, none",
            "sub/dir/app.js, text/javascript, none",
            "cockpit.js.gz, text/javascript, gzip",
            "style.CSS, text/css, none",
            "x.json, application/json, none",
            "a.svg, image/svg+xml, none",
            "a.woff2, font/woff2, none",
            "a.woff, font/woff, none",
            "a.ttf, font/ttf, none",
            "a.otf, font/otf, none",
            "a.wasm, application/wasm, none",
            "a.txt, text/plain, none",
            "a.xml, application/xml, none",
            "favicon.ico, image/vnd.microsoft.icon, none",
            "a.gif, image/gif, none",
            "bg.jpg, image/jpeg, none",
            "inactive.issue, text/plain, none",
            "Makefile, text/plain, none",
            ".hidden, text/plain, none",
            "data.gz, text/plain, gzip",
            "x.js.br, text/javascript, br",
    })
    void packageContentTypes(String name, String type, String encoding) {
        MimeTypes.Guess g = MimeTypes.forStoredName(name);
        assertEquals(type, g.contentType());
        assertEquals(encoding, g.contentEncoding().orElse(null));
    }

    @ParameterizedTest
    @CsvSource(nullValues = "none", value = {
            "/login.js, application/javascript",
            "/branding.css, text/css",
            "/logo.png, image/png",
            "/x.jpg, image/jpg",
            "/f.woff, application/font-woff",
            "/f.ttf, application/octet-stream",
            "/f.otf, font/opentype",
            "/a.xml, text/xml",
            "/login.html, text/html",
            "/favicon.ico, none",
            "/f.woff2, none",
            "/noext, none",
    })
    void wsContentTypes(String path, String type) {
        assertEquals(type, MimeTypes.forRequestPath(path).orElse(null));
    }

    @Test
    void defaultPackagePolicy() {
        assertEquals("default-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'self'; "
                + "object-src 'none'; font-src 'self' data:; img-src 'self' data:; block-all-mixed-content",
                ContentSecurityPolicy.forPackage(""));
    }

    @Test
    void failPageEscapesAndTitlesTheMessage() {
        String page = new String(FailPage.render("No <script> & \"quotes\""), StandardCharsets.UTF_8);
        assertTrue(page.contains("<title>No &lt;script&gt; &amp; &quot;quotes&quot;</title>"), page);
        assertFalse(page.contains("<script>"));
        assertTrue(page.contains("<h1>No &lt;script&gt;"));
    }
}
