package io.cockpitwsjava.packages;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds {@code <dataDir>/cockpit/<dir>/manifest.json} files and turns each into a {@link Manifest}: parse, apply
 * override files (JSON merge patch), replace {@code ${libexecdir}}, validate (docs/beiboot.md §9.1).
 */
final class ManifestLoader {

    private static final Logger LOG = Logger.getLogger(ManifestLoader.class);
    private static final String LIBEXECDIR = "${libexecdir}";
    private static final List<Path> LIBEXEC_CANDIDATES = List.of(
            Path.of("/usr/local/libexec"), Path.of("/usr/libexec"),
            Path.of("/usr/local/lib/cockpit"), Path.of("/usr/lib/cockpit"));

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            // keep 1.0 a float: Python writes it back as 1.0, not 1
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    private final List<Path> configDirs;
    private final String libexecDir;
    private final String bridgeVersion;

    ManifestLoader(List<Path> configDirs, String libexecDir, String bridgeVersion) {
        this.configDirs = List.copyOf(configDirs);
        this.libexecDir = libexecDir;
        this.bridgeVersion = bridgeVersion;
    }

    /** The local libexec directory the bridge would report: the first that contains {@code cockpit-askpass}. */
    static String detectLibexecDir() {
        for (Path candidate : LIBEXEC_CANDIDATES) {
            if (Files.exists(candidate.resolve("cockpit-askpass"))) {
                return candidate.toString();
            }
        }
        return "/nonexistent/libexec";
    }

    /** Every valid manifest, data dirs in order, package directories sorted by name within a data dir. */
    List<Manifest> load(List<Path> dataDirs) {
        List<Manifest> result = new ArrayList<>();
        for (Path dataDir : dataDirs) {
            for (Path packageDir : packageDirs(dataDir.resolve("cockpit"))) {
                load(packageDir).ifPresent(result::add);
            }
        }
        return result;
    }

    private static List<Path> packageDirs(Path cockpitDir) {
        List<Path> dirs = new ArrayList<>();
        if (!Files.isDirectory(cockpitDir)) {
            return dirs;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(cockpitDir)) {
            for (Path p : stream) {
                if (Files.isRegularFile(p.resolve("manifest.json"))) {
                    dirs.add(p);
                }
            }
        } catch (IOException e) {
            LOG.warnf("cannot list %s: %s", cockpitDir, e.getMessage());
        }
        // the bridge uses directory order; sorting makes discovery (and manifests.json) deterministic
        dirs.sort(null);
        return dirs;
    }

    Optional<Manifest> load(Path packageDir) {
        Path file = packageDir.resolve("manifest.json");
        JsonNode parsed;
        try {
            parsed = JSON.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            LOG.warnf("%s: %s", file, e.getMessage());
            return Optional.empty();
        }
        if (parsed == null || !parsed.isObject()) {
            LOG.warnf("%s: json document isn't an object", file);
            return Optional.empty();
        }
        ObjectNode manifest = (ObjectNode) parsed;
        String dirName = packageDir.getFileName().toString();
        for (Path override : overrideFiles(packageDir, dirName)) {
            manifest = applyOverride(manifest, override);
        }
        manifest = (ObjectNode) patchLibexecdir(manifest);
        try {
            return Optional.of(Manifest.of(packageDir, manifest, bridgeVersion));
        } catch (Manifest.InvalidManifestException e) {
            LOG.warnf("%s: %s", file, e.getMessage());
            return Optional.empty();
        }
    }

    private List<Path> overrideFiles(Path packageDir, String dirName) {
        List<Path> files = new ArrayList<>();
        files.add(packageDir.resolve("override.json"));
        // only the first config dir that has the file counts, like the bridge's lookup_config()
        for (Path configDir : configDirs) {
            Path candidate = configDir.resolve("cockpit").resolve(dirName + ".override.json");
            if (Files.exists(candidate)) {
                files.add(candidate);
                break;
            }
        }
        return files;
    }

    private static ObjectNode applyOverride(ObjectNode manifest, Path overrideFile) {
        JsonNode override;
        try {
            override = JSON.readTree(Files.readAllBytes(overrideFile));
        } catch (NoSuchFileException e) {
            return manifest;
        } catch (IOException e) {
            LOG.warnf("%s: %s", overrideFile, e.getMessage());
            return manifest;
        }
        if (override == null || !override.isObject()) {
            LOG.warnf("%s: override file is not a dictionary", overrideFile);
            return manifest;
        }
        return JsonMergePatch.apply(manifest, (ObjectNode) override);
    }

    private JsonNode patchLibexecdir(JsonNode node) {
        if (node.isTextual()) {
            String s = node.asText();
            return s.contains(LIBEXECDIR) ? TextNode.valueOf(s.replace(LIBEXECDIR, libexecDir)) : node;
        }
        if (node.isObject()) {
            ObjectNode copy = ((ObjectNode) node).objectNode();
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                copy.set(e.getKey(), patchLibexecdir(e.getValue()));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = ((ArrayNode) node).arrayNode();
            node.forEach(item -> copy.add(patchLibexecdir(item)));
            return copy;
        }
        return node;
    }
}
