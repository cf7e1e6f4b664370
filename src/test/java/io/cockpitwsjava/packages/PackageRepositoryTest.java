package io.cockpitwsjava.packages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Discovery and selection (docs/beiboot.md §9.1–§9.3) on package trees built in temporary directories. */
class PackageRepositoryTest {

    @TempDir
    Path tmp;

    private Path data(String name) throws IOException {
        return Files.createDirectories(tmp.resolve(name));
    }

    private static Path pkg(Path dataDir, String dir, String manifest, String... files) throws IOException {
        Path p = Files.createDirectories(dataDir.resolve("cockpit").resolve(dir));
        Files.writeString(p.resolve("manifest.json"), manifest);
        for (String f : files) {
            Path file = p.resolve(f);
            Files.createDirectories(file.getParent());
            Files.writeString(file, "content of " + dir + "/" + f);
        }
        return p;
    }

    private PackageRepository repo(Path... dataDirs) {
        return new PackageRepository(List.of(dataDirs), List.of(tmp.resolve("etc")), "337", "/usr/lib/cockpit");
    }

    private static String body(LocalPackages p, String path) {
        HttpFile r = p.serve(path, null, "https", "gw:9090");
        assertEquals(200, r.status(), path);
        return r.bodyText();
    }

    @Test
    void highestPriorityWhoseConditionsHoldWins() throws IOException {
        Path a = data("a");
        Path b = data("b");
        pkg(a, "low", "{\"name\": \"thing\"}", "index.js");
        pkg(b, "high", "{\"name\": \"thing\", \"priority\": 5, \"conditions\": [{\"path-exists\": \"/opt/x\"}]}",
                "index.js");
        pkg(b, "mid", "{\"name\": \"thing\", \"priority\": 2, \"conditions\": [{\"path-not-exists\": \"/opt/y\"}]}",
                "index.js");
        PackageRepository repo = repo(a, b);

        assertEquals("content of high/index.js", body(repo.select(Map.of("/opt/x", true)), "/thing/index.js"));
        assertEquals("content of mid/index.js", body(repo.select(Map.of()), "/thing/index.js"));
        assertEquals("content of low/index.js",
                body(repo.select(Map.of("/opt/y", true)), "/thing/index.js"));
        assertEquals(Set.of("thing"), repo.select(Map.of()).names());
    }

    @Test
    void equalPrioritiesKeepDiscoveryOrder() throws IOException {
        Path a = data("a");
        Path b = data("b");
        pkg(b, "x", "{\"name\": \"same\"}", "f.txt");
        pkg(a, "y", "{\"name\": \"same\"}", "f.txt");
        assertEquals("content of y/f.txt", body(repo(a, b).select(Map.of()), "/same/f.txt"));
        assertEquals("content of x/f.txt", body(repo(b, a).select(Map.of()), "/same/f.txt"));
    }

    @Test
    void anyConditionAndUnknownPredicates() throws IOException {
        Path a = data("a");
        pkg(a, "sos", "{\"conditions\": [{\"any\": [{\"path-exists\": \"/usr/bin/sos\"},"
                + " {\"path-exists\": \"/usr/sbin/sos\"}]}]}");
        pkg(a, "future", "{\"conditions\": [{\"kernel-newer-than\": \"7.0\"}]}");
        pkg(a, "nested", "{\"conditions\": [{\"path-not-exists\": \"/n1\"}, {\"any\": [{\"any\": "
                + "[{\"path-exists\": \"/n2\"}]}, {\"path-not-exists\": \"/n3\"}]}]}");
        pkg(a, "emptyany", "{\"conditions\": [{\"any\": []}]}");
        PackageRepository repo = repo(a);

        assertEquals(List.of("/n1", "/n2", "/n3", "/usr/bin/sos", "/usr/sbin/sos"), repo.reportFiles());
        assertEquals(Set.of("future", "nested"), repo.select(Map.of("/n3", false)).names());
        assertEquals(Set.of("future", "sos"), repo.select(Map.of("/usr/sbin/sos", true, "/n3", true)).names());
        assertEquals(Set.of("future", "sos", "nested"),
                repo.select(Map.of("/usr/bin/sos", true, "/n2", true, "/n3", true)).names());
    }

    @Test
    void reportFilesKeepsDuplicatesInDiscoveryOrder() throws IOException {
        Path a = data("a");
        Path b = data("b");
        pkg(b, "p1", "{\"conditions\": [{\"path-exists\": \"/z\"}, {\"path-exists\": \"/a\"}]}");
        pkg(a, "p2", "{\"conditions\": [{\"path-exists\": \"/z\"}]}");
        assertEquals(List.of("/z", "/z", "/a"), repo(a, b).reportFiles());
    }

