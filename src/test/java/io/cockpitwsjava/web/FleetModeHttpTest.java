package io.cockpitwsjava.web;

import static io.cockpitwsjava.testing.Commands.deleteTree;
import static io.cockpitwsjava.testing.Commands.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;
import org.awaitility.Awaitility;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;

import io.cockpitwsjava.testing.SshdTarget;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Fleet mode in the running gateway, over real HTTP: a users-file sign-in, an inventory with a real sshd that trusts
 * the user CA and a host whose port has no listener, and the prober started with the gateway. Each caller gets the
 * hosts their rules grant, live from the prober, as JSON and as an event stream; the metrics show the same.
 */
@QuarkusTest
@TestProfile(FleetModeHttpTest.FleetMode.class)
class FleetModeHttpTest {

    static final String PASSWORD = "fleet api test password";
    static final ObjectMapper JSON = new ObjectMapper();
    static SshdTarget sshd;

    /** The users file, the user CA, the real sshd, the inventory; all made once for the profile. */
    public static class FleetMode implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path dir = Files.createTempDirectory("fleet-mode-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
                Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
                Path ca = dir.resolve("user_ca");
                run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", ca.toString());
                if (sshd == null) {
                    sshd = new SshdTarget().withConfig("TrustedUserCAKeys " + ca + ".pub").start();
                    SshdTarget started = sshd;
                    Runtime.getRuntime().addShutdownHook(new Thread(started::close));
                }
                int closed;
                try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                    closed = s.getLocalPort();
                }
                Path users = dir.resolve("users");
                Files.writeString(users, user("olga") + ":ops\n" + user("dave") + ":dev\n" + user("vera") + "\n");
                Path inventory = dir.resolve("inventory.yaml");
                Files.writeString(inventory, """
                        hosts:
                          - {name: web-1, address: "127.0.0.1:%d", labels: {env: prod}, host-key: "%s"}
                          - {name: dev-1, address: "127.0.0.1:%d", labels: {env: dev}}
                        access:
                          - {groups: [ops], hosts: "*", ssh-user: %s}
                          - {groups: [dev], hosts: {env: dev}, ssh-user: %s}
                        probe: {interval: 5s}
                        """.formatted(sshd.port(), sshd.hostPublicKeyLine("ed25519"), closed, sshd.user(),
                        sshd.user()));
                return Map.of("cockpit.fleet.inventory", inventory.toString(), "cockpit.fleet.user-ca-key",
                        ca.toString(), "cockpit.fleet.prober.connect-timeout", "2s",
                        "cockpit.fleet.sign-in.users-file", users.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static String user(String name) {
            byte[] salt = new byte[16];
            new SecureRandom().nextBytes(salt);
            return name + ":" + OpenBSDBCrypt.generate("2y", PASSWORD.toCharArray(), salt, 10);
        }
    }

    @TestHTTPResource("/")
    URL base;
    @Inject
    MeterRegistry registry;

    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();

