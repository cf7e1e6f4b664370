package io.cockpitwsjava.packages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Serving the Cockpit 337 packages installed on this machine, checked by hand and against the real bridge. */
class LocalPackagesSystemTest {

    static final Path SHARE = Path.of("/usr/share");
    static final Path COCKPIT = SHARE.resolve("cockpit");
    static final String UDISKS_CONF = "/usr/share/dbus-1/system.d/org.freedesktop.UDisks2.conf";
    static final String HOST = "gw.example:9090";

    static LocalPackages packages;

    @BeforeAll
    static void load() {
        assumeTrue(Files.isRegularFile(COCKPIT.resolve("base1/manifest.json")),
                "needs Cockpit's web assets in /usr/share/cockpit (cockpit-bridge, cockpit-system)");
        packages = new PackageRepository(List.of(SHARE), List.of(Path.of("/etc")), "337").select(Map.of());
    }

    @Test
    void selectsTheInstalledPackages() {
        assertTrue(packages.names().containsAll(Set.of("base1", "shell", "static", "system", "users", "metrics")),
                packages.names().toString());
        // systemd/manifest.json is named "system"
        assertFalse(packages.names().contains("systemd"));
    }

    @Test
    void manifestsJsonHasOneKeyPerPackage() throws IOException {
        HttpFile r = packages.serve("/manifests.json", null, "https", HOST);
        assertEquals(200, r.status());
        assertEquals("application/json", r.headers().get("Content-Type"));
        assertEquals("no-cache, no-store", r.headers().get("Cache-Control"));
        JsonNode json = new ObjectMapper().readTree(r.body());
        Set<String> keys = new HashSet<>();
        json.fieldNames().forEachRemaining(keys::add);
        assertEquals(packages.names(), keys);
        assertEquals(-1, json.get("base1").get("priority").asInt());
    }

    @Test
    void storagedAppearsOnlyWhenTheTargetHasUdisks(@TempDir Path extra) throws IOException {
        // storaged is not installed here: add its manifest (as shipped by cockpit-storaged) in front of /usr/share
        Path storaged = Files.createDirectories(extra.resolve("cockpit/storaged"));
        Files.writeString(storaged.resolve("manifest.json"),
                "{\"conditions\": [{\"path-exists\": \"" + UDISKS_CONF + "\"}], \"menu\": {}}");
        Files.writeString(storaged.resolve("index.html"), "<html></html>");
        PackageRepository repo = new PackageRepository(List.of(extra, SHARE), List.of(Path.of("/etc")), "337");

        assertEquals(List.of(UDISKS_CONF), repo.reportFiles());
        LocalPackages with = repo.select(Map.of(UDISKS_CONF, true));
        LocalPackages without = repo.select(Map.of(UDISKS_CONF, false));
        LocalPackages unreported = repo.select(Map.of());

        assertTrue(with.names().contains("storaged"));
        assertTrue(with.manifestsJson().contains("\"storaged\": {"));
        assertFalse(without.names().contains("storaged"));
        assertFalse(unreported.names().contains("storaged"));
        assertEquals(404, without.serve("/storaged/index.html", null, "https", HOST).status());
        assertEquals(200, with.serve("/storaged/index.html", null, "https", HOST).status());
        assertTrue(with.names().containsAll(without.names()));
    }

    @Test
    void cockpitJsIsTheStoredGzip() throws IOException {
        HttpFile r = packages.serve("/base1/cockpit.js", "de", "https", HOST);
        assertEquals(200, r.status());
        assertEquals("text/javascript", r.headers().get("Content-Type"));
        assertEquals("gzip", r.headers().get("Content-Encoding"));
        assertEquals((byte) 0x1f, r.body()[0]);
        assertEquals((byte) 0x8b, r.body()[1]);
        assertArrayEquals(Files.readAllBytes(COCKPIT.resolve("base1/cockpit.js.gz")), r.body());
        assertNull(r.headers().get("Content-Security-Policy"));
    }

