package io.cockpitwsjava.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cockpitwsjava.testing.GatewayClient;
import io.cockpitwsjava.testing.GatewayClient.Response;
import io.cockpitwsjava.testing.GatewayClient.Socket;

/**
 * The gateway image as users run it: built from src/main/docker/Containerfile, started over podman with a read-only
 * root and a {@code noexec} tmpfs on {@code /tmp}, a mounted cockpit.conf and known_hosts file, and a login through
 * it to a target container with the full protocol (host-key question, cookie, cockpit1 WebSocket, an echo channel),
 * then its health, metrics and network transport (Netty's epoll, loaded from the image, not from {@code /tmp}).
 */
@ExtendWith(PodmanService.class)
class ContainerImageIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** {@code /tmp} as read-only pods often get it: writable, but no file in it can be executed or mapped as code. */
    private static final Map<String, String> NOEXEC_TMP = Map.of("/tmp", "rw,noexec,nosuid,nodev");
    private static final String LIBRARY_PATH_OPTION = "-Djava.library.path=/opt/cockpit-ws-java/native";

    static Network network;
    static TargetContainer target;
    static GenericContainer<?> gateway;
    static GatewayClient client;

    @BeforeAll
    static void start() throws Exception {
        ShipImages.build();
        network = Network.newNetwork();
        // one target under two names: "target" is unknown to the gateway, "target-known" is in its known_hosts
        target = new TargetContainer(network, "target", "target-known");
        target.start();

        String conf = "[WebService]\nLoginTitle = Shipped Gateway\n";
        String knownHosts = "target-known " + target.hostPublicKey() + "\n";
        long t0 = System.nanoTime();
        gateway = new GenericContainer<>(ShipImages.GATEWAY)
                .withNetwork(network)
                .withExposedPorts(9090, 9091)
                // files as a user mounts them; copied in (not bind-mounted) so no host path permissions matter
                .withCopyToContainer(Transferable.of(conf, 0644), "/etc/cockpit/cockpit.conf")
                .withCopyToContainer(Transferable.of(knownHosts, 0644), "/etc/ssh/cockpit_known_hosts")
                .withEnv("COCKPIT_SSH_KNOWN_HOSTS_FILE", "/etc/ssh/cockpit_known_hosts")
                // the image keeps health and metrics on loopback; publishing them is the deployer's explicit choice
                .withEnv("QUARKUS_MANAGEMENT_HOST", "0.0.0.0")
                .withTmpFs(NOEXEC_TMP)
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withReadonlyRootfs(true))
                .waitingFor(Wait.forHttp("/q/health/ready").forPort(9091).forStatusCode(200)
                        .withStartupTimeout(Duration.ofSeconds(90)));
        gateway.start();
        System.out.printf("gateway container ready in %.2f s (create + start + readiness)%n", (System.nanoTime() - t0) / 1e9);
        client = new GatewayClient(gateway.getHost(), gateway.getMappedPort(9090));
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (gateway != null) {
            gateway.stop();
        }
        if (target != null) {
            target.stop();
        }
        if (network != null) {
            network.close();
        }
    }

    private static Response login(String host, String authorization, String... extra) {
        var h = GatewayClient.headers("Authorization", authorization, "X-Superuser", "none");
        for (int i = 0; i < extra.length; i += 2) {
            h.put(extra[i], extra[i + 1]);
        }
        return client.get("/cockpit+=" + host + "/login", h);
    }

    @Test
    void loginThroughTheImageWithHostKeyQuestionAndEchoChannel() throws Exception {
        Response r1 = login("target", GatewayClient.basic(TargetContainer.USER, TargetContainer.PASSWORD, ""),
                "X-SSH-Connect-Unknown-Hosts", "yes");
        assertEquals(401, r1.status(), r1.reason() + " " + r1.text());
        Matcher m = Pattern.compile("X-Conversation (\\S+) (\\S+)").matcher(r1.header("WWW-Authenticate"));
        assertTrue(m.matches(), r1.header("WWW-Authenticate"));
        JsonNode question = JSON.readTree(r1.body());
        assertEquals(target.hostKeyFingerprint(), question.path("default").asText(), r1.text());

        Response r2 = login("target", GatewayClient.conversation(m.group(1), target.hostKeyFingerprint()));
        assertEquals(200, r2.status(), r2.reason() + " " + r2.text());
        String cookie = GatewayClient.cookieOf(r2.header("Set-Cookie"));
        String csrf = JSON.readTree(r2.body()).path("csrf-token").asText();

        try (Socket s = client.socket("/cockpit+=target/socket", client.origin(), cookie)) {
            JsonNode init = JSON.readTree(s.await("\"init\"", WAIT).text().substring(1));
            assertEquals(csrf, init.path("csrf-token").asText());
            s.send("\n{\"command\":\"init\",\"version\":1}");
            s.send("\n{\"command\":\"open\",\"channel\":\"1:1\",\"payload\":\"echo\"}");
            s.await("\"ready\"", WAIT);
            s.send("1:1\nshipped in a container");
            assertEquals("1:1\nshipped in a container", s.await("1:1\n", WAIT).text());

            String metrics = management("/q/metrics");
            assertTrue(metrics.contains("cockpit_sessions_open"), metrics);
            assertTrue(meter(metrics, "cockpit_sessions_open") >= 1, metrics);
            assertTrue(meter(metrics, "cockpit_logins_total{outcome=\"success\",problem=\"none\"}") >= 1, metrics);
            assertTrue(meter(metrics, "cockpit_bridges_started_total{mode=\"beiboot\"}") >= 1, metrics);
            assertTrue(metrics.contains("cockpit_login_duration_seconds_bucket"), metrics);
            assertTrue(meter(metrics, "cockpit_relayed_bytes_total{direction=\"from_bridge\"}") > 0, metrics);
        }
    }

    @Test
    void mountedKnownHostsSkipsTheQuestion() throws Exception {
        Response r = login("target-known", GatewayClient.basic(TargetContainer.USER, TargetContainer.PASSWORD, ""));
        assertEquals(200, r.status(), r.reason() + " " + r.text());
    }

    @Test
    void wrongPasswordIsCountedByProblem() throws Exception {
        Response r = login("target-known", GatewayClient.basic(TargetContainer.USER, "wrong", ""));
        assertEquals(401, r.status(), r.reason() + " " + r.text());
        String metrics = management("/q/metrics");
        assertTrue(meter(metrics, "cockpit_logins_total{outcome=\"failure\",problem=\"authentication-failed\"}") >= 1,
                metrics);
    }

    @Test
    void mountedCockpitConfReachesTheLoginPage() {
        Response page = client.get("/", GatewayClient.headers());
        assertEquals(200, page.status());
        assertTrue(page.text().contains("Shipped Gateway"), page.text());
    }

    @Test
    void healthOnTheManagementPortOnly() throws Exception {
        assertTrue(management("/q/health/live").contains("\"UP\""));
        assertTrue(management("/q/health/started").contains("\"UP\""));
        assertTrue(management("/q/health/ready").contains("\"sessions\""));
        // the public port knows nothing of /q/health
        assertTrue(!client.get("/q/health/ready", GatewayClient.headers()).text().contains("\"checks\""));
    }

    /**
     * The AOT cache trained during the image build is one this JVM accepts: the image's own JVM defaults plus
     * {@code -XX:AOTMode=on}, which makes a cache the JVM cannot use (another runtime build, other jar files, other
     * flags that matter) stop the start instead of being skipped silently; {@code -Xlog:aot} shows it was used. In
     * a container with the Helm chart's memory limit, as users run it.
     */
    @Test
    void aotCacheFromTheBuildIsAcceptedByTheImagesJvm() {
        String defaults = imageEnv("JDK_JAVA_OPTIONS");
        assertTrue(!defaults.isBlank(), "the image sets its JVM defaults in JDK_JAVA_OPTIONS");
        try (GenericContainer<?> strict = new GenericContainer<>(ShipImages.GATEWAY)
                .withEnv("JDK_JAVA_OPTIONS", defaults + " -XX:AOTMode=on -Xlog:aot=info")
                .withEnv("QUARKUS_MANAGEMENT_HOST", "0.0.0.0")
                .withExposedPorts(9091)
                .withTmpFs(NOEXEC_TMP)
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withReadonlyRootfs(true)
                        .withMemory(768L * 1024 * 1024))
                .waitingFor(Wait.forHttp("/q/health/started").forPort(9091).forStatusCode(200)
                        .withStartupTimeout(Duration.ofSeconds(90)))) {
            strict.start();
            String log = strict.getLogs();
            String tail = log.substring(Math.max(0, log.length() - 3000));
            assertTrue(log.contains("Opened AOT cache /opt/cockpit-ws-java/app.aot"), tail);
            assertTrue(log.contains("Using AOT-linked classes: true"), tail);
            assertTrue(log.contains("HTTP server transport: epoll"), tail);
            Matcher started = Pattern.compile("started in ([0-9.]+)s").matcher(log);
            assertTrue(started.find(), tail);
            System.out.println("gateway with the AOT cache required: Quarkus started in " + started.group(1) + " s");
        }
    }

    /**
     * On a read-only root with a {@code noexec /tmp}, the HTTP server runs on Netty's epoll: the library comes from
     * the image's own directory (the ENTRYPOINT's {@code -Djava.library.path}), so nothing has to be unpacked into
     * {@code /tmp} and mapped from there. The start log and the metric say so.
     */
    @Test
    void epollTransportWithANoexecTmp() throws Exception {
        var tmpfs = org.testcontainers.DockerClientFactory.lazyClient().inspectContainerCmd(gateway.getContainerId())
                .exec().getHostConfig().getTmpFs();
        assertTrue(tmpfs != null && tmpfs.getOrDefault("/tmp", "").contains("noexec"), String.valueOf(tmpfs));
        String log = gateway.getLogs();
        Matcher line = Pattern.compile("(INFO|WARN) +\\[[^\\]]*HttpTransportAtStart\\] \\([^)]*\\) "
                + "HTTP server transport: (\\S+)").matcher(log);
        assertTrue(line.find(), log);
        assertEquals("INFO", line.group(1), log);
        assertEquals("epoll", line.group(2), log);
        assertTrue(!line.find(), "the transport is named once: " + log);
        assertEquals(1.0, meter(management("/q/metrics"), "cockpit_http_transport_info{transport=\"epoll\"}"));
    }

    /**
     * The control for {@link #epollTransportWithANoexecTmp}: the same image and {@code noexec /tmp}, started with
     * the ENTRYPOINT minus {@code -Djava.library.path}, so Netty unpacks its library into {@code /tmp} and cannot
     * map it. The gateway then runs on NIO and says so with a warning (this is what the image's library directory
     * prevents, and what the test above would see if it stopped working).
     */
    @Test
    void withoutTheLibraryPathANoexecTmpMeansNioAndAWarning() {
        List<String> entrypoint = new ArrayList<>(List.of(org.testcontainers.DockerClientFactory.lazyClient()
                .inspectImageCmd(ShipImages.GATEWAY).exec().getConfig().getEntrypoint()));
        assertTrue(entrypoint.remove(LIBRARY_PATH_OPTION), "the image's ENTRYPOINT sets " + LIBRARY_PATH_OPTION
                + ": " + entrypoint);
        try (GenericContainer<?> plain = new GenericContainer<>(ShipImages.GATEWAY)
                .withCreateContainerCmdModifier(cmd -> {
                    cmd.withEntrypoint(entrypoint.toArray(String[]::new));
                    cmd.getHostConfig().withReadonlyRootfs(true);
                })
                .withTmpFs(NOEXEC_TMP)
                .withEnv("QUARKUS_MANAGEMENT_HOST", "0.0.0.0")
                .withExposedPorts(9091)
                .waitingFor(Wait.forHttp("/q/health/started").forPort(9091).forStatusCode(200)
                        .withStartupTimeout(Duration.ofSeconds(90)))) {
            plain.start();
            String log = plain.getLogs();
            Matcher line = Pattern.compile("WARN +\\[[^\\]]*HttpTransportAtStart\\] \\([^)]*\\) "
                    + "HTTP server transport: nio, not the preferred native epoll, because (.*)").matcher(log);
            assertTrue(line.find(), log);
            System.out.println("without the image's library path, on a noexec /tmp: " + line.group(1));
        }
    }

    /** A variable of the image's environment (its Containerfile ENV), empty when absent. */
    private static String imageEnv(String name) {
        String[] env = org.testcontainers.DockerClientFactory.lazyClient().inspectImageCmd(ShipImages.GATEWAY).exec()
                .getConfig().getEnv();
        for (String e : env == null ? new String[0] : env) {
            if (e.startsWith(name + "=")) {
                return e.substring(name.length() + 1);
            }
        }
        return "";
    }

    private static String management(String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://" + gateway.getHost() + ":" + gateway.getMappedPort(9091) + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return r.body();
    }

    /** The value of one Prometheus sample line ({@code name{labels} value}); NaN when absent. */
    static double meter(String exposition, String series) {
        for (String line : exposition.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0]);
            }
        }
        return Double.NaN;
    }
}
