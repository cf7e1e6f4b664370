package io.cockpitwsjava.packages;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;

/**
 * Static and branding files (login page assets, logos, {@code branding.css}) from an ordered list of roots, first hit
 * wins (docs/protocol.md §3.1). The web layer adds {@code Access-Control-Allow-Origin}, the CSP for {@code .html} and the
 * docs/protocol.md §1.5 security headers. Blocking file I/O: call from a worker thread.
 */
public final class BrandingFiles {

    private static final Logger LOG = Logger.getLogger(BrandingFiles.class);

    private final List<Path> roots;

    public BrandingFiles(List<Path> roots) {
        this.roots = List.copyOf(roots);
    }

    public List<Path> roots() {
        return roots;
    }

    /**
     * The roots ws would use, in order, keeping only those that exist: {@code <configDir>/cockpit/branding} for each
     * config dir, {@code branding/<ID>-<VARIANT_ID>}, {@code branding/<ID>}, {@code branding/<word>} per
     * {@code ID_LIKE} word, {@code branding/default}, the CustomLoginPage dir, {@code static}. IDs that are empty,
     * start with {@code .} or contain {@code /} are skipped.
     *
     * @param osRelease      the gateway's os-release (or a host's, from its init message); nullable
     * @param cockpitDataDir usually {@code /usr/share/cockpit}
     */
    public static List<Path> rootsFor(Map<String, String> osRelease, Path cockpitDataDir, List<Path> configDirs,
                                      Optional<Path> customLoginPage) {
        List<Path> candidates = new ArrayList<>();
        for (Path configDir : configDirs) {
            candidates.add(configDir.resolve("cockpit").resolve("branding"));
        }
        Map<String, String> os = osRelease == null ? Map.of() : osRelease;
        Path branding = cockpitDataDir.resolve("branding");
        String id = os.get("ID");
        if (isValidComponent(id)) {
            String variant = os.get("VARIANT_ID");
            if (isValidComponent(variant)) {
                candidates.add(branding.resolve(id + "-" + variant));
            }
            candidates.add(branding.resolve(id));
        }
        String idLike = os.get("ID_LIKE");
        if (idLike != null) {
            for (String word : idLike.split(" ", -1)) {
                if (isValidComponent(word)) {
                    candidates.add(branding.resolve(word));
                }
            }
        }
        candidates.add(branding.resolve("default"));
        customLoginPage.ifPresent(candidates::add);
        candidates.add(cockpitDataDir.resolve("static"));
        return candidates.stream().filter(Files::exists).toList();
    }

    private static boolean isValidComponent(String s) {
        return s != null && !s.isEmpty() && !s.startsWith(".") && !s.contains("/");
    }

    /**
     * Serves {@code relPath} (still percent-encoded, e.g. {@code branding.css} or {@code /fonts/x.woff2}).
     * {@code .css} files are templated with {@code osRelease} unless it is null.
     */
    public HttpFile serve(String relPath, Map<String, String> osRelease) {
        String escaped = relPath.startsWith("/") ? relPath : "/" + relPath;
        String path = unescape(escaped);
        // hidden files, parent references and empty components never reach the file system
        if (path == null || path.contains("/.") || path.contains("../") || path.contains("//")) {
            return HttpFile.failure(404, "Not Found", "Not Found");
        }
        String relative = path.substring(1);
        byte[] body = null;
        for (Path root : roots) {
            Path file;
            try {
                file = relative.isEmpty() ? root : root.resolve(relative);
            } catch (java.nio.file.InvalidPathException e) {
                return HttpFile.failure(404, "Not Found", "Not Found");
            }
            if (Files.isDirectory(file)) {
                return HttpFile.failure(403, "Directory Listing Denied", "Directory Listing Denied");
            }
            try {
                body = Files.readAllBytes(file);
                break;
            } catch (NoSuchFileException e) {
                // not in this root: try the next one
            } catch (AccessDeniedException e) {
                return HttpFile.failure(403, "Access denied", "Access denied");
            } catch (FileSystemException e) {
                if (e.getReason() == null || !e.getReason().contains("File name too long")) {
                    LOG.warnf("%s: %s", file, e.getMessage());
                    return HttpFile.failure(500, "Internal server error", "Internal server error");
                }
            } catch (IOException e) {
                LOG.warnf("%s: %s", file, e.getMessage());
                return HttpFile.failure(500, "Internal server error", "Internal server error");
            }
        }
        if (body == null) {
            return HttpFile.failure(404, "Not Found", "Not Found");
        }
        if (path.endsWith(".css") && osRelease != null) {
            body = CssTemplate.expand(body, osRelease::get);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        MimeTypes.forRequestPath(path).ifPresent(type -> headers.put("Content-Type", type));
        headers.put("Cache-Control", "max-age=86400, private");
        headers.put("Vary", "Cookie");
        return new HttpFile(200, "OK", headers, body);
    }

    /** Percent-decoding as ws does it: null for a bad escape, an encoded {@code /}, a NUL or invalid UTF-8. */
    static String unescape(String escaped) {
        byte[] out = new byte[escaped.length() * 3];
        int n = 0;
        byte[] raw = escaped.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < raw.length; i++) {
            byte b = raw[i];
            if (b == 0) {
                return null;
            }
            if (b == '%') {
                if (i + 2 >= raw.length) {
                    return null;
                }
                int hi = Character.digit(raw[i + 1], 16);
                int lo = Character.digit(raw[i + 2], 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                b = (byte) (hi * 16 + lo);
                if (b == '/' || b == 0) {
                    return null;
                }
                i += 2;
            }
            out[n++] = b;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(out, 0, n))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
