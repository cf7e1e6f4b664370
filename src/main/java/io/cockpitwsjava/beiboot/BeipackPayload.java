package io.cockpitwsjava.beiboot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;

/**
 * The xz-compressed beipacked bridge sent to targets on {@code beiboot.provide} (docs/beiboot.md §5, §6).
 *
 * <p>The bytes are sent exactly as loaded: the running bridge keeps them as its own source to beiboot its privileged
 * copy. Loading is comparatively expensive (packing compresses ~½ MB); callers load once and keep the instance.
 */
public final class BeipackPayload {

    private static final Logger LOG = Logger.getLogger(BeipackPayload.class);

    /** Magic bytes of the xz container format. */
    static final byte[] XZ_MAGIC = {(byte) 0xFD, '7', 'z', 'X', 'Z', 0};

    /** Where Debian and Ubuntu install the prebuilt payload. */
    public static final Path DEBIAN_PAYLOAD = Path.of("/usr/lib/python3/dist-packages/cockpit/data/cockpit-bridge.beipack.xz");

    private final byte[] bytes;
    private final String source;

    private BeipackPayload(byte[] bytes, String source) {
        if (bytes.length < XZ_MAGIC.length || !Arrays.equals(bytes, 0, XZ_MAGIC.length, XZ_MAGIC, 0, XZ_MAGIC.length)) {
            throw new IllegalArgumentException("beipack from " + source + " is not xz-compressed (bad magic)");
        }
        this.bytes = bytes;
        this.source = source;
    }

    /** Wraps bytes obtained elsewhere, checking the xz magic. */
    public static BeipackPayload of(byte[] bytes, String source) {
        return new BeipackPayload(bytes.clone(), source);
    }

    /** The payload; do not modify the returned array. */
    public byte[] bytes() {
        return bytes;
    }

    public int size() {
        return bytes.length;
    }

    /** The file it came from, or {@code packed from <dir>}. */
    public String source() {
        return source;
    }

    /**
     * Loads the configured file; without one, the installed prebuilt payload (Debian, then Fedora layout); failing
     * that, packs an installed {@code cockpit} Python package.
     *
     * @throws UncheckedIOException if a configured file cannot be read
     * @throws IllegalStateException if nothing usable is found
     */
    public static BeipackPayload load(Optional<Path> configuredPath) {
        return load(configuredPath, defaultPackageDirectories());
    }

    /** {@link #load(Optional)} searching the given site-packages/dist-packages directories. */
    public static BeipackPayload load(Optional<Path> configuredPath, List<Path> packageDirectories) {
        if (configuredPath.isPresent()) {
            return readFile(configuredPath.get());
        }
        for (Path dir : packageDirectories) {
            Path file = dir.resolve(Stage1Bootloader.PAYLOAD_FILENAME);
            if (Files.isRegularFile(file)) {
                return readFile(file);
            }
        }
        for (Path dir : packageDirectories) {
            if (Files.isRegularFile(dir.resolve("cockpit/bridge.py"))) {
                LOG.infof("no prebuilt bridge payload found, packing the cockpit package in %s", dir);
                return pack(dir);
            }
        }
        throw new IllegalStateException("no cockpit bridge payload: configure its path, or install the cockpit-bridge"
                + " package (searched " + packageDirectories + ")");
    }

    /** Packs the {@code cockpit} package below {@code sitePackages} with {@link BeipackWriter}. */
    public static BeipackPayload pack(Path sitePackages) {
        return new BeipackPayload(BeipackWriter.packCockpit(sitePackages), "packed from " + sitePackages);
    }

    private static BeipackPayload readFile(Path file) {
        try {
            BeipackPayload payload = new BeipackPayload(Files.readAllBytes(file), file.toString());
            LOG.debugf("bridge payload: %s (%d bytes)", file, payload.size());
            return payload;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bridge payload " + file, e);
        }
    }

    /** Debian's dist-packages, then each {@code /usr/lib/python3.N/site-packages} (Fedora/RHEL). */
    static List<Path> defaultPackageDirectories() {
        List<Path> dirs = new ArrayList<>();
        dirs.add(Path.of("/usr/lib/python3/dist-packages"));
        List<Path> versioned = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(Path.of("/usr/lib"), "python3.*")) {
            stream.forEach(p -> versioned.add(p.resolve("site-packages")));
        } catch (IOException e) {
            LOG.debugf("cannot list /usr/lib: %s", e.getMessage());
        }
        // newest interpreter first: python3.13 sorts before python3.9 by version, not by name
        versioned.sort((a, b) -> Integer.compare(minor(b), minor(a)));
        dirs.addAll(versioned);
        return dirs;
    }

    private static int minor(Path sitePackages) {
        String name = sitePackages.getParent().getFileName().toString();
        try {
            return Integer.parseInt(name.substring("python3.".length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
