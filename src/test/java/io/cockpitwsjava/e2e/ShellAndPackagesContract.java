package io.cockpitwsjava.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cockpitwsjava.testing.GatewayClient;
import io.cockpitwsjava.testing.GatewayClient.Response;
import io.cockpitwsjava.testing.GatewayClient.Socket;
import io.cockpitwsjava.testing.SshdTarget;
import io.quarkus.test.common.http.TestHTTPResource;

/**
 * docs/protocol.md §12 steps 1, 4 and 5: login page, shell document and package files, for a beibooted target
 * (files from the gateway) and an installed bridge (files through the bridge's packages channel).
 */
abstract class ShellAndPackagesContract {
    static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL base;
    GatewayClient client;
    String cookie;
    Socket socket;

    abstract SshdTarget target();

    /** True when the gateway serves the package files from its own disk (beiboot), false for the bridge's. */
    abstract boolean filesFromGateway();

    String app() {
        return "/cockpit+=localhost:" + target().port();
    }

    @BeforeEach
    void login() throws Exception {
        client = new GatewayClient(base.getHost(), base.getPort());
        String known = target().knownHostsLine();
        Response r = client.get(app() + "/login", GatewayClient.headers("Authorization",
                GatewayClient.basic(target().user(), target().password(), known)));
        assertEquals(200, r.status(), r.reason());
        cookie = GatewayClient.cookieOf(r.header("Set-Cookie"));
        // keep the session alive while plain HTTP requests run
        socket = client.socket(app() + "/socket", client.origin(), cookie);
        socket.await("\"init\"", Duration.ofSeconds(20));
    }

    @AfterEach
    void close() {
        socket.close();
        client.close();
    }

    Response get(String path) {
        return client.get(path, GatewayClient.headers("Cookie", cookie));
    }

    @Test
    void loginPageWithoutCookie() {
        Response r = client.get("/", GatewayClient.headers());
        assertEquals(200, r.status());
        assertTrue(r.header("Content-Type").startsWith("text/html"));
        assertEquals("no-cache, no-store", r.header("Cache-Control"));
        String csp = r.header("Content-Security-Policy");
        assertTrue(csp.contains("connect-src 'self' " + client.origin() + " ws://"), csp);
        assertTrue(r.all("Set-Cookie").contains("cockpit=deleted; PATH=/; SameSite=strict; HttpOnly"), r.all("Set-Cookie").toString());
        assertTrue(r.text().contains("<base href=\"/\">"));
        assertTrue(r.text().contains("var environment = {"));
        assertEquals("nosniff", r.header("X-Content-Type-Options"));
        assertEquals("sameorigin", r.header("X-Frame-Options"));
        assertEquals("no-referrer", r.header("Referrer-Policy"));
    }

    @Test
    void shellDocument() {
        Response r = get("/=localhost:" + target().port());
        assertEquals(200, r.status(), r.reason());
        assertTrue(r.header("Content-Type").startsWith("text/html"));
        assertEquals("no-cache, no-store", r.header("Cache-Control"));
        String csp = r.header("Content-Security-Policy");
        assertNotNull(csp);
        assertTrue(csp.contains("connect-src ws://" + base.getHost() + ":" + base.getPort() + " 'self'"), csp);
        assertTrue(r.text().contains("<meta name=\"allow-multihost\" content=\"no\">"));
        assertTrue(r.text().contains("<base href=\"" + app() + "/@localhost/shell/index.html\">"), r.text());
        // deep shell paths get the same document; without cookie the login page
        assertEquals(200, get("/=localhost:" + target().port() + "/system/services").status());
        Response anon = client.get("/=localhost:" + target().port(), GatewayClient.headers());
        assertTrue(anon.text().contains("var environment"));
    }

    @Test
    void packageFiles() throws Exception {
        Response js = get(app() + "/@localhost/base1/cockpit.js");
        assertEquals(200, js.status());
        assertEquals("gzip", js.header("Content-Encoding"));
        assertEquals(0x1f, js.body()[0] & 0xff);
        assertEquals(0x8b, js.body()[1] & 0xff);
        // revalidated by tag, whatever the session cookie (see revalidation())
        assertEquals("Accept-Encoding", js.header("Vary"));

        Response css = get(app() + "/@localhost/shell/shell.css");
        assertEquals(200, css.status(), css.reason());
        assertEquals("gzip", css.header("Content-Encoding"));
        assertTrue(css.header("Content-Type").startsWith("text/css"), css.header("Content-Type"));

        Response i18n = get(app() + "/@localhost/manifests-i18n.js");
        assertEquals(200, i18n.status());
        assertTrue(i18n.text().contains("cockpit.manifests"), i18n.text());

        Response po = get(app() + "/@localhost/shell/po.js");
        assertEquals(200, po.status());
        assertEquals(0, po.body().length);

        Response manifests = get(app() + "/@localhost/manifests.json");
        assertEquals(200, manifests.status());
        JsonNode m = JSON.readTree(manifests.body());
        for (String pkg : new String[] { "shell", "system", "base1", "static" }) {
            assertTrue(m.has(pkg), pkg + " in " + m.fieldNames());
        }

        Response frame = get(app() + "/@localhost/system/index.html");
        assertEquals(200, frame.status());
        assertFalse(frame.text().contains("<base href="), "no base injection for frames");

        assertEquals(404, get(app() + "/@localhost/static/../shell/index.html").status());
        assertEquals(404, get(app() + "/@localhost/nonexistent/file.js").status());
        assertEquals(404, get(app() + "/$0123abcd/shell/index.html").status());
        assertEquals(403, get(app() + "/@otherhost/shell/index.html").status(), "multi-host is off");
        assertEquals(401, client.get(app() + "/@localhost/base1/cockpit.js", GatewayClient.headers()).status());
    }

