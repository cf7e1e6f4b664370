package io.cockpitwsjava.packages;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * All Cockpit packages installed on the gateway, discovered once (docs/beiboot.md §9.1). For each beibooted target,
 * {@link #select} picks the packages whose conditions hold on that target, given its file-existence report.
 * Thread-safe; file enumerations are cached per package directory and shared by all selections.
 */
public final class PackageRepository {

    private static final Logger LOG = Logger.getLogger(PackageRepository.class);
    /** Used when no installed bridge tells us its version. */
    public static final String DEFAULT_COCKPIT_VERSION = "337";
    private static final Pattern VERSION_LINE = Pattern.compile("__version__\\s*=\\s*['\"]([^'\"]+)['\"]");

    private final List<Manifest> candidates;
    private final Map<Path, PackageFiles> filesByDirectory = new ConcurrentHashMap<>();

    /**
     * @param dataDirs      e.g. {@code [/usr/local/share, /usr/share]}; packages at {@code <dir>/cockpit/<name>/}
     * @param configDirs    where {@code cockpit/<name>.override.json} is looked up (first hit); default {@code [/etc]}
     * @param bridgeVersion version of the bridge we boot on targets, checked against manifest {@code requires}
     */
    public PackageRepository(List<Path> dataDirs, List<Path> configDirs, String bridgeVersion) {
        this(dataDirs, configDirs, bridgeVersion, ManifestLoader.detectLibexecDir());
    }

    /** As above with an explicit value for {@code ${libexecdir}} in manifests. */
    public PackageRepository(List<Path> dataDirs, List<Path> configDirs, String bridgeVersion, String libexecDir) {
        this.candidates = List.copyOf(new ManifestLoader(configDirs, libexecDir, bridgeVersion).load(dataDirs));
        LOG.debugf("discovered %d package manifests in %s", candidates.size(), dataDirs);
    }

    /** The usual system layout: {@code /usr/local/share}, {@code /usr/share}, {@code /etc}, installed version. */
    public static PackageRepository system() {
        return new PackageRepository(List.of(Path.of("/usr/local/share"), Path.of("/usr/share")),
                List.of(Path.of("/etc")), installedCockpitVersion());
    }

    /**
     * Every path named in any condition of any valid candidate manifest, recursively inside {@code any}, in
     * discovery order, duplicates kept: the {@code FILES} argument of the beiboot {@code report_exists} step.
     */
    public List<String> reportFiles() {
        List<String> paths = new ArrayList<>();
        candidates.forEach(m -> m.collectConditionPaths(paths::add));
        return paths;
    }

    /**
     * The packages to serve for a target. Per package name, candidates are tried by descending priority (ties in
     * discovery order) and the first whose conditions all hold wins. Paths missing from the report count as absent.
     */
    public LocalPackages select(Map<String, Boolean> existsOnTarget) {
        Map<String, List<Manifest>> byName = new LinkedHashMap<>();
        for (Manifest m : candidates) {
            byName.computeIfAbsent(m.name(), k -> new ArrayList<>()).add(m);
        }
        Map<String, Manifest> selected = new LinkedHashMap<>();
        for (Map.Entry<String, List<Manifest>> group : byName.entrySet()) {
            List<Manifest> ordered = new ArrayList<>(group.getValue());
            ordered.sort(Comparator.comparingLong(Manifest::priority).reversed());
            for (Manifest candidate : ordered) {
                if (candidate.conditionsHold(existsOnTarget)) {
                    selected.put(group.getKey(), candidate);
                    break;
                }
                LOG.debugf("not serving %s: unmet conditions", candidate.directory());
            }
        }
        return new LocalPackages(selected, this::filesOf);
    }

    private PackageFiles filesOf(Manifest manifest) {
        return filesByDirectory.computeIfAbsent(manifest.directory(), PackageFiles::scan);
    }

    /**
     * Best-effort version of the installed Cockpit Python bridge (its {@code cockpit/_version.py}), which is also
     * the version of the beipack built from it; {@link #DEFAULT_COCKPIT_VERSION} if none is found.
     */
    public static String installedCockpitVersion() {
        List<Path> candidates = new ArrayList<>();
        candidates.add(Path.of("/usr/lib/python3/dist-packages/cockpit/_version.py"));
        for (Path lib : List.of(Path.of("/usr/lib"), Path.of("/usr/lib64"), Path.of("/usr/local/lib"))) {
            try (DirectoryStream<Path> pythons = Files.newDirectoryStream(lib, "python3*")) {
                for (Path python : pythons) {
                    candidates.add(python.resolve("site-packages/cockpit/_version.py"));
                    candidates.add(python.resolve("dist-packages/cockpit/_version.py"));
                }
            } catch (IOException | RuntimeException e) {
                // directory absent: nothing to look at there
            }
        }
        for (Path file : candidates) {
            try {
                Matcher m = VERSION_LINE.matcher(Files.readString(file));
                if (m.find()) {
                    return m.group(1);
                }
            } catch (IOException | RuntimeException e) {
                // not installed there; try the next location
            }
        }
        return DEFAULT_COCKPIT_VERSION;
    }
}
