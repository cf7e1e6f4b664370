package io.cockpitwsjava.packages;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The two Content-Type tables Cockpit uses: the bridge's (Python {@code mimetypes}, keyed by the stored file name,
 * docs/beiboot.md §9.6) and ws's own fallback table keyed by the request path (docs/protocol.md §1.5).
 */
final class MimeTypes {

    /** Result of guessing like Python's {@code mimetypes.guess_type}: a type (never null here) and an encoding. */
    record Guess(String contentType, Optional<String> contentEncoding) {
    }

    private static final Map<String, String> PYTHON_TYPES = Map.ofEntries(
            Map.entry(".html", "text/html"),
            Map.entry(".htm", "text/html"),
            Map.entry(".js", "text/javascript"),
            Map.entry(".mjs", "text/javascript"),
            Map.entry(".css", "text/css"),
            Map.entry(".json", "application/json"),
            Map.entry(".svg", "image/svg+xml"),
            Map.entry(".png", "image/png"),
            Map.entry(".woff2", "font/woff2"),
            Map.entry(".woff", "font/woff"),
            Map.entry(".ttf", "font/ttf"),
            Map.entry(".otf", "font/otf"),
            Map.entry(".eot", "application/vnd.ms-fontobject"),
            Map.entry(".wasm", "application/wasm"),
            Map.entry(".txt", "text/plain"),
            Map.entry(".xml", "application/xml"),
            Map.entry(".ico", "image/vnd.microsoft.icon"),
            Map.entry(".gif", "image/gif"),
            Map.entry(".jpg", "image/jpeg"),
            Map.entry(".jpeg", "image/jpeg"));

    // mimetypes.encodings_map: a trailing compression suffix is an encoding, the type comes from what precedes it
    private static final Map<String, String> PYTHON_ENCODINGS = Map.of(
            ".gz", "gzip",
            ".br", "br",
            ".xz", "xz",
            ".bz2", "bzip2",
            ".Z", "compress");

    private static final Map<String, String> WS_TYPES = Map.ofEntries(
            Map.entry(".css", "text/css"),
            Map.entry(".gif", "image/gif"),
            Map.entry(".eot", "application/vnd.ms-fontobject"),
            Map.entry(".html", "text/html"),
            Map.entry(".jpg", "image/jpg"),
            Map.entry(".js", "application/javascript"),
            Map.entry(".json", "application/json"),
            Map.entry(".otf", "font/opentype"),
            Map.entry(".png", "image/png"),
            Map.entry(".svg", "image/svg+xml"),
            Map.entry(".ttf", "application/octet-stream"),
            Map.entry(".txt", "text/plain"),
            Map.entry(".wasm", "application/wasm"),
            Map.entry(".woff", "application/font-woff"),
            Map.entry(".xml", "text/xml"));

    private MimeTypes() {
    }

    /** Guess for a package file by its stored name; unknown types become {@code text/plain} like the bridge does. */
    static Guess forStoredName(String name) {
        String base = baseName(name);
        Optional<String> encoding = Optional.empty();
        String ext = extension(base);
        String enc = null;
        if (ext != null) {
            enc = PYTHON_ENCODINGS.get(ext);
            if (enc == null) {
                enc = PYTHON_ENCODINGS.get(ext.toLowerCase(Locale.ROOT));
            }
        }
        if (enc != null) {
            encoding = Optional.of(enc);
            base = base.substring(0, base.length() - ext.length());
            ext = extension(base);
        }
        String type = null;
        if (ext != null) {
            type = PYTHON_TYPES.get(ext);
            if (type == null) {
                type = PYTHON_TYPES.get(ext.toLowerCase(Locale.ROOT));
            }
        }
        return new Guess(type == null ? "text/plain" : type, encoding);
    }

    /** ws's table, by request path; empty when ws would not set a Content-Type. */
    static Optional<String> forRequestPath(String path) {
        String ext = extension(baseName(path));
        return ext == null ? Optional.empty() : Optional.ofNullable(WS_TYPES.get(ext));
    }

    private static String baseName(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    // like posixpath.splitext: leading dots do not start an extension
    private static String extension(String base) {
        int dot = base.lastIndexOf('.');
        if (dot <= 0) {
            return null;
        }
        int firstNonDot = 0;
        while (firstNonDot < base.length() && base.charAt(firstNonDot) == '.') {
            firstNonDot++;
        }
        return dot < firstNonDot ? null : base.substring(dot);
    }
}