    String url(String path) {
        String b = base.toString();
        return (b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + path;
    }

    /** Signs in with the users file; returns the Cookie header value. */
    String signIn(String user) throws Exception {
        URI u = URI.create(url("/"));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url("/fleet/j_security_check")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", u.getScheme() + "://" + u.getAuthority())
                .POST(HttpRequest.BodyPublishers.ofString("j_username=" + user + "&j_password="
                        + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("quarkus-credential="))
                .findFirst().orElseThrow().split(";", 2)[0];
    }

    HttpResponse<String> get(String path, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    void awaitProbed() {
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertEquals(1.0, registry.get("cockpit.fleet.hosts").tag("state", "up").gauge().value());
            assertEquals(1.0, registry.get("cockpit.fleet.hosts").tag("state", "down").gauge().value());
        });
    }

    /** The prober starts with the gateway and reports through the meters. */
    @Test
    void theProberRunsAndTheMetersShowIt() {
        awaitProbed();
        assertEquals(0.0, registry.get("cockpit.fleet.hosts").tag("state", "unknown").gauge().value());
        assertEquals(1.0, registry.get("cockpit.fleet.inventory.valid").gauge().value());
        // nothing listens on dev-1's port: the prober knows why (a person's login would only hear "unknown host")
        assertTrue(registry.get("cockpit.fleet.probe.failures").tag("reason", "refused").counter().count() >= 1);
        assertEquals(0.0, registry.get("cockpit.fleet.probe.failures").tag("reason", "auth-failed").counter().count());
        assertTrue(registry.get("cockpit.fleet.probe").tag("connection", "new").timer().count() >= 2);
    }

    @Test
    void eachCallerGetsTheHostsTheirRulesGrant() throws Exception {
        awaitProbed();
        HttpResponse<String> anonymous = get("/fleet/api/hosts", null);
        assertEquals(401, anonymous.statusCode());
        assertTrue(!anonymous.body().contains("web-1"), anonymous.body());

        HttpResponse<String> olga = get("/fleet/api/hosts", signIn("olga"));
        assertEquals(200, olga.statusCode(), olga.body());
        assertEquals("application/json", olga.headers().firstValue("Content-Type").orElse(""));
        JsonNode hosts = JSON.readTree(olga.body());
        assertEquals(2, hosts.size(), olga.body());
        JsonNode web = hosts.get(0);
        assertEquals("web-1", web.path("name").asText());
        assertEquals("up", web.path("state").asText(), web.toString());
        String osRelease = Files.readString(Path.of("/etc/os-release"));
        assertTrue(osRelease.contains("PRETTY_NAME=\"" + web.path("os").asText() + "\""), web.toString());
        assertEquals(3, web.path("load").size());
        assertEquals(sshd.user(), web.path("ssh_user").asText());
        JsonNode dev = hosts.get(1);
        assertEquals("down", dev.path("state").asText());
        assertEquals("refused", dev.path("reason_code").asText());

        JsonNode dave = JSON.readTree(get("/fleet/api/hosts", signIn("dave")).body());
        assertEquals(1, dave.size());
        assertEquals("dev-1", dave.get(0).path("name").asText());
        assertEquals("[]", get("/fleet/api/hosts", signIn("vera")).body());
    }

    /** The page's stream: the list, the inventory status, then one event per check, as Server-Sent Events. */
    @Test
    void theEventStreamStartsWithTheListAndFollowsTheProber() throws Exception {
        awaitProbed();
        String cookie = signIn("olga");
        HttpResponse<Stream<String>> r = http.send(HttpRequest.newBuilder(URI.create(url("/fleet/api/events")))
                .header("Cookie", cookie).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        List<String[]> events = new ArrayList<>();
        CompletableFuture<Void> read = CompletableFuture.runAsync(() -> {
            Iterator<String> lines = r.body().iterator();
            String type = null;
            while (lines.hasNext() && events.size() < 4) {
                String line = lines.next();
                if (line.startsWith("event: ")) {
                    type = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    synchronized (events) {
                        events.add(new String[] {type, line.substring(6)});
                    }
                }
            }
        });
        // the list and the inventory status at once; a check every 5 s per host brings host events
        read.get(30, TimeUnit.SECONDS);
        r.body().close();
        assertEquals("hosts", events.get(0)[0]);
        assertEquals(2, JSON.readTree(events.get(0)[1]).size());
        assertEquals("inventory", events.get(1)[0]);
        assertTrue(JSON.readTree(events.get(1)[1]).path("error").isNull(), events.get(1)[1]);
        for (String[] e : events.subList(2, 4)) {
            assertEquals("host", e[0]);
            assertTrue(List.of("web-1", "dev-1").contains(JSON.readTree(e[1]).path("name").asText()), e[1]);
        }
        assertEquals(401, http.send(HttpRequest.newBuilder(URI.create(url("/fleet/api/events"))).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    void onlyGetAndOnlyTheApisResources() throws Exception {
        String cookie = signIn("olga");
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(url("/fleet/api/hosts")))
                .header("Cookie", cookie).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
        assertEquals(404, get("/fleet/api/secrets", cookie).statusCode());
    }
}
