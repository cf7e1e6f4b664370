package io.cockpitwsjava.packages;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Static/branding files: roots order, path checks, CSS templating (docs/protocol.md §3.1). */
class BrandingFilesTest {

    @TempDir
    Path tmp;

    private static final Map<String, String> VARS = Map.of("NAME", "Fedora Linux", "ID", "fedora",
            "EMPTY", "", "U", "Ünïcödé");

    @ParameterizedTest(name = "[{0}]")
    @CsvSource(delimiter = '|', value = {
            "''                                | ''",
            "no vars                           | no vars",
            "${NAME}                           | Fedora Linux",
            "${ID}${ID}                        | fedorafedora",
            "a ${NAME} b                       | a Fedora Linux b",
            "te${ID}st                         | tefedorast",
            "Te$st ${ID} x                     | Te$st fedora x",
            "Te{st ${ID} x                     | Te{st fedora x",
            "x ${ID} y${ffix                   | x fedora y${ffix",
            "x ${ID} y${ff$ix                  | x fedora y${ff$ix",
            "${UNKNOWN} z                      | ' z'",
            "a\\${ID} ${ID}                    | a${ID} fedora",
            "\\${NAME}                         | ${NAME}",
            "\\\\${ID}                         | \\${ID}",
            "${EMPTY}|''",
            "${ig.nore} ${} ${a-b}             | ${ig.nore} ${} ${a-b}",
            "te${test${ID}st                   | te${testfedorast",
            "${U}                              | Ünïcödé",
            "#brand::before { content: \"${NAME}\"; } | #brand::before { content: \"Fedora Linux\"; }",
    })
    void cssTemplate(String input, String expected) {
        byte[] out = CssTemplate.expand(input.getBytes(StandardCharsets.UTF_8), VARS::get);
        assertEquals(expected, new String(out, StandardCharsets.UTF_8));
    }

    @Test
    void cssTemplateKeepsNonUtf8Bytes() {
        byte[] in = {(byte) 0xff, '$', '{', 'I', 'D', '}', (byte) 0xfe};
        byte[] out = CssTemplate.expand(in, VARS::get);
        assertEquals("[-1, 102, 101, 100, 111, 114, 97, -2]", java.util.Arrays.toString(out));
    }

    @Test
    void rootsOrder() throws IOException {
        Path data = tmp.resolve("share/cockpit");
        Path custom = tmp.resolve("custom");
        List<Path> all = List.of(tmp.resolve("etc1/cockpit/branding"), tmp.resolve("etc2/cockpit/branding"),
                data.resolve("branding/rhel-server"), data.resolve("branding/rhel"), data.resolve("branding/fedora"),
                data.resolve("branding/centos"), data.resolve("branding/default"), custom, data.resolve("static"));
        for (Path p : all) {
            Files.createDirectories(p);
        }
        Files.createDirectories(data.resolve("branding/.hidden"));
        Map<String, String> os = Map.of("ID", "rhel", "VARIANT_ID", "server", "ID_LIKE", "fedora  centos .hidden");
        assertEquals(all, BrandingFiles.rootsFor(os, data, List.of(tmp.resolve("etc1"), tmp.resolve("etc2")),
                Optional.of(custom)));

        // missing directories drop out; bad ids are skipped (and never build paths outside branding/)
        Files.delete(tmp.resolve("etc2/cockpit/branding"));
        Map<String, String> bad = new HashMap<>(Map.of("ID", "../rhel", "VARIANT_ID", "server", "ID_LIKE", "fedora"));
        assertEquals(List.of(tmp.resolve("etc1/cockpit/branding"), data.resolve("branding/fedora"),
                        data.resolve("branding/default"), data.resolve("static")),
                BrandingFiles.rootsFor(bad, data, List.of(tmp.resolve("etc1"), tmp.resolve("etc2")),
                        Optional.empty()));
        bad.put("ID", "rhel");
        bad.put("VARIANT_ID", ".x");
        assertEquals(data.resolve("branding/rhel"),
                BrandingFiles.rootsFor(bad, data, List.of(), Optional.empty()).get(0));
        assertEquals(List.of(data.resolve("branding/default"), data.resolve("static")),
                BrandingFiles.rootsFor(null, data, List.of(), Optional.empty()));
    }

    private BrandingFiles tree() throws IOException {
        Path first = Files.createDirectories(tmp.resolve("first"));
        Path second = Files.createDirectories(tmp.resolve("second"));
        Files.writeString(first.resolve("branding.css"), "#brand::before { content: \"${NAME}\"; } \\${ID}");
        Files.writeString(second.resolve("branding.css"), "shadowed");
        Files.writeString(second.resolve("logo.png"), "png");
        Files.writeString(second.resolve("a b.js"), "spaced");
        Files.writeString(second.resolve("ü.txt"), "umlaut");
        Files.writeString(second.resolve(".secret"), "hidden");
        Files.createDirectories(second.resolve("fonts"));
        Files.writeString(second.resolve("fonts/x.woff2"), "font");
        Files.writeString(tmp.resolve("outside.txt"), "outside");
        return new BrandingFiles(List.of(first, second));
    }