    @Test
    void invalidManifestsAreSkipped() throws IOException {
        Path a = data("a");
        pkg(a, "notjson", "{nope");
        pkg(a, "array", "[1, 2]");
        pkg(a, "trailing", "{} {}");
        pkg(a, "badprio", "{\"priority\": \"high\"}");
        pkg(a, "floatprio", "{\"priority\": 1.5}");
        pkg(a, "badname", "{\"name\": 7}");
        pkg(a, "badcsp", "{\"content-security-policy\": []}");
        pkg(a, "badcond", "{\"conditions\": [{\"path-exists\": \"/a\", \"path-not-exists\": \"/b\"}]}");
        pkg(a, "badpath", "{\"conditions\": [{\"path-exists\": 3}]}");
        pkg(a, "otherreq", "{\"requires\": {\"systemd\": \"250\"}}");
        pkg(a, "newer", "{\"requires\": {\"cockpit\": \"338\"}, \"conditions\": [{\"path-exists\": \"/skipped\"}]}");
        pkg(a, "badbridge", "{\"bridges\": [{\"spawn\": [\"x\"]}]}");
        pkg(a, "okbridge", "{\"bridges\": [{\"privileged\": true, \"spawn\": [\"sudo\", \"cockpit-bridge\"]}]}");
        pkg(a, "older", "{\"requires\": {\"cockpit\": \"99\"}}");
        pkg(a, "same", "{\"requires\": {\"cockpit\": \"337\"}}");
        PackageRepository repo = repo(a);
        assertEquals(Set.of("okbridge", "older", "same"), repo.select(Map.of()).names());
        assertEquals(List.of(), repo.reportFiles(), "invalid manifests do not contribute report paths");
    }

    @Test
    void overridesAreMergePatchedInOrder() throws IOException {
        Path a = data("a");
        Path dir = pkg(a, "dirname", "{\"name\": \"orig\", \"menu\": {\"index\": {\"label\": \"A\", \"order\": 1}},"
                + " \"keep\": 1, \"drop\": true}", "index.html");
        Files.writeString(dir.resolve("override.json"), "{\"menu\": {\"index\": {\"label\": \"B\"}}, \"drop\": null}");
        Path etc = Files.createDirectories(tmp.resolve("etc/cockpit"));
        // keyed by directory name, not manifest name
        Files.writeString(etc.resolve("dirname.override.json"),
                "{\"menu\": {\"index\": {\"order\": null, \"extra\": [1]}}, \"name\": \"renamed\", \"new\": \"x\"}");
        Files.writeString(etc.resolve("orig.override.json"), "{\"unused\": true}");
        LocalPackages p = repo(a).select(Map.of());

        assertEquals(Set.of("renamed"), p.names());
        assertEquals("{\"renamed\": {\"name\": \"renamed\", \"menu\": {\"index\": {\"label\": \"B\", \"extra\": [1]}},"
                + " \"keep\": 1, \"new\": \"x\"}}", p.manifestsJson());
    }

    @Test
    void overridesCanChangeConditionsAndPriority() throws IOException {
        Path a = data("a");
        Path dir = pkg(a, "p", "{\"conditions\": [{\"path-exists\": \"/never\"}]}");
        assertEquals(Set.of(), repo(a).select(Map.of()).names());
        Files.writeString(dir.resolve("override.json"), "{\"conditions\": null}");
        assertEquals(Set.of("p"), repo(a).select(Map.of()).names());
    }

    @Test
    void brokenOverridesAreIgnored() throws IOException {
        Path a = data("a");
        Path dir = pkg(a, "p", "{\"x\": 1}");
        Files.writeString(dir.resolve("override.json"), "[\"not an object\"]");
        Path etc = Files.createDirectories(tmp.resolve("etc/cockpit"));
        Files.writeString(etc.resolve("p.override.json"), "{broken");
        assertEquals("{\"p\": {\"x\": 1}}", repo(a).select(Map.of()).manifestsJson());
    }

    @Test
    void libexecdirIsSubstitutedEverywhere() throws IOException {
        Path a = data("a");
        pkg(a, "p", "{\"bridges\": [{\"match\": {\"payload\": \"x\"}, \"spawn\": [\"${libexecdir}/helper\"]}],"
                + " \"deep\": {\"list\": [\"a ${libexecdir} b ${libexecdir}\"]}}");
        String json = repo(a).select(Map.of()).manifestsJson();
        assertTrue(json.contains("\"spawn\": [\"/usr/lib/cockpit/helper\"]"), json);
        assertTrue(json.contains("\"a /usr/lib/cockpit b /usr/lib/cockpit\""), json);
    }

