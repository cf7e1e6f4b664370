package io.cockpitwsjava.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;

/** The Helm chart: strict lint, and the objects {@code helm template} renders for typical value sets. */
class HelmChartIT {

    @Test
    void strictLintPasses() {
        LintResult lint = new Helm(RenderedChart.CHART).lint().strict().call();
        assertFalse(lint.isFailed(), () -> "helm lint --strict: " + lint.getMessages());
        assertTrue(lint.getMessages().stream().noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]")),
                () -> "lint messages: " + lint.getMessages());
    }

    @Test
    void defaultsRenderHardenedSingleReplica() {
        RenderedChart chart = RenderedChart.render("demo", Map.of());
        List<String> kinds = chart.objects.stream().map(o -> o.path("kind").asText()).sorted().toList();
        assertEquals(List.of("ConfigMap", "Deployment", "Service"), kinds, chart.yaml);

        JsonNode deployment = chart.deployment();
        assertEquals(1, deployment.path("spec").path("replicas").asInt());
        JsonNode pod = deployment.path("spec").path("template").path("spec");
        assertTrue(pod.path("securityContext").path("runAsNonRoot").asBoolean(), chart.yaml);
        assertEquals(10001, pod.path("securityContext").path("runAsUser").asInt());
        assertFalse(pod.path("automountServiceAccountToken").asBoolean(true));

        JsonNode gateway = chart.gateway();
        assertEquals("localhost/cockpit-ws-java:0.1.0-SNAPSHOT", gateway.path("image").asText());
        JsonNode sc = gateway.path("securityContext");
        assertTrue(sc.path("readOnlyRootFilesystem").asBoolean(), chart.yaml);
        assertFalse(sc.path("allowPrivilegeEscalation").asBoolean(true));
        assertEquals("[\"ALL\"]", sc.path("capabilities").path("drop").toString());

        // probes on the management port, not on the public one
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            assertEquals("management", gateway.path(probe).path("httpGet").path("port").asText(), probe);
        }
        assertEquals("/q/health/ready", gateway.path("readinessProbe").path("httpGet").path("path").asText());
        assertEquals("/q/health/live", gateway.path("livenessProbe").path("httpGet").path("path").asText());
        assertEquals(9091, containerPort(gateway, "management"));
        assertEquals(9090, containerPort(gateway, "http"));

        // writable /tmp on a read-only root
        assertTrue(mountPaths(gateway).contains("/tmp"), chart.yaml);
        assertTrue(mountPaths(gateway).contains("/etc/cockpit"), chart.yaml);

        // no key material and no key variables unless a Secret is named
        assertTrue(chart.ofKind("Secret").isEmpty());
        assertTrue(chart.env("COCKPIT_SSH_KEY_PATH").isEmpty());
        assertTrue(chart.env("COCKPIT_SSH_KNOWN_HOSTS_FILE").isEmpty());

        // one pod: no affinity needed, and the Service exposes only the web port
        JsonNode service = chart.single("Service").orElseThrow();
        assertTrue(service.path("spec").path("sessionAffinity").isMissingNode(), chart.yaml);
        assertEquals(1, service.path("spec").path("ports").size());
        assertEquals("http", service.path("spec").path("ports").get(0).path("targetPort").asText());
        assertTrue(chart.ofKind("PodDisruptionBudget").isEmpty());
        assertTrue(chart.ofKind("Ingress").isEmpty());
        assertTrue(chart.ofKind("NetworkPolicy").isEmpty());

        // the image binds the management port to loopback; in the pod it must face the kubelet and Prometheus
        assertEquals("0.0.0.0", chart.env("QUARKUS_MANAGEMENT_HOST").orElseThrow(), chart.yaml);
        // no Ingress, no TLS in front: plain http is what the browser uses
        assertEquals("false", chart.env("COCKPIT_WEB_FOR_TLS_PROXY").orElseThrow());
    }

    @Test
    void tlsIngressMakesTheGatewayTreatRequestsAsHttps() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("ingress.enabled", true);
        values.put("ingress.tls[0].secretName", "cockpit-tls");
        values.put("ingress.tls[0].hosts[0]", "cockpit.example.com");
        RenderedChart tls = RenderedChart.render("tls", values);
        assertEquals("true", tls.env("COCKPIT_WEB_FOR_TLS_PROXY").orElseThrow(), tls.yaml);
        assertEquals("cockpit-tls", tls.single("Ingress").orElseThrow().at("/spec/tls/0/secretName").asText());

        RenderedChart plain = RenderedChart.render("plain", Map.of("ingress.enabled", true));
        assertEquals("false", plain.env("COCKPIT_WEB_FOR_TLS_PROXY").orElseThrow());

        // TLS ending at a load balancer in front: set explicitly, wins over auto
        RenderedChart lb = RenderedChart.render("lb", Map.of("config.forTlsProxy", true));
        assertEquals("true", lb.env("COCKPIT_WEB_FOR_TLS_PROXY").orElseThrow());
        values.put("config.forTlsProxy", false);
        assertEquals("false", RenderedChart.render("off", values).env("COCKPIT_WEB_FOR_TLS_PROXY").orElseThrow());
    }

    @Test
    void managementPortOnlyFromPrometheus() {
        RenderedChart chart = RenderedChart.render("np", Map.of("networkPolicy.enabled", true));
        JsonNode policy = chart.single("NetworkPolicy").orElseThrow(() -> new AssertionError(chart.yaml));
        JsonNode management = null;
        for (JsonNode rule : policy.at("/spec/ingress")) {
            for (JsonNode port : rule.path("ports")) {
                if ("management".equals(port.path("port").asText())) {
                    management = rule;
                }
            }
        }
        assertTrue(management != null, chart.yaml);
        // a rule without "from" would admit every pod and address
        assertEquals(1, management.path("from").size(), chart.yaml);
        JsonNode from = management.path("from").get(0);
        assertEquals("monitoring", from.at("/namespaceSelector/matchLabels/kubernetes.io~1metadata.name").asText(), chart.yaml);
        assertEquals("prometheus", from.at("/podSelector/matchLabels/app.kubernetes.io~1name").asText(), chart.yaml);

        // no scraper named: the port admits no pod at all (the kubelet's probes are not subject to the policy)
        RenderedChart closed = RenderedChart.render("np", Map.of("networkPolicy.enabled", true,
                "networkPolicy.managementFrom", "null"));
        JsonNode closedPolicy = closed.single("NetworkPolicy").orElseThrow();
        for (JsonNode rule : closedPolicy.at("/spec/ingress")) {
            for (JsonNode port : rule.path("ports")) {
                assertFalse("management".equals(port.path("port").asText()), closed.yaml);
            }
        }
    }

    @Test
    void twoReplicasWithIngressStickToOnePod() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("replicaCount", 2);
        values.put("ingress.enabled", true);
        values.put("ingress.className", "nginx");
        values.put("ingress.hosts[0].host", "cockpit.test");
        values.put("ingress.hosts[0].paths[0].path", "/");
        values.put("ingress.hosts[0].paths[0].pathType", "Prefix");
        RenderedChart chart = RenderedChart.render("fleet", values);

        assertEquals(2, chart.deployment().path("spec").path("replicas").asInt());
        JsonNode ingress = chart.single("Ingress").orElseThrow(() -> new AssertionError(chart.yaml));
        JsonNode annotations = ingress.path("metadata").path("annotations");
        assertEquals("cookie", annotations.path("nginx.ingress.kubernetes.io/affinity").asText(), chart.yaml);
        assertEquals("persistent", annotations.path("nginx.ingress.kubernetes.io/affinity-mode").asText());
        assertEquals("3600", annotations.path("nginx.ingress.kubernetes.io/proxy-read-timeout").asText());
        JsonNode rule = ingress.path("spec").path("rules").get(0);
        assertEquals("cockpit.test", rule.path("host").asText());
        assertEquals("fleet-cockpit-ws-java",
                rule.path("http").path("paths").get(0).path("backend").path("service").path("name").asText());

        JsonNode service = chart.single("Service").orElseThrow();
        assertEquals("ClientIP", service.path("spec").path("sessionAffinity").asText());
        JsonNode pdb = chart.single("PodDisruptionBudget").orElseThrow(() -> new AssertionError(chart.yaml));
        assertEquals(1, pdb.path("spec").path("minAvailable").asInt());
        assertEquals(chart.deployment().path("spec").path("selector"), pdb.path("spec").path("selector"));
    }

    @Test
    void singleReplicaIngressHasNoAffinityButKeepsWebSocketsOpen() {
        RenderedChart chart = RenderedChart.render("one", Map.of("ingress.enabled", true));
        JsonNode annotations = chart.single("Ingress").orElseThrow().path("metadata").path("annotations");
        assertTrue(annotations.path("nginx.ingress.kubernetes.io/affinity").isMissingNode(), chart.yaml);
        assertEquals("3600", annotations.path("nginx.ingress.kubernetes.io/proxy-send-timeout").asText());
    }

    @Test
    void configKnownHostsAndKeysEndUpInConfigMapAndEnvironment() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("config.cockpitConf", "[WebService]\nLoginTitle = Fleet\n");
        values.put("knownHosts", "db1 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl");
        values.put("keys.existingSecret", "fleet-keys");
        values.put("keys.defaultKey", "id_ed25519");
        values.put("keys.perHost.db1", "id_db1");
        values.put("config.forTlsProxy", true);
        values.put("config.allowedHosts[0]", "10.0.0.0/8");
        values.put("config.allowedHosts[1]", "*.example.com");
        values.put("config.env.QUARKUS_LOG_LEVEL", "DEBUG");
        RenderedChart chart = RenderedChart.render("cfg", values);

        JsonNode data = chart.single("ConfigMap").orElseThrow().path("data");
        assertEquals("[WebService]\nLoginTitle = Fleet\n", data.path("cockpit.conf").asText());
        assertTrue(data.path("ssh_known_hosts").asText().startsWith("db1 ssh-ed25519 "), chart.yaml);

        assertEquals("/etc/cockpit/ssh_known_hosts", chart.env("COCKPIT_SSH_KNOWN_HOSTS_FILE").orElseThrow());
        assertEquals("/etc/cockpit-ws-java/keys/id_ed25519", chart.env("COCKPIT_SSH_KEY_PATH").orElseThrow());
        assertEquals("/etc/cockpit-ws-java/keys/id_db1", chart.env("COCKPIT_SSH_KEY_PATH_DB1").orElseThrow());
        assertEquals("true", chart.env("COCKPIT_WEB_FOR_TLS_PROXY").orElseThrow());
        assertEquals("10.0.0.0/8,*.example.com", chart.env("COCKPIT_SSH_ALLOWED_HOSTS").orElseThrow());
        assertEquals("DEBUG", chart.env("QUARKUS_LOG_LEVEL").orElseThrow());

        // the keys come from the named Secret, read-only; the chart never renders one itself
        assertTrue(chart.ofKind("Secret").isEmpty());
        JsonNode keysVolume = null;
        for (JsonNode v : chart.deployment().path("spec").path("template").path("spec").path("volumes")) {
            if ("keys".equals(v.path("name").asText())) {
                keysVolume = v;
            }
        }
        assertEquals("fleet-keys", keysVolume == null ? null : keysVolume.path("secret").path("secretName").asText());
        assertTrue(mountPaths(chart.gateway()).contains("/etc/cockpit-ws-java/keys"));
    }

    @Test
    void oidcSignInTakesTheClientSecretFromTheNamedSecret() {
        RenderedChart chart = RenderedChart.render("oidc", Map.of(
                "signIn.oidc.authServerUrl", "https://idp.example.com/realms/company",
                "signIn.oidc.clientId", "cockpit-gateway",
                "signIn.oidc.existingSecret", "cockpit-oidc",
                "signIn.oidc.sessionSecretKey", "session-secret",
                "signIn.idleTimeout", "15m"));
        assertEquals("https://idp.example.com/realms/company", chart.env("QUARKUS_OIDC_AUTH_SERVER_URL").orElseThrow());
        assertEquals("cockpit-gateway", chart.env("QUARKUS_OIDC_CLIENT_ID").orElseThrow());
        assertEquals("groups", chart.env("QUARKUS_OIDC_ROLES_ROLE_CLAIM_PATH").orElseThrow());
        assertEquals("15m", chart.env("COCKPIT_FLEET_SIGN_IN_IDLE_TIMEOUT").orElseThrow());
        JsonNode secret = envEntry(chart, "QUARKUS_OIDC_CREDENTIALS_SECRET").path("valueFrom").path("secretKeyRef");
        assertEquals("cockpit-oidc", secret.path("name").asText(), chart.yaml);
        assertEquals("client-secret", secret.path("key").asText());
        assertEquals("session-secret", envEntry(chart, "QUARKUS_OIDC_TOKEN_STATE_MANAGER_ENCRYPTION_SECRET")
                .at("/valueFrom/secretKeyRef/key").asText());
        assertTrue(chart.env("COCKPIT_FLEET_SIGN_IN_USERS_FILE").isEmpty());
        assertTrue(chart.ofKind("Secret").isEmpty(), "the chart never renders a Secret");
        assertFalse(chart.yaml.contains("sign-in:"), "no users file volume");
    }

    @Test
    void usersFileSignInMountsTheNamedSecret() {
        RenderedChart chart = RenderedChart.render("users", Map.of("signIn.usersFile.existingSecret", "cockpit-users",
                "signIn.usersFile.sessionKeyKey", "session-key"));
        assertEquals("/etc/cockpit-ws-java/sign-in/users", chart.env("COCKPIT_FLEET_SIGN_IN_USERS_FILE").orElseThrow());
        assertTrue(mountPaths(chart.gateway()).contains("/etc/cockpit-ws-java/sign-in"), chart.yaml);
        assertEquals("session-key", envEntry(chart, "QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY")
                .at("/valueFrom/secretKeyRef/key").asText());
        assertTrue(chart.env("QUARKUS_OIDC_AUTH_SERVER_URL").isEmpty());
    }

    /**
     * The inventory as a ConfigMap of its own, mounted as a directory (so that edits reach the pod and are reloaded),
     * and the user CA key from the named Secret, readable by its owner only.
     */
    @Test
    void fleetInventoryAndUserCaKey() throws Exception {
        String inventory = "hosts:\n  - name: web-1\n    address: 192.0.2.10\naccess: []\n";
        RenderedChart chart = RenderedChart.render("fleet", Map.of("fleet.inventory", inventory,
                "fleet.userCaKey.existingSecret", "cockpit-user-ca"));
        assertEquals("/etc/cockpit-ws-java/fleet/inventory.yaml", chart.env("COCKPIT_FLEET_INVENTORY").orElseThrow());
        assertEquals("/etc/cockpit-ws-java/user-ca/user-ca", chart.env("COCKPIT_FLEET_USER_CA_KEY").orElseThrow());
        JsonNode fleetMap = chart.ofKind("ConfigMap").stream()
                .filter(c -> c.path("metadata").path("name").asText().equals("fleet-cockpit-ws-java-fleet"))
                .findFirst().orElseThrow(() -> new AssertionError(chart.yaml));
        JsonNode loaded = RenderedChart.YAML.readTree(fleetMap.path("data").path("inventory.yaml").asText());
        assertEquals("web-1", loaded.path("hosts").get(0).path("name").asText(), chart.yaml);
        assertTrue(mountPaths(chart.gateway()).contains("/etc/cockpit-ws-java/fleet"), chart.yaml);
        assertTrue(mountPaths(chart.gateway()).contains("/etc/cockpit-ws-java/user-ca"), chart.yaml);
        JsonNode userCa = null;
        for (JsonNode v : chart.deployment().at("/spec/template/spec/volumes")) {
            if (v.path("name").asText().equals("user-ca")) {
                userCa = v;
            }
        }
        assertEquals("cockpit-user-ca", userCa.at("/secret/secretName").asText(), chart.yaml);
        assertEquals(0400, userCa.at("/secret/defaultMode").asInt(), chart.yaml);
        assertFalse(chart.gateway().toString().contains("subPath"), "no subPath: ConfigMap updates must arrive");

        // an existing ConfigMap instead: no ConfigMap of ours
        RenderedChart existing = RenderedChart.render("own", Map.of("fleet.existingConfigMap", "my-inventory"));
        assertEquals(1, existing.ofKind("ConfigMap").size(), existing.yaml);
        assertTrue(existing.yaml.contains("name: my-inventory"), existing.yaml);
        assertTrue(existing.env("COCKPIT_FLEET_USER_CA_KEY").isEmpty());
        RuntimeException both = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> RenderedChart.render("both", Map.of("fleet.inventory", inventory,
                        "fleet.existingConfigMap", "my-inventory")));
        assertTrue(both.getMessage().contains("not both"), both.getMessage());
    }

    @Test
    void bothSignInsOrAnIncompleteProviderAreRefused() {
        RuntimeException both = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> RenderedChart.render("both", Map.of("signIn.oidc.authServerUrl", "https://idp.example.com",
                        "signIn.oidc.clientId", "c", "signIn.oidc.existingSecret", "s",
                        "signIn.usersFile.existingSecret", "u")));
        assertTrue(both.getMessage().contains("not both"), both.getMessage());
        RuntimeException incomplete = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> RenderedChart.render("half", Map.of("signIn.oidc.authServerUrl", "https://idp.example.com")));
        assertTrue(incomplete.getMessage().contains("existingSecret"), incomplete.getMessage());
    }

    private static JsonNode envEntry(RenderedChart chart, String name) {
        for (JsonNode e : chart.gateway().path("env")) {
            if (name.equals(e.path("name").asText())) {
                return e;
            }
        }
        throw new AssertionError("no env " + name + " in " + chart.yaml);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void networkPolicyAllowsSshAndDnsOut(int replicas) {
        RenderedChart chart = RenderedChart.render("np", Map.of("networkPolicy.enabled", true, "replicaCount", replicas,
                "networkPolicy.sshCIDRs[0]", "10.1.0.0/16"));
        JsonNode policy = chart.single("NetworkPolicy").orElseThrow(() -> new AssertionError(chart.yaml));
        List<Integer> egressPorts = new ArrayList<>();
        for (JsonNode rule : policy.path("spec").path("egress")) {
            rule.path("ports").forEach(p -> egressPorts.add(p.path("port").asInt()));
        }
        assertTrue(egressPorts.containsAll(List.of(22, 53)), chart.yaml);
        assertTrue(chart.yaml.contains("cidr: 10.1.0.0/16"), chart.yaml);
        assertEquals(replicas > 1, chart.single("PodDisruptionBudget").isPresent());
    }

    @Test
    void configChangeRollsThePods() {
        String a = checksum(RenderedChart.render("r", Map.of("knownHosts", "a ssh-ed25519 AAAA")));
        String b = checksum(RenderedChart.render("r", Map.of("knownHosts", "b ssh-ed25519 AAAA")));
        assertFalse(a.isEmpty());
        assertFalse(a.equals(b), "checksum/config must follow the ConfigMap");
    }

    @Test
    void plainManifestsAreHardenedLikeTheChart() throws Exception {
        StringBuilder all = new StringBuilder();
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("k8s"))) {
            for (var f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                all.append("---\n").append(java.nio.file.Files.readString(f)).append('\n');
            }
        }
        RenderedChart plain = RenderedChart.parse(all.toString());
        RenderedChart chart = RenderedChart.render("cockpit-ws-java", Map.of());
        assertEquals(chart.deployment().at("/spec/template/spec/securityContext"),
                plain.deployment().at("/spec/template/spec/securityContext"));
        assertEquals(chart.gateway().path("securityContext"), plain.gateway().path("securityContext"));
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            assertEquals(chart.gateway().path(probe).path("httpGet"), plain.gateway().path(probe).path("httpGet"), probe);
        }
        assertTrue(mountPaths(plain.gateway()).containsAll(List.of("/tmp", "/etc/cockpit", "/etc/cockpit-ws-java/keys")));
        // the example Secret carries no key material
        JsonNode secret = plain.single("Secret").orElseThrow();
        assertFalse(secret.path("stringData").path("id_ed25519").asText().contains("PRIVATE KEY"));
        assertTrue(plain.single("PodDisruptionBudget").isPresent());
        assertTrue(plain.single("NetworkPolicy").isPresent());
        JsonNode ingress = plain.single("Ingress").orElseThrow();
        assertEquals("cookie", ingress.at("/metadata/annotations").path("nginx.ingress.kubernetes.io/affinity").asText());

        // safe by default: the example's TLS Ingress goes with for-tls-proxy, and logins are limited to a network
        assertFalse(ingress.at("/spec/tls").isEmpty(), "the example Ingress terminates TLS");
        assertEquals("true", plain.env("COCKPIT_WEB_FOR_TLS_PROXY").orElseThrow());
        assertEquals("10.0.0.0/8", plain.env("COCKPIT_SSH_ALLOWED_HOSTS").orElseThrow());
        assertEquals("0.0.0.0", plain.env("QUARKUS_MANAGEMENT_HOST").orElseThrow());
        // the management port (9091) only from Prometheus, SSH only to the allowed network
        boolean managementRule = false;
        for (JsonNode rule : plain.single("NetworkPolicy").orElseThrow().at("/spec/ingress")) {
            for (JsonNode port : rule.path("ports")) {
                if (port.path("port").asInt() == 9091) {
                    managementRule = true;
                    assertEquals("prometheus", rule.at("/from/0/podSelector/matchLabels/app.kubernetes.io~1name").asText());
                }
            }
        }
        assertTrue(managementRule);
        assertTrue(all.toString().contains("cidr: 10.0.0.0/8"));
    }

    /**
     * The image's ENTRYPOINT carries {@code -Djava.library.path} (Netty's epoll library, which a {@code noexec}
     * {@code /tmp} could not serve): neither the chart, with or without {@code javaOptions}, nor the plain manifests
     * replace it with a {@code command} or {@code args}; {@code javaOptions} only sets {@code JDK_JAVA_OPTIONS}.
     */
    @Test
    void javaOptionsKeepTheImagesEntrypoint() throws Exception {
        String options = "-XX:+UseSerialGC -Xmx256m";
        RenderedChart defaults = RenderedChart.render("demo", Map.of());
        RenderedChart tuned = RenderedChart.render("demo", Map.of("javaOptions", options));
        RenderedChart plain = RenderedChart.parse(java.nio.file.Files.readString(java.nio.file.Path.of("k8s/deployment.yaml")));
        for (RenderedChart c : List.of(defaults, tuned, plain)) {
            assertTrue(c.gateway().path("command").isMissingNode(), c.yaml);
            assertTrue(c.gateway().path("args").isMissingNode(), c.yaml);
        }
        assertTrue(defaults.env("JDK_JAVA_OPTIONS").isEmpty(), defaults.yaml);
        assertEquals(options, tuned.env("JDK_JAVA_OPTIONS").orElseThrow(), tuned.yaml);
    }

    private static String checksum(RenderedChart chart) {
        return chart.deployment().path("spec").path("template").path("metadata").path("annotations")
                .path("checksum/config").asText();
    }

    private static int containerPort(JsonNode container, String name) {
        for (JsonNode p : container.path("ports")) {
            if (name.equals(p.path("name").asText())) {
                return p.path("containerPort").asInt();
            }
        }
        return -1;
    }

    private static List<String> mountPaths(JsonNode container) {
        List<String> paths = new ArrayList<>();
        container.path("volumeMounts").forEach(m -> paths.add(m.path("mountPath").asText()));
        return paths;
    }
}
