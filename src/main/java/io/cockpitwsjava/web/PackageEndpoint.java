package io.cockpitwsjava.web;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cockpitwsjava.config.GatewaySettings;
import io.cockpitwsjava.packages.HttpFile;
import io.cockpitwsjava.protocol.ControlMessage;
import io.cockpitwsjava.session.Application;
import io.cockpitwsjava.session.WebSession;

/**
 * Package files and the shell document (docs/protocol.md §4): from the gateway's own packages for a beibooted
 * target, otherwise through an internal {@code http-stream1} {@code packages} channel of the target's bridge.
 */
@Singleton
public class PackageEndpoint {
    private static final Set<String> NOT_FORWARDED = Set.of("cookie", "referer", "connection", "pragma",
            "cache-control", "user-agent", "accept-charset", "accept-ranges", "content-length", "content-md5",
            "content-range", "range", "te", "trailer", "upgrade", "transfer-encoding", "x-forwarded-for",
            "x-forwarded-host", "x-forwarded-protocol", "host");

    @Inject
    GatewaySettings settings;
    @Inject
    io.vertx.core.Vertx vertx;

    /** Serves {@code rest} from {@code where} ({@code @HOST}, {@code $CHECKSUM}, or null for the shell document). */
    void serve(Exchange ex, Application app, WebSession session, String where, String rest) {
        String host;
        if (where == null) {
            host = "localhost";
        } else if (where.startsWith("@") && where.length() > 1) {
            host = where.substring(1);
        } else {
            ex.fail(404, null); // checksums are never produced by the Python bridge
            return;
        }
        if (!settings.allowMultiHost() && !host.equals("localhost")) {
            ex.fail(403, null);
            return;
        }
        String language = ex.cookies().get("CockpitLang");
        if (language == null) {
            language = ex.header("Accept-Language");
        }
        boolean shellDoc = where == null;
        CacheType cache = shellDoc ? CacheType.NO_CACHE : CacheType.CACHE;
        // the shell document gets its base; with UrlRoot every HTML document learns the prefix
        UnaryOperator<byte[]> filter = shellDoc || settings.urlRoot().isPresent()
                ? body -> inject(body, app, host, shellDoc ? settings.shell() : null) : null;
        var local = session.localPackages(host);
        if (local.isPresent()) {
            String lang = language;
            String ifNoneMatch = ex.header("If-None-Match");
            String acceptEncoding = ex.header("Accept-Encoding");
            // package files are read from disk: off the event loop
            vertx.executeBlocking(() -> local.get().serve(rest, lang, ex.protocol(), ex.host(), ifNoneMatch,
                    acceptEncoding), false).onComplete(ar -> {
                if (ar.failed()) {
                    ex.fail(500, null);
                    return;
                }
                HttpFile f = ar.result();
                f.headers().forEach((k, v) -> ex.response().headers().set(k, v));
                byte[] body = f.body();
                if (filter != null && f.status() == 200 && isHtml(f.headers())) {
                    body = filter.apply(body);
                }
                if (f.status() == 304) {
                    ex.send(304, null, CacheType.NONE, null); // the file's own cache headers are set above
                    return;
                }
                ex.send(f.status(), f.status() == 200 ? null : f.reason(), cache, body);
            });
            return;
        }
        ObjectNode headers = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, String> h : ex.request().headers()) {
            if (!NOT_FORWARDED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                headers.put(h.getKey(), h.getValue());
            }
        }
        if (language != null) {
            headers.put("Accept-Language", language);
        }
        headers.put("Host", host);
        headers.put("X-Forwarded-Proto", ex.protocol());
        headers.put("X-Forwarded-Host", ex.host());
        if (shellDoc) {
            headers.put("Accept-Encoding", "identity");
        }
        ControlMessage open = ControlMessage.of("open").with("payload", "http-stream1").with("internal", "packages")
                .with("method", "GET").with("host", host).with("path", rest).with("binary", "raw")
                .with("flow-control", true).with("headers", headers);
        String channel = session.newInternalChannel();
        HtmlRewrite rewrite = filter == null ? null : new HtmlRewrite(filter, settings.limits().documentBytes());
        // package files (not the shell document) are tagged so that a repeat visit gets 304s (docs/protocol.md §4.4)
        BridgeHttpChannel.Revalidation revalidation = shellDoc ? null
                : new BridgeHttpChannel.Revalidation(ex.header("If-None-Match"), settings.limits().documentBytes());
        new BridgeHttpChannel(ex, session, channel, true, cache, rewrite, revalidation).start(open);
    }

    private static boolean isHtml(Map<String, String> headers) {
        return headers.entrySet().stream().anyMatch(e -> e.getKey().equalsIgnoreCase("Content-Type")
                && e.getValue().toLowerCase(Locale.ROOT).startsWith("text/html"));
    }

    /**
     * docs/protocol.md §4.3: multihost flag and the base href right after the first {@code <head>}. Spliced into the bytes
     * ({@code <head>} is ASCII, which never occurs inside a UTF-8 sequence), so the body is neither decoded nor
     * copied more than once, and bytes that are not valid UTF-8 pass unchanged.
     */
    private byte[] inject(byte[] body, Application app, String host, String shellPath) {
        int head = indexOf(body, HEAD);
        if (head < 0) {
            return body;
        }
        String root = settings.urlRoot().orElse("");
        StringBuilder insert = new StringBuilder();
        if (!root.isEmpty()) {
            insert.append("\n    <meta name=\"url-root\" content=\"").append(root).append("\">");
        }
        insert.append("\n    <meta name=\"allow-multihost\" content=\"").append(settings.allowMultiHost() ? "yes" : "no").append("\">");
        if (shellPath != null) {
            insert.append("\n    <base href=\"").append(root).append(app.urlPrefix()).append("/@").append(host)
                    .append(shellPath).append("\">");
        }
        byte[] added = insert.toString().getBytes(StandardCharsets.UTF_8);
        int at = head + HEAD.length;
        byte[] out = new byte[body.length + added.length];
        System.arraycopy(body, 0, out, 0, at);
        System.arraycopy(added, 0, out, at, added.length);
        System.arraycopy(body, at, out, at + added.length, body.length - at);
        return out;
    }

    private static final byte[] HEAD = "<head>".getBytes(StandardCharsets.US_ASCII);

    private static int indexOf(byte[] data, byte[] needle) {
        outer:
        for (int i = 0; i <= data.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