    @Test
    void fileAliasing() throws IOException {
        Path a = data("a");
        Path dir = pkg(a, "p", "{}", "both.js", "both.min.js", "only.min.js", "sub/deep.min.js", "plain.css");
        Files.write(dir.resolve("zipped.js.gz"), new byte[]{0x1f, (byte) 0x8b, 1, 2});
        Files.write(dir.resolve("zmin.min.js.gz"), new byte[]{0x1f, (byte) 0x8b, 3});
        Files.writeString(dir.resolve("zmin.js"), "plain zmin");
        Files.createDirectories(dir.resolve("emptydir"));
        LocalPackages p = repo(a).select(Map.of());

        assertEquals("content of p/both.js", body(p, "/p/both.js"));
        assertEquals("content of p/both.min.js", body(p, "/p/both.min.js"));
        assertEquals("content of p/only.min.js", body(p, "/p/only.js"));
        assertEquals("content of p/sub/deep.min.js", body(p, "/p/sub/deep.js"));
        assertEquals("plain zmin", body(p, "/p/zmin.js"));
        HttpFile zipped = p.serve("/p/zipped.js", null, "https", "h");
        assertEquals("gzip", zipped.headers().get("Content-Encoding"));
        assertArrayEquals(new byte[]{0x1f, (byte) 0x8b, 1, 2}, zipped.body());
        assertEquals(404, p.serve("/p/zipped.js.gz", null, "https", "h").status());
        assertEquals(404, p.serve("/p/manifest.json", null, "https", "h").status());
        assertEquals(404, p.serve("/p/emptydir", null, "https", "h").status());
        assertEquals(404, p.serve("/p/sub", null, "https", "h").status());
        assertEquals(404, p.serve("/p/sub/../plain.css", null, "https", "h").status());
        assertEquals(404, p.serve("/p/./plain.css", null, "https", "h").status());
    }

    @Test
    void translationsAndManifestTranslationFallback() throws IOException {
        Path a = data("a");
        pkg(a, "p", "{}", "po.de.js", "po.pt_BR.js", "po.zh_CN.js");
        pkg(a, "q", "{}", "po.de.js", "po.manifest.de.js");
        pkg(a, "static", "{}", "po.manifest.de.js");
        LocalPackages p = repo(a).select(Map.of());

        assertEquals("content of p/po.pt_BR.js", p.serve("/p/po.js", "pt-BR", "https", "h").bodyText());
        assertEquals("content of p/po.zh_CN.js", p.serve("/p/po.js", "zh-cn,de", "https", "h").bodyText());
        assertEquals("content of p/po.de.js", p.serve("/p/po.js", "de-AT", "https", "h").bodyText());
        // no po.manifest.*.js in p: po.*.js stands in
        assertEquals("content of p/po.de.js", p.serve("/p/po.manifest.js", "de", "https", "h").bodyText());
        assertEquals("content of q/po.manifest.de.js", p.serve("/q/po.manifest.js", "de", "https", "h").bodyText());
        assertEquals("", p.serve("/q/po.manifest.js", "fr", "https", "h").bodyText());
        // locale files are not reachable under their own names
        assertEquals(404, p.serve("/p/po.de.js", null, "https", "h").status());

        String i18n = p.serve("/manifests-i18n.js", "de", "https", "h").bodyText();
        assertTrue(i18n.startsWith("content of p/po.de.js\ncontent of q/po.manifest.de.js\n\n(function"), i18n);
        assertFalse(i18n.contains("static/po.manifest"), "static and base1 are left out");
        assertTrue(p.serve("/manifests-i18n.js", null, "https", "h").bodyText().startsWith("\n\n\n(function"));
    }

    @Test
    void packageCspOverridesAndExtendsDefaults() throws IOException {
        Path a = data("a");
        pkg(a, "p", "{\"content-security-policy\": \"  img-src 'self' blob: ;; worker-src 'self'; frame-ancestors\"}",
                "index.html");
        pkg(a, "c", "{\"content-security-policy\": \"connect-src 'self' https://x\"}", "index.html");
        LocalPackages p = repo(a).select(Map.of());
        assertEquals("default-src 'self'; connect-src ws://gw:80 'self'; form-action 'self'; base-uri 'self'; "
                        + "object-src 'none'; font-src 'self' data:; img-src 'self' blob:; worker-src 'self'; "
                        + "frame-ancestors ; block-all-mixed-content",
                p.serve("/p/index.html", null, "http", "gw:80").headers().get("Content-Security-Policy"));
        // connect-src replaced by the package: no rewrite, so no forwarded headers needed
        HttpFile c = p.serve("/c/index.html", null, null, null);
        assertEquals(200, c.status());
        assertTrue(c.headers().get("Content-Security-Policy").contains("connect-src 'self' https://x;"));
    }

