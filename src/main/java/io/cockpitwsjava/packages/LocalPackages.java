package io.cockpitwsjava.packages;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jboss.logging.Logger;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;

/**
 * The packages selected for one beibooted target, answering package URLs the way the bridge's internal
 * {@code packages} channel would (docs/beiboot.md §9.3–§9.6, docs/protocol.md §4.2/§4.6). Files are read per request
 * (blocking I/O: call from a worker thread). Thread-safe.
 */
public final class LocalPackages {

    private static final Logger LOG = Logger.getLogger(LocalPackages.class);
    private static final String REASON_OK = "OK";
    // the bridge's error heads say "ERROR"; we relay the same so both package sources look alike
    private static final String REASON_ERROR = "ERROR";
    private static final String NO_CACHE = "no-cache, no-store";
    private static final String SELF_CONNECT = "connect-src 'self';";
    private static final Set<String> NO_MANIFEST_TRANSLATIONS = Set.of("static", "base1");

    private final Map<String, Manifest> packages;
    private final Function<Manifest, PackageFiles> files;
    private final String manifestsJson;
    private final FileTags tags = new FileTags();

    LocalPackages(Map<String, Manifest> packages, Function<Manifest, PackageFiles> files) {
        this.packages = Collections.unmodifiableMap(new LinkedHashMap<>(packages));
        this.files = files;
        ObjectNode all = JsonNodeFactory.instance.objectNode();
        this.packages.forEach((name, m) -> all.set(name, m.json()));
        this.manifestsJson = PythonJson.write(all);
    }

    /** Selected package names, in discovery order. */
    public Set<String> names() {
        return packages.keySet();
    }

    /** The {@code /manifests.json} document: {@code {name: manifest, …}} after overrides and patching. */
    public String manifestsJson() {
        return manifestsJson;
    }

    /**
     * Answers a package request.
     *
     * @param path           {@code /<package>/<file>} or {@code /<top-level document>}, without query string
     * @param acceptLanguage the request's language list (already replaced by the CockpitLang cookie); nullable
     * @param forwardedProto effective protocol of the browser request ({@code http} / {@code https}); nullable
     * @param forwardedHost  the browser's {@code Host} header; nullable. HTML needs both or gets 400.
     */
    public HttpFile serve(String path, String acceptLanguage, String forwardedProto, String forwardedHost) {
        return serve(path, acceptLanguage, forwardedProto, forwardedHost, null, null);
    }

    /**
     * As {@link #serve(String, String, String, String)}, with the request's conditional and encoding headers: a package
     * file other than HTML carries an {@code ETag} and is answered 304 without its body when {@code ifNoneMatch}
     * names it; a stored {@code .gz} is sent as it is ({@code Content-Encoding: gzip}) unless {@code acceptEncoding}
     * is present and does not accept gzip, then decompressed.
     *
     * @param ifNoneMatch    the request's {@code If-None-Match}; nullable
     * @param acceptEncoding the request's {@code Accept-Encoding}; nullable (absent: every encoding is acceptable)
     */
    public HttpFile serve(String path, String acceptLanguage, String forwardedProto, String forwardedHost,
            String ifNoneMatch, String acceptEncoding) {
        Conditions conditions = new Conditions(ifNoneMatch, acceptEncoding);
        RequestPath request = RequestPath.parse(path);
        if (request == null) {
            return HttpFile.failure(400, REASON_ERROR, "Invalid HTTP path " + path);
        }
        try {
            if (request.packageName() == null) {
                return switch (request.file()) {
                    case "manifests.json" -> ok("application/json", manifestsJson.getBytes(StandardCharsets.UTF_8));
                    case "manifests.js" -> ok("text/javascript", manifestsScript(false, null));
                    case "manifests-i18n.js" -> ok("text/javascript", manifestsScript(true, acceptLanguage));
                    default -> notFound();
                };
            }
            Manifest manifest = packages.get(request.packageName());
            if (manifest == null) {
                return notFound();
            }
            PackageFiles pkg = files.apply(manifest);
            if (PackageFiles.isTranslationRequest(request.file())) {
                Optional<String> stored = pkg.translation(request.file(), AcceptLanguage.parse(acceptLanguage));
                if (stored.isEmpty()) {
                    // an empty document rather than 404 keeps the browser console quiet
                    return ok("text/javascript", new byte[0]);
                }
                return file(manifest, pkg, stored.get(), forwardedProto, forwardedHost, conditions);
            }
            Optional<String> stored = pkg.storedName(request.file());
            if (stored.isEmpty()) {
                return notFound();
            }
            return file(manifest, pkg, stored.get(), forwardedProto, forwardedHost, conditions);
        } catch (IOException e) {
            LOG.warnf("serving %s: %s", path, e.toString());
            return HttpFile.failure(500, REASON_ERROR, "Internal error: " + e.getMessage());
        } catch (java.io.UncheckedIOException e) {
            // the package directory could not be enumerated
            LOG.warnf("serving %s: %s", path, e.getCause().toString());
            return HttpFile.failure(500, REASON_ERROR, "Internal error: " + e.getCause().getMessage());
        }
    }

