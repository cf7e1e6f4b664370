package io.cockpitwsjava.packages;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The enumerated files of one package directory (docs/beiboot.md §9.3). Only names in this index are ever opened, which
 * is what keeps {@code ../} and friends out.
 */
final class PackageFiles {

    static final String PO_JS = "po.js";
    static final String PO_MANIFEST_JS = "po.manifest.js";

    private static final Pattern TRANSLATION = Pattern.compile("(po|po\\.manifest)\\.([^.]+)\\.js(\\.gz)?");

    private final Path directory;
    /** request name → stored name (relative, '/'-separated). */
    private final Map<String, String> files;
    /** "po.js" / "po.manifest.js" → locale key → stored name. */
    private final Map<String, Map<String, String>> translations;

    private PackageFiles(Path directory, Map<String, String> files, Map<String, Map<String, String>> translations) {
        this.directory = directory;
        this.files = files;
        this.translations = translations;
    }

    /** Walks {@code directory} once; regular files (also through symlinks) count, symlinked directories do not. */
    static PackageFiles scan(Path directory) {
        List<String> names = new ArrayList<>();
        try {
            Files.walkFileTree(directory, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (Files.isRegularFile(file)) {
                        names.add(relativeName(directory, file));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Collections.sort(names);

        Map<String, String> files = new HashMap<>();
        Map<String, String> po = new HashMap<>();
        Map<String, String> poManifest = new HashMap<>();
        for (String name : names) {
            if (name.equals("manifest.json")) {
                continue;
            }
            Matcher m = TRANSLATION.matcher(name);
            if (m.matches()) {
                String locale = m.group(2).toLowerCase(Locale.ROOT).replace('_', '-');
                (m.group(1).equals("po") ? po : poManifest).put(locale, name);
                continue;
            }
            String requestName = name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
            files.put(requestName, name);
            // x.min.js is also x.js, unless x.js(.gz) exists: put() above wins over putIfAbsent() in either order
            files.putIfAbsent(requestName.replace(".min.", "."), name);
        }
        // packages built with an old po plugin have no po.manifest.*.js: fall back to po.*.js
        Map<String, Map<String, String>> translations = Map.of(
                PO_JS, Map.copyOf(po),
                PO_MANIFEST_JS, Map.copyOf(poManifest.isEmpty() ? po : poManifest));
        return new PackageFiles(directory, Map.copyOf(files), translations);
    }

    Path directory() {
        return directory;
    }

    /** Stored name for a request name, if it is one of ours. */
    Optional<String> storedName(String requestName) {
        return Optional.ofNullable(files.get(requestName));
    }

    static boolean isTranslationRequest(String requestName) {
        return requestName.equals(PO_JS) || requestName.equals(PO_MANIFEST_JS);
    }

    /** First locale of {@code locales} with a translation for {@code requestName} ("po.js" or "po.manifest.js"). */
    Optional<String> translation(String requestName, List<String> locales) {
        Map<String, String> byLocale = translations.get(requestName);
        for (String locale : locales) {
            String stored = byLocale.get(locale);
            if (stored != null) {
                return Optional.of(stored);
            }
        }
        return Optional.empty();
    }

    private static String relativeName(Path root, Path file) {
        Path rel = root.relativize(file);
        StringBuilder out = new StringBuilder();
        for (Path part : rel) {
            if (!out.isEmpty()) {
                out.append('/');
            }
            out.append(part);
        }
        return out.toString();
    }
}