    /** The same tree through the installed bridge: selection, manifests and every answer agree. */
    @Test
    void matchesTheInstalledBridge(@TempDir Path home) throws Exception {
        BridgeOracle.assumeAvailable();
        Path a = data("a");
        Path b = data("b");
        Path flag = Files.writeString(tmp.resolve("flag"), "");
        pkg(a, "low", "{\"name\": \"thing\", \"menu\": {\"i\": {\"label\": \"Ü\"}}}", "index.html", "x.min.js");
        pkg(b, "high", "{\"name\": \"thing\", \"priority\": 3, \"conditions\": [{\"path-exists\": \"" + flag + "\"}],"
                + " \"content-security-policy\": \"img-src 'self' blob:\"}", "index.html", "x.js", "x.min.js");
        pkg(b, "hidden", "{\"conditions\": [{\"path-not-exists\": \"" + flag + "\"}]}", "a.txt");
        pkg(b, "shown", "{\"conditions\": [{\"path-not-exists\": \"" + tmp.resolve("nope") + "\"}]}", "a.txt",
                "po.de.js", "po.manifest.de.js", "img/a.png", "data.json", "noext", "font.woff2", "x.map");
        Path shown = b.resolve("cockpit/shown");
        Files.write(shown.resolve("gz.css.gz"), new byte[]{0x1f, (byte) 0x8b, 8, 0});
        Path over = pkg(a, "over", "{\"a\": {\"b\": 1}, \"lib\": \"${libexecdir}\"}");
        Files.writeString(over.resolve("override.json"), "{\"a\": {\"c\": 2}}");
        Files.writeString(Files.createDirectories(tmp.resolve("etc/cockpit")).resolve("over.override.json"),
                "{\"a\": {\"b\": null}, \"z\": [true, null, 1.0]}");

        PackageRepository repo = new PackageRepository(List.of(a, b), List.of(tmp.resolve("etc")), "337");
        Map<String, Boolean> report = new HashMap<>();
        repo.reportFiles().forEach(f -> report.put(f, Files.exists(Path.of(f))));
        LocalPackages ours = repo.select(report);

        List<BridgeOracle.Case> cases = new ArrayList<>();
        for (String path : List.of("/thing/index.html", "/thing/x.js", "/thing/x.min.js", "/hidden/a.txt",
                "/shown/a.txt", "/shown/img/a.png", "/shown/data.json", "/shown/noext", "/shown/font.woff2",
                "/shown/x.map", "/shown/gz.css", "/shown/gz.css.gz", "/manifests.json", "/over/x")) {
            cases.add(new BridgeOracle.Case(path, null));
        }
        cases.add(new BridgeOracle.Case("/shown/po.js", "de-de;q=0.5, fr"));
        cases.add(new BridgeOracle.Case("/shown/po.manifest.js", "de"));
        cases.add(new BridgeOracle.Case("/shown/po.js", "en, de"));
        JsonNode oracle = BridgeOracle.run(List.of(a, b), List.of(tmp.resolve("etc")), home, cases, "https", "gw:1");

        assertEquals(oracle.get("manifests"), new ObjectMapper().readTree(ours.manifestsJson()));
        for (int i = 0; i < cases.size(); i++) {
            BridgeOracle.Case c = cases.get(i);
            JsonNode expected = oracle.get("results").get(i);
            HttpFile r = ours.serve(c.path(), c.lang(), "https", "gw:1");
            assertEquals(expected.get("status").asInt(), r.status(), c.toString());
            if (r.status() == 200) {
                assertEquals(expected.get("type").asText(), r.headers().get("Content-Type"), c.toString());
                assertEquals(expected.get("encoding").isNull() ? null : expected.get("encoding").asText(),
                        r.headers().get("Content-Encoding"), c.toString());
                assertEquals(expected.get("csp").isNull() ? null : expected.get("csp").asText(),
                        r.headers().get("Content-Security-Policy"), c.toString());
                if (c.path().equals("/manifests.json")) {
                    // the bridge lists directories unsorted, we sort them: same content, maybe another order
                    assertEquals(new ObjectMapper().readTree(HexFormat.of().parseHex(expected.get("body_hex").asText())),
                            new ObjectMapper().readTree(r.body()));
                } else {
                    assertEquals(expected.get("body_hex").asText(), HexFormat.of().formatHex(r.body()), c.toString());
                }
            }
        }
        JsonNode ourJson = new ObjectMapper().readTree(ours.manifestsJson().getBytes(StandardCharsets.UTF_8));
        for (String name : ours.names()) {
            assertEquals(oracle.get("manifests_text").get(name).asText(), PythonJson.write(ourJson.get(name)), name);
        }
    }
}