    private HttpFile file(Manifest manifest, PackageFiles pkg, String storedName, String proto, String host,
            Conditions conditions) throws IOException {
        MimeTypes.Guess guess = MimeTypes.forStoredName(storedName);
        java.nio.file.Path stored = pkg.directory().resolve(storedName);
        Map<String, String> headers = new LinkedHashMap<>();
        if (guess.contentType().startsWith("text/html")) {
            headers.put("Cache-Control", NO_CACHE);
            headers.put("Content-Type", guess.contentType());
            String policy = ContentSecurityPolicy.forPackage(manifest.contentSecurityPolicy());
            // browsers disagree on whether 'self' covers WebSockets, so name the ws(s) origin explicitly
            if (policy.contains(SELF_CONNECT)) {
                if (proto == null || host == null) {
                    return HttpFile.failure(400, REASON_ERROR, "Invalid host or protocol header");
                }
                String scheme = proto.equals("https") ? "wss" : "ws";
                policy = policy.replace(SELF_CONNECT, "connect-src " + scheme + "://" + host + " 'self';");
            }
            headers.put("Content-Security-Policy", policy);
            guess.contentEncoding().ifPresent(enc -> headers.put("Content-Encoding", enc));
            return new HttpFile(200, REASON_OK, headers, Files.readAllBytes(stored));
        }
        boolean gzip = guess.contentEncoding().filter("gzip"::equals).isPresent();
        boolean inflate = gzip && !conditions.acceptsGzip();
        // the browser may keep the file but asks again every time (If-None-Match): a repeat visit costs a 304, and a
        // changed package is never served stale
        headers.put("Cache-Control", EntityTag.REVALIDATE);
        // one entry per URL whatever the cookie: the tag, not the session, decides whether a stored copy is current
        headers.put("Vary", "Accept-Encoding");
        String known = tags.current(stored);
        if (known != null && inflate) {
            known = FileTags.identity(known);
        }
        if (known != null && conditions.matches(known)) {
            headers.put("ETag", known);
            return new HttpFile(304, "Not Modified", headers, new byte[0]);
        }
        FileTags.Read read = tags.read(stored);
        headers.put("Content-Type", guess.contentType());
        byte[] body = read.body();
        String etag = read.etag();
        if (inflate) {
            body = gunzip(body);
            etag = FileTags.identity(etag);
        } else {
            guess.contentEncoding().ifPresent(enc -> headers.put("Content-Encoding", enc));
        }
        headers.put("ETag", etag);
        if (conditions.matches(etag)) {
            return new HttpFile(304, "Not Modified", headers, new byte[0]);
        }
        return new HttpFile(200, REASON_OK, headers, body);
    }