    @Test
    void filesAreTaggedAndRevalidated() throws IOException {
        HttpFile r = packages.serve("/base1/cockpit.js", null, "https", HOST);
        String etag = r.headers().get("ETag");
        assertEquals(EntityTag.of(Files.readAllBytes(COCKPIT.resolve("base1/cockpit.js.gz"))), etag);
        assertEquals("private, no-cache", r.headers().get("Cache-Control"));
        assertEquals("Accept-Encoding", r.headers().get("Vary"));

        HttpFile again = packages.serve("/base1/cockpit.js", null, "https", HOST, etag, "gzip, deflate");
        assertEquals(304, again.status());
        assertEquals(0, again.body().length);
        assertEquals(etag, again.headers().get("ETag"));
        for (String list : List.of("\"a\", " + etag, "W/" + etag, "*")) {
            assertEquals(304, packages.serve("/base1/cockpit.js", null, "https", HOST, list, null).status(), list);
        }
        assertEquals(200, packages.serve("/base1/cockpit.js", null, "https", HOST, "\"a\"", null).status());
        // HTML is never tagged: its policy depends on the request
        HttpFile html = packages.serve("/system/index.html", null, "https", HOST, "*", null);
        assertEquals(200, html.status());
        assertNull(html.headers().get("ETag"));
        assertEquals("no-cache, no-store", html.headers().get("Cache-Control"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "gzip, deflate, br|gzip", "GZIP|gzip", "*|gzip", "x-gzip|gzip", "br;q=1, gzip;q=0.5|gzip",
            "identity|", "gzip;q=0|", "gzip; q=0.0, br|", "br|", "''|" })
    void gzipOnlyWhereAccepted(String acceptEncoding, String expected) throws IOException {
        HttpFile r = packages.serve("/base1/cockpit.js", null, "https", HOST, null, acceptEncoding);
        assertEquals(200, r.status());
        assertEquals(expected, r.headers().get("Content-Encoding"), acceptEncoding);
        String plain = gunzip(Files.readAllBytes(COCKPIT.resolve("base1/cockpit.js.gz")));
        assertEquals(plain, expected == null ? new String(r.body(), StandardCharsets.UTF_8) : gunzip(r.body()));
        if (expected == null) {
            assertTrue(r.headers().get("ETag").endsWith("-identity\""), r.headers().get("ETag"));
        }
    }

    @Test
    void aChangedFileGetsANewTag(@TempDir Path extra) throws IOException {
        Path pkg = Files.createDirectories(extra.resolve("cockpit/demo"));
        Files.writeString(pkg.resolve("manifest.json"), "{\"menu\": {}}");
        Path file = pkg.resolve("demo.js");
        Files.writeString(file, "one");
        LocalPackages demo = new PackageRepository(List.of(extra), List.of(), "337").select(Map.of());
        String first = demo.serve("/demo/demo.js", null, "https", HOST).headers().get("ETag");
        assertEquals(304, demo.serve("/demo/demo.js", null, "https", HOST, first, null).status());

        Files.writeString(file, "two!");
        HttpFile changed = demo.serve("/demo/demo.js", null, "https", HOST, first, null);
        assertEquals(200, changed.status());
        assertEquals("two!", changed.bodyText());
        assertFalse(first.equals(changed.headers().get("ETag")));
    }

    @Test
    void poJsForEnglishIsEmpty() {
        HttpFile r = packages.serve("/shell/po.js", "en-US,en;q=0.9", "https", HOST);
        assertEquals(200, r.status());
        assertEquals(0, r.body().length);
        assertEquals("text/javascript", r.headers().get("Content-Type"));
        assertNull(r.headers().get("Content-Encoding"));
        assertEquals(0, packages.serve("/shell/po.js", null, "https", HOST).body().length);
    }

    @Test
    void poJsForGermanIsTheGermanTranslation() throws IOException {
        Path de = COCKPIT.resolve("shell/po.de.js.gz");
        assumeTrue(Files.exists(de), "shell ships po.de.js.gz");
        HttpFile r = packages.serve("/shell/po.js", "de-DE,de;q=0.9,en;q=0.8", "https", HOST);
        assertEquals(200, r.status());
        assertEquals("gzip", r.headers().get("Content-Encoding"));
        assertArrayEquals(Files.readAllBytes(de), r.body());
        assertTrue(gunzip(r.body()).contains("\"language\": \"de\""));
        // English first: no translation even though German follows
        assertEquals(0, packages.serve("/shell/po.js", "en,de", "https", HOST).body().length);
    }

    @Test
    void manifestsScripts() {
        HttpFile js = packages.serve("/manifests.js", null, "https", HOST);
        assertEquals("text/javascript", js.headers().get("Content-Type"));
        assertTrue(js.bodyText().startsWith("\n"));
        assertTrue(js.bodyText().contains("cockpit.manifests = data"));
        assertTrue(js.bodyText().contains(packages.manifestsJson()));

        HttpFile i18n = packages.serve("/manifests-i18n.js", "de", "https", HOST);
        assertEquals(200, i18n.status());
        assertNull(i18n.headers().get("Content-Encoding"));
        assertTrue(i18n.bodyText().contains("cockpit.manifests"));
        assertTrue(i18n.bodyText().contains("cockpit.locale("), "German manifest translations are inlined");
        assertFalse(packages.serve("/manifests-i18n.js", "en", "https", HOST).bodyText().contains("cockpit.locale("));
    }

    @Test
    void htmlGetsTheRewrittenPolicy() {
        HttpFile r = packages.serve("/system/index.html", null, "https", HOST);
        assertEquals(200, r.status());
        assertEquals("text/html", r.headers().get("Content-Type"));
        assertEquals("default-src 'self'; connect-src wss://gw.example:9090 'self'; form-action 'self'; "
                        + "base-uri 'self'; object-src 'none'; font-src 'self' data:; img-src 'self' data:; "
                        + "block-all-mixed-content",
                r.headers().get("Content-Security-Policy"));
        assertTrue(packages.serve("/system/index.html", null, "http", HOST)
                .headers().get("Content-Security-Policy").contains("connect-src ws://gw.example:9090 'self';"));
    }

    @Test
    void htmlWithoutForwardedHeadersIs400() {
        for (HttpFile r : List.of(packages.serve("/system/index.html", null, null, HOST),
                packages.serve("/system/index.html", null, "https", null))) {
            assertEquals(400, r.status());
            assertEquals("text/html; charset=utf-8", r.headers().get("Content-Type"));
        }
        // only HTML needs them
        assertEquals(200, packages.serve("/base1/cockpit.js", null, null, null).status());
    }

    @ParameterizedTest
    @CsvSource({
            "/static/../shell/index.html, 404",
            "/shell/../shell/index.html, 404",
            "/nosuchpackage/index.html, 404",
            "/shell/nosuchfile.js, 404",
            "/shell/manifest.json, 404",
            "/nosuchdocument.json, 404",
            "/shell, 404",
            "/shell/, 400",
            "//shell/index.html, 400",
            "/, 400",
            "shell/index.html, 400",
    })
    void badPaths(String path, int status) {
        HttpFile r = packages.serve(path, null, "https", HOST);
        assertEquals(status, r.status(), path);
        assertEquals("text/html; charset=utf-8", r.headers().get("Content-Type"));
        if (status == 404) {
            assertTrue(r.bodyText().contains("<title>Not found</title>"), r.bodyText());
        }
    }

    @Test
    void contentTypesByStoredName() throws IOException {
        Map<String, String> expected = Map.of(
                ".html", "text/html", ".js", "text/javascript", ".css", "text/css", ".png", "image/png",
                ".woff2", "font/woff2", ".svg", "image/svg+xml", ".ico", "image/vnd.microsoft.icon",
                ".jpg", "image/jpeg", ".json", "application/json");
        int checked = 0;
        for (String pkg : List.of("static", "shell", "system", "users", "metrics")) {
            Path dir = COCKPIT.resolve(pkg.equals("system") ? "systemd" : pkg);
            List<Path> files;
            try (var walk = Files.walk(dir)) {
                files = walk.filter(Files::isRegularFile).toList();
            }
            for (Path f : files) {
                String stored = dir.relativize(f).toString();
                String request = stored.endsWith(".gz") ? stored.substring(0, stored.length() - 3) : stored;
                if (stored.equals("manifest.json") || request.matches("po\\..*\\.js")) {
                    continue;
                }
                String ext = request.contains(".") ? request.substring(request.lastIndexOf('.')) : "";
                HttpFile r = packages.serve("/" + pkg + "/" + request, null, "https", HOST);
                assertEquals(200, r.status(), request);
                assertEquals(expected.getOrDefault(ext, "text/plain"), r.headers().get("Content-Type"), request);
                assertEquals(stored.endsWith(".gz") ? "gzip" : null, r.headers().get("Content-Encoding"), request);
                checked++;
            }
        }
        assertTrue(checked > 20, "checked " + checked);
    }

    /** Same answers as the installed bridge for every file, translation and document, byte for byte. */
    @Test
    void matchesTheInstalledBridge(@TempDir Path home) throws Exception {
        List<BridgeOracle.Case> cases = new ArrayList<>();
        for (String pkg : packages.names()) {
            cases.add(new BridgeOracle.Case("/" + pkg + "/po.js", "de"));
            cases.add(new BridgeOracle.Case("/" + pkg + "/po.manifest.js", "pt-BR, fr;q=0.5"));
            cases.add(new BridgeOracle.Case("/" + pkg + "/po.js", "en"));
            cases.add(new BridgeOracle.Case("/" + pkg + "/index.html", null));
            cases.add(new BridgeOracle.Case("/" + pkg + "/index.js", null));
            cases.add(new BridgeOracle.Case("/" + pkg + "/index.css", null));
        }
        for (String f : List.of("/base1/cockpit.js", "/static/login.js", "/static/login.css", "/static/login.html",
                "/shell/images/server-small.png", "/manifests.json", "/nope/x", "/static/../shell/index.html",
                "/shell/", "/x")) {
            cases.add(new BridgeOracle.Case(f, null));
        }
        JsonNode oracle = BridgeOracle.run(List.of(SHARE), List.of(Path.of("/etc")), home, cases, "https", HOST);

        assertEquals(new HashSet<>(toList(oracle.get("names"))), packages.names());
        assertEquals(oracle.get("manifests"), new ObjectMapper().readTree(packages.manifestsJson()));
        JsonNode ours = new ObjectMapper().readTree(packages.manifestsJson());
        for (String name : packages.names()) {
            assertEquals(oracle.get("manifests_text").get(name).asText(), PythonJson.write(ours.get(name)), name);
        }
        for (int i = 0; i < cases.size(); i++) {
            BridgeOracle.Case c = cases.get(i);
            JsonNode expected = oracle.get("results").get(i);
            HttpFile r = packages.serve(c.path(), c.lang(), "https", HOST);
            assertEquals(expected.get("status").asInt(), r.status(), c.toString());
            if (r.status() != 200) {
                continue;
            }
            assertEquals(expected.get("type").asText(), r.headers().get("Content-Type"), c.toString());
            assertEquals(text(expected.get("encoding")), r.headers().get("Content-Encoding"), c.toString());
            assertEquals(text(expected.get("csp")), r.headers().get("Content-Security-Policy"), c.toString());
            byte[] expectedBody = HexFormat.of().parseHex(expected.get("body_hex").asText());
            if (c.path().equals("/manifests.json")) {
                // same content; only the package order differs (the bridge lists directories unsorted)
                assertEquals(new ObjectMapper().readTree(expectedBody), new ObjectMapper().readTree(r.body()));
            } else {
                assertTrue(java.util.Arrays.equals(expectedBody, r.body()), "body differs for " + c);
            }
        }
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    private static List<String> toList(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String gunzip(byte[] gz) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