    @Test
    void servesFirstHitWithTemplatingAndCacheHeaders() throws IOException {
        BrandingFiles files = tree();
        HttpFile css = files.serve("branding.css", Map.of("NAME", "Debian GNU/Linux", "ID", "debian"));
        assertEquals(200, css.status());
        assertEquals("#brand::before { content: \"Debian GNU/Linux\"; } ${ID}", css.bodyText());
        assertEquals("text/css", css.headers().get("Content-Type"));
        assertEquals("max-age=86400, private", css.headers().get("Cache-Control"));
        assertEquals("Cookie", css.headers().get("Vary"));
        // without an os-release the file goes out as stored
        assertEquals("#brand::before { content: \"${NAME}\"; } \\${ID}", files.serve("/branding.css", null).bodyText());

        HttpFile png = files.serve("/logo.png", Map.of());
        assertEquals("png", png.bodyText());
        assertEquals("image/png", png.headers().get("Content-Type"));
        assertEquals("spaced", files.serve("/a%20b.js", Map.of()).bodyText());
        assertEquals("application/javascript", files.serve("/a%20b.js", Map.of()).headers().get("Content-Type"));
        assertEquals("umlaut", files.serve("/%C3%BC.txt", Map.of()).bodyText());
        HttpFile font = files.serve("fonts/x.woff2", Map.of());
        assertEquals(200, font.status());
        assertNull(font.headers().get("Content-Type"), "ws's table has no woff2");
    }

    @ParameterizedTest
    @CsvSource({
            "/nope.css, 404",
            "/../outside.txt, 404",
            "../outside.txt, 404",
            "/fonts/../logo.png, 404",
            "/%2e%2e/outside.txt, 404",
            "/.secret, 404",
            "/fonts/.., 404",
            "//logo.png, 404",
            "/fonts//x.woff2, 404",
            "/fonts%2Fx.woff2, 404",
            "/bad%zzescape, 404",
            "/trunc%4, 404",
            "/nul%00.txt, 404",
            "/%C3.txt, 404",
            "/fonts, 403",
            "/fonts/, 403",
            "/, 403",
    })
    void rejections(String path, int status) throws IOException {
        HttpFile r = tree().serve(path, Map.of());
        assertEquals(status, r.status(), path);
        assertEquals("text/html; charset=utf-8", r.headers().get("Content-Type"));
        assertTrue(r.bodyText().contains("<title>"), r.bodyText());
    }

    @Test
    void realDebianBranding() {
        Path cockpit = Path.of("/usr/share/cockpit");
        assumeTrue(Files.isDirectory(cockpit.resolve("branding/debian")), "needs Cockpit's Debian branding");
        Map<String, String> os = OsRelease.parse("""
                PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
                NAME="Debian GNU/Linux"
                VERSION_ID="12"
                ID=debian
                """);
        List<Path> roots = BrandingFiles.rootsFor(os, cockpit, List.of(tmp), Optional.empty());
        assertEquals(List.of(cockpit.resolve("branding/debian"), cockpit.resolve("branding/default"),
                cockpit.resolve("static")), roots);
        BrandingFiles files = new BrandingFiles(roots);
        HttpFile css = files.serve("/branding.css", os);
        assertTrue(css.bodyText().contains("content: \"Debian GNU/Linux\";"), css.bodyText());
        // debian ships no apple-touch-icon.png: the default one is used
        assertEquals(200, files.serve("/apple-touch-icon.png", os).status());
        assertEquals("application/javascript", files.serve("/login.js", os).headers().get("Content-Type"));
        assertEquals(404, files.serve("/manifest.json/../login.js", os).status());
    }

    @Test
    void osReleaseParsing() {
        Map<String, String> os = OsRelease.parse("NAME=\"Fedora Linux\"\nID=fedora\nBAD\nQ='single'\nE=\n"
                + "VARIANT_ID=\"\"\nHALF=\"open\n");
        assertEquals("Fedora Linux", os.get("NAME"));
        assertEquals("fedora", os.get("ID"));
        assertEquals("'single'", os.get("Q"));
        assertEquals("", os.get("E"));
        assertEquals("", os.get("VARIANT_ID"));
        assertEquals("\"open", os.get("HALF"));
        assertEquals(Map.of("NAME", "x", "ID", "y"),
                OsRelease.fromInit(Map.of("NAME", "x", "ID", "y", "ID_LIKE", "z", "VERSION", 3)));
    }
}