    /** The request headers a package file's answer depends on besides its path and language. */
    private record Conditions(String ifNoneMatch, String acceptEncoding) {
        /** RFC 9110 §12.5.3: no header = anything goes; otherwise gzip (or *) must be listed without q=0. */
        boolean acceptsGzip() {
            if (acceptEncoding == null) {
                return true;
            }
            for (String item : acceptEncoding.split(",")) {
                String[] parts = item.trim().split(";");
                String coding = parts[0].trim().toLowerCase(java.util.Locale.ROOT);
                if (!coding.equals("gzip") && !coding.equals("x-gzip") && !coding.equals("*")) {
                    continue;
                }
                boolean refused = false;
                for (int i = 1; i < parts.length; i++) {
                    String p = parts[i].trim().toLowerCase(java.util.Locale.ROOT).replace(" ", "");
                    if (p.startsWith("q=")) {
                        try {
                            refused = Double.parseDouble(p.substring(2)) <= 0;
                        } catch (NumberFormatException e) {
                            refused = true;
                        }
                    }
                }
                return !refused;
            }
            return false;
        }

        boolean matches(String etag) {
            return EntityTag.matches(ifNoneMatch, etag);
        }
    }

    private static byte[] gunzip(byte[] gz) throws IOException {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    private byte[] manifestsScript(boolean withTranslations, String acceptLanguage) throws IOException {
        List<byte[]> chunks = new ArrayList<>();
        if (withTranslations) {
            List<String> locales = AcceptLanguage.parse(acceptLanguage);
            for (Map.Entry<String, Manifest> entry : packages.entrySet()) {
                if (NO_MANIFEST_TRANSLATIONS.contains(entry.getKey())) {
                    continue;
                }
                PackageFiles pkg = files.apply(entry.getValue());
                Optional<String> stored = pkg.translation(PackageFiles.PO_MANIFEST_JS, locales);
                chunks.add(stored.isEmpty() ? new byte[0] : readPlain(pkg, stored.get()));
            }
        }
        chunks.add(manifestsWrapper().getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < chunks.size(); i++) {
            if (i > 0) {
                out.write('\n');
            }
            out.write(chunks.get(i));
        }
        return out.toByteArray();
    }

    // a UMD-style wrapper: AMD loaders get define(data); the cockpit global gets .manifests; else a global
    private String manifestsWrapper() {
        return "\n"
                + "(function (root, data) {\n"
                + "    if (typeof define === 'function' && define.amd)\n"
                + "        define(data);\n"
                + "    if (typeof cockpit === 'object')\n"
                + "        cockpit.manifests = data;\n"
                + "    else\n"
                + "        root.manifests = data;\n"
                + "}(this, " + manifestsJson + "))";
    }

    private static byte[] readPlain(PackageFiles pkg, String storedName) throws IOException {
        byte[] raw = Files.readAllBytes(pkg.directory().resolve(storedName));
        if (MimeTypes.forStoredName(storedName).contentEncoding().filter("gzip"::equals).isEmpty()) {
            return raw;
        }
        return gunzip(raw);
    }

    private static HttpFile ok(String contentType, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Cache-Control", NO_CACHE);
        headers.put("Content-Type", contentType);
        return new HttpFile(200, REASON_OK, headers, body);
    }

    private static HttpFile notFound() {
        return HttpFile.failure(404, REASON_ERROR, "Not found");
    }

    /** {@code /<package>/<file>} or {@code /<name>}; every segment non-empty (the bridge's path grammar). */
    private record RequestPath(String packageName, String file) {
        static RequestPath parse(String path) {
            if (path == null || !path.startsWith("/") || path.length() < 2) {
                return null;
            }
            String rest = path.substring(1);
            for (String segment : rest.split("/", -1)) {
                if (segment.isEmpty()) {
                    return null;
                }
            }
            int slash = rest.indexOf('/');
            return slash < 0 ? new RequestPath(null, rest)
                    : new RequestPath(rest.substring(0, slash), rest.substring(slash + 1));
        }
    }
}
