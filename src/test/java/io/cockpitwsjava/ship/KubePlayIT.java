package io.cockpitwsjava.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cockpitwsjava.testing.GatewayClient;
import io.cockpitwsjava.testing.GatewayClient.Response;
import io.cockpitwsjava.testing.GatewayClient.Socket;

/**
 * The Helm chart rendered with two replicas and run for real with {@code podman kube play}, next to a target pod:
 * each gateway pod becomes ready and serves a whole login (host-key question, cookie, WebSocket echo).
 *
 * <p>podman 4.3 differs from Kubernetes in ways the rendered objects are adapted for: every
 * {@code containerPort} is published on the host at the same number, so two replicas would collide; the ports are
 * removed and the pods are reached at their IPs. Probes are removed because podman runs them as commands inside
 * the container, and the image has no shell or curl; readiness is polled from the test instead. Services are
 * ignored by podman, so only the ConfigMap and the Deployment are played.
 */
@ExtendWith(PodmanService.class)
class KubePlayIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String RELEASE = "kubeplay";
    private static final String TARGET_POD = "ship-target";

    @Test
    void twoReplicasBothServeLogins() throws Exception {
        ShipImages.build();
        TargetContainer.IMAGE.get(); // builds localhost/ship-target:latest for the target pod

        RenderedChart chart = RenderedChart.render(RELEASE, Map.of(
                "replicaCount", 2,
                "image.repository", "localhost/cockpit-ws-java",
                "image.tag", "it",
                "image.pullPolicy", "Never"));
        List<ObjectNode> play = new ArrayList<>();
        play.add(chart.single("ConfigMap").orElseThrow());
        ObjectNode deployment = chart.deployment();
        for (JsonNode c : deployment.path("spec").path("template").path("spec").path("containers")) {
            ((ObjectNode) c).remove(List.of("ports", "startupProbe", "livenessProbe", "readinessProbe"));
        }
        play.add(deployment);
        play.add(targetPod());

        Path file = Files.createTempFile("kubeplay", ".yaml");
        Files.writeString(file, RenderedChart.toYaml(play));
        try {
            long t0 = System.nanoTime();
            PodmanService.run(Duration.ofMinutes(2), "podman", "kube", "play", file.toString());
            String name = deployment.path("metadata").path("name").asText();
            List<String> gateways = List.of(name + "-pod-0", name + "-pod-1");
            for (String pod : gateways) {
                awaitReady(podIp(pod));
            }
            System.out.printf("kube play: 2 gateway pods ready in %.2f s%n", (System.nanoTime() - t0) / 1e9);
            String fingerprint = PodmanService.run(Duration.ofSeconds(30), "podman", "exec", TARGET_POD + "-sshd",
                    "ssh-keygen", "-l", "-E", "sha256", "-f", "/etc/ssh/ssh_host_ed25519_key.pub").trim().split("\\s+")[1];
            for (String pod : gateways) {
                loginAndEcho(pod, podIp(pod), fingerprint);
            }
        } finally {
            try {
                PodmanService.run(Duration.ofMinutes(2), "podman", "kube", "down", file.toString());
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }

    /** A bare pod running the sshd + python3 target image; other pods reach it by its pod name. */
    private static ObjectNode targetPod() {
        ObjectNode pod = JSON.createObjectNode();
        pod.put("apiVersion", "v1").put("kind", "Pod");
        pod.putObject("metadata").put("name", TARGET_POD);
        ObjectNode c = pod.putObject("spec").putArray("containers").addObject();
        c.put("name", "sshd").put("image", TargetContainer.IMAGE_NAME).put("imagePullPolicy", "Never");
        return pod;
    }

    private static void loginAndEcho(String pod, String ip, String fingerprint) throws Exception {
        try (GatewayClient client = new GatewayClient(ip, 9090)) {
            assertEquals(200, client.get("/ping", GatewayClient.headers()).status(), pod);
            var h = GatewayClient.headers("Authorization",
                    GatewayClient.basic(TargetContainer.USER, TargetContainer.PASSWORD, ""),
                    "X-Superuser", "none", "X-SSH-Connect-Unknown-Hosts", "yes");
            Response r1 = client.get("/cockpit+=" + TARGET_POD + "/login", h);
            assertEquals(401, r1.status(), pod + ": " + r1.reason() + " " + r1.text());
            Matcher m = Pattern.compile("X-Conversation (\\S+) (\\S+)").matcher(r1.header("WWW-Authenticate"));
            assertTrue(m.matches(), pod + ": " + r1.header("WWW-Authenticate"));
            assertEquals(fingerprint, JSON.readTree(r1.body()).path("default").asText(), pod);

            Response r2 = client.get("/cockpit+=" + TARGET_POD + "/login", GatewayClient.headers(
                    "Authorization", GatewayClient.conversation(m.group(1), fingerprint), "X-Superuser", "none"));
            assertEquals(200, r2.status(), pod + ": " + r2.reason() + " " + r2.text());
            String cookie = GatewayClient.cookieOf(r2.header("Set-Cookie"));
            try (Socket s = client.socket("/cockpit+=" + TARGET_POD + "/socket", client.origin(), cookie)) {
                s.await("\"init\"", WAIT);
                s.send("\n{\"command\":\"init\",\"version\":1}");
                s.send("\n{\"command\":\"open\",\"channel\":\"1:1\",\"payload\":\"echo\"}");
                s.await("\"ready\"", WAIT);
                s.send("1:1\nfrom " + pod);
                assertEquals("1:1\nfrom " + pod, s.await("1:1\n", WAIT).text());
            }
        }
    }

    /** The pod's address on podman's kube network (its infra container's IP). */
    private static String podIp(String pod) throws Exception {
        String infra = PodmanService.run(Duration.ofSeconds(30), "podman", "pod", "inspect", pod,
                "--format", "{{.InfraContainerID}}").trim();
        String ip = PodmanService.run(Duration.ofSeconds(30), "podman", "inspect", infra,
                "--format", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}").trim();
        assertTrue(ip.matches("[0-9.]+"), pod + " has no IP: " + ip);
        return ip;
    }

    /** Polls readiness on the management port, as the readiness probe would. */
    private static void awaitReady(String ip) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + ip + ":9091/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                last = r.statusCode() + " " + r.body();
            } catch (java.io.IOException e) {
                last = e.toString();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("gateway at " + ip + " not ready: " + last);
    }
}
