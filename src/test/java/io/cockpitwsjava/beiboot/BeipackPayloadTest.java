package io.cockpitwsjava.beiboot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BeipackPayloadTest {

    static final Path SITE_PACKAGES = Path.of("/usr/lib/python3/dist-packages");

    static void assumeInstalled() {
        assumeTrue(Files.isRegularFile(BeipackPayload.DEBIAN_PAYLOAD), "needs the cockpit-bridge package");
    }

    @Test
    void loadsTheDebianPayload() throws Exception {
        assumeInstalled();
        BeipackPayload payload = BeipackPayload.load(Optional.empty());
        assertEquals(BeipackPayload.DEBIAN_PAYLOAD.toString(), payload.source());
        assertArrayEquals(Files.readAllBytes(BeipackPayload.DEBIAN_PAYLOAD), payload.bytes());
        assertEquals(payload.bytes().length, payload.size());
        assertArrayEquals(BeipackPayload.XZ_MAGIC, java.util.Arrays.copyOf(payload.bytes(), 6));
    }

    @Test
    void configuredPathWins(@TempDir Path tmp) throws Exception {
        Path file = Files.write(tmp.resolve("p.xz"), BeipackWriter.compress("print('x')\n"));
        BeipackPayload payload = BeipackPayload.load(Optional.of(file));
        assertEquals(file.toString(), payload.source());
        assertThrows(UncheckedIOException.class, () -> BeipackPayload.load(Optional.of(tmp.resolve("missing"))));
        Path bad = Files.writeString(tmp.resolve("bad"), "not xz at all");
        assertThrows(IllegalArgumentException.class, () -> BeipackPayload.load(Optional.of(bad)));
    }

    @Test
    void packsAnInstalledPackageWithoutPrebuiltPayload(@TempDir Path tmp) throws Exception {
        assumeInstalled();
        Path site = tmp.resolve("site-packages");
        copyTree(SITE_PACKAGES.resolve("cockpit"), site.resolve("cockpit"));
        Files.delete(site.resolve(Stage1Bootloader.PAYLOAD_FILENAME));
        BeipackPayload payload = BeipackPayload.load(Optional.empty(), List.of(tmp.resolve("nothing"), site));
        assertEquals("packed from " + site, payload.source());
        assertThrows(IllegalStateException.class,
                () -> BeipackPayload.load(Optional.empty(), List.of(tmp.resolve("nothing"))));
    }

    @Test
    void collectSkipsCachesAndTheEmbeddedPayload(@TempDir Path tmp) throws Exception {
        Path pkg = Files.createDirectories(tmp.resolve("cockpit/data"));
        Files.writeString(tmp.resolve("cockpit/__init__.py"), "");
        Files.writeString(pkg.resolve("__init__.py"), "");
        Files.write(pkg.resolve("cockpit-bridge.beipack.xz"), BeipackPayload.XZ_MAGIC);
        Files.createDirectories(tmp.resolve("cockpit/__pycache__"));
        Files.writeString(tmp.resolve("cockpit/__pycache__/x.pyc"), "");
        Map<String, byte[]> files = BeipackWriter.collect(tmp, "cockpit");
        assertEquals(List.of("cockpit/__init__.py", "cockpit/data/__init__.py", "cockpit/data/cockpit-bridge.beipack.xz"),
                List.copyOf(files.keySet()));
    }

    /**
     * Our loader serves modules, packages and resources, and exposes its own compressed source under the payload
     * name (what the bridge uses to beiboot its privileged copy).
     */
    @Test
    void packedLoaderServesResourcesAndItsOwnSource(@TempDir Path tmp) throws Exception {
        assumeInstalled();
        Path python = Path.of("/usr/bin/python3");
        Map<String, byte[]> files = new TreeMap<>(BeipackWriter.collect(SITE_PACKAGES, "cockpit"));
        files.remove(Stage1Bootloader.PAYLOAD_FILENAME);
        byte[] binary = new byte[256];
        for (int i = 0; i < 256; i++) {
            binary[i] = (byte) i;
        }
        files.put("probe/__init__.py", """
                import hashlib, importlib.resources, sys
                from cockpit.data import read_cockpit_data_file
                import cockpit.channels.dbus
                def main(arg):
                    out = sys.stderr
                    out.write('arg=%s\\n' % arg)
                    out.write('self=%s\\n' % hashlib.sha256(read_cockpit_data_file('cockpit-bridge.beipack.xz')).hexdigest())
                    out.write('fail=%d\\n' % len(read_cockpit_data_file('fail.html')))
                    data = importlib.resources.files('cockpit.data')
                    out.write('entries=%s\\n' % ','.join(sorted(e.name for e in data.iterdir())))
                    out.write('binary=%s\\n' % (importlib.resources.files('probe') / 'sub' / 'bin.dat').read_bytes().hex())
                    out.write('package=%s\\n' % (cockpit.channels.__spec__.submodule_search_locations is not None))
                    out.write('argv=%s\\n' % sys.argv)
                """.getBytes(StandardCharsets.UTF_8));
        files.put("probe/sub/bin.dat", binary);
        byte[] packed = BeipackWriter.compress(BeipackWriter.source(files, "probe", "main", "'ok'"));
        BeipackPayload payload = BeipackPayload.of(packed, "probe");

        BootSequence sequence = new BootSequence(RemoteBridgeMode.NEVER, payload, List.of(),
                OsSupportPolicy.defaults(Map.of()));
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("python3"), python);
        String stderr;
        try (LocalBridge bridge = new LocalBridge(List.of("/bin/sh", "-c", Stage1Bootloader.REMOTE_COMMAND),
                LocalBridge.env(bin, tmp), sequence)) {
            assertEquals(0, bridge.waitForExit(), bridge.stderrTail());
            stderr = bridge.stderrTail();
        }
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(packed));
        assertTrue(stderr.contains("arg=ok\n"), stderr);
        assertTrue(stderr.contains("self=" + sha + "\n"), stderr);
        assertTrue(stderr.contains("fail=" + Files.size(SITE_PACKAGES.resolve("cockpit/data/fail.html")) + "\n"), stderr);
        assertTrue(stderr.contains("entries=__init__.py,cockpit-bridge.beipack.xz,fail.html\n"), stderr);
        assertTrue(stderr.contains("binary=" + HexFormat.of().formatHex(binary) + "\n"), stderr);
        assertTrue(stderr.contains("package=True\n"), stderr);
        assertTrue(stderr.contains("argv=['cockpit/data/cockpit-bridge.beipack.xz']\n"), stderr);
        assertFalse(stderr.contains("Traceback"), stderr);
    }

    static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