    /**
     * docs/protocol.md §4.4/§4.5: package files other than HTML carry an ETag (from the bytes sent) and are
     * revalidated on every use, so a repeat visit gets 304 without the body — the gateway's own files (beiboot) and
     * the bridge's alike (the gateway collects a bridge file to tag it). Only with a session. A stored .gz goes out
     * compressed; the gateway's own files are decompressed when the request's Accept-Encoding refuses gzip, the
     * bridge's never are.
     */
    @Test
    void revalidation() throws Exception {
        String js = app() + "/@localhost/base1/cockpit.js";
        Response first = client.get(js, GatewayClient.headers("Cookie", cookie, "Accept-Encoding", "gzip, deflate, br"));
        assertEquals(200, first.status());
        assertEquals("gzip", first.header("Content-Encoding"));
        String etag = first.header("ETag");
        assertNotNull(etag);
        assertEquals("private, no-cache", first.header("Cache-Control"));
        assertEquals("Accept-Encoding", first.header("Vary"));
        assertEquals(Integer.toString(first.body().length), first.header("Content-Length"));

        Response revalidated = client.get(js, GatewayClient.headers("Cookie", cookie, "If-None-Match", etag,
                "Accept-Encoding", "gzip"));
        assertEquals(304, revalidated.status(), revalidated.reason());
        assertEquals(0, revalidated.body().length);
        assertEquals(etag, revalidated.header("ETag"));
        assertEquals("private, no-cache", revalidated.header("Cache-Control"));
        assertEquals(304, client.get(js, GatewayClient.headers("Cookie", cookie, "If-None-Match", "\"a\", W/" + etag))
                .status());
        // the tag, not the session, decides: another tag gets the whole file
        Response other = client.get(js, GatewayClient.headers("Cookie", cookie, "If-None-Match", "\"other\""));
        assertEquals(200, other.status());
        assertTrue(java.util.Arrays.equals(first.body(), other.body()));
        // still only for the logged-in
        assertEquals(401, client.get(js, GatewayClient.headers("If-None-Match", etag)).status());

        // files that are not there stay errors, untagged
        Response missing = client.get(app() + "/@localhost/nonexistent/file.js", GatewayClient.headers("Cookie", cookie,
                "If-None-Match", "*"));
        assertEquals(404, missing.status());
        assertEquals(null, missing.header("ETag"));

        Response plain = client.get(js, GatewayClient.headers("Cookie", cookie, "Accept-Encoding", "identity"));
        assertEquals(200, plain.status());
        if (filesFromGateway()) {
            assertEquals(null, plain.header("Content-Encoding"));
            assertTrue(plain.text().contains("cockpit"), "decompressed JavaScript");
            assertFalse(etag.equals(plain.header("ETag")), "each representation has its own tag");
        } else {
            assertEquals("gzip", plain.header("Content-Encoding"), "the bridge sends what it stores");
            assertEquals(etag, plain.header("ETag"));
        }

        // HTML documents carry per-request policies: never stored
        Response frame = client.get(app() + "/@localhost/system/index.html", GatewayClient.headers("Cookie", cookie));
        assertEquals(200, frame.status());
        assertEquals("no-cache, no-store", frame.header("Cache-Control"));
        assertEquals(null, frame.header("ETag"));
        Response shell = get("/=localhost:" + target().port());
        assertEquals("no-cache, no-store", shell.header("Cache-Control"));
        assertEquals(null, shell.header("ETag"));
    }

    @Test
    void brandingIsTemplatedWithTheTargetOsRelease() throws Exception {
        Response r = get(app() + "/static/branding.css");
        assertEquals(200, r.status(), r.reason());
        assertEquals("max-age=86400, private", r.header("Cache-Control"));
        String name = LoginFlowContract.osReleaseId().equals("debian") ? "Debian GNU/Linux" : null;
        if (name != null) {
            assertTrue(r.text().contains("\"" + name + "\""), r.text());
        }
        assertEquals(403, client.get(app() + "/static/branding.css", GatewayClient.headers()).status());
        Response plain = client.get("/cockpit/static/login.css", GatewayClient.headers());
        assertEquals(200, plain.status());
    }

    @Test
    void miscRoutes() {
        Response ping = client.get("/ping", GatewayClient.headers());
        assertEquals(200, ping.status());
        assertEquals("*", ping.header("Access-Control-Allow-Origin"));
        assertEquals("User-agent: *\nDisallow: /\n", client.get("/robots.txt", GatewayClient.headers()).text());
        assertEquals(404, client.get("/cockpit", GatewayClient.headers()).status());
        assertEquals(404, client.get("/foo.bar", GatewayClient.headers()).status());
        assertEquals(405, client.request(io.vertx.core.http.HttpMethod.POST, "/", GatewayClient.headers()).status());
    }
}
