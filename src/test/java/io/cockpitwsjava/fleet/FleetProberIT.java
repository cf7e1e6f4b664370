package io.cockpitwsjava.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cockpitwsjava.identity.Identity;
import io.cockpitwsjava.metrics.FleetMeters;
import io.cockpitwsjava.protocol.HostTarget;
import io.cockpitwsjava.ssh.HostAccessPolicy;
import io.cockpitwsjava.ssh.KeyLogin;
import io.cockpitwsjava.ssh.KnownHosts;
import io.cockpitwsjava.ssh.SshConnector;
import io.cockpitwsjava.ssh.SshLogin;
import io.cockpitwsjava.ssh.SshSettings;
import io.cockpitwsjava.testing.NetnsFleet;
import io.cockpitwsjava.testing.SystemdTarget;
import io.cockpitwsjava.web.FleetJson;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The status prober against a fleet on this machine: 26 network namespaces with a real OpenSSH sshd each (healthy
 * ones, one with only shell built-ins, hostile ones, wrong or unknown host keys, a CA it does not trust, one unreachable
 * from the start, one that is not listening, one that dies and one that falls silent during the test) and two systemd
 * containers with a unit that really failed. Every sshd trusts the test CA with {@code TrustedUserCAKeys}; the prober
 * logs in with its own certificates, exactly as in production.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetProberIT {

    static final Duration INTERVAL = Duration.ofSeconds(5);
    static final ProberLimits LIMITS = new ProberLimits(8, Duration.ofSeconds(5), Duration.ofSeconds(3), 64 * 1024,
            Duration.ofMinutes(1));
    /** Scheduling slack on a loaded 2-core machine, on top of what the design promises. */
    static final Duration SLACK = Duration.ofSeconds(5);
    static final String FAILING_UNIT = "cockpit-probe-test-fail.service";
    static final ObjectMapper JSON = new ObjectMapper();

    static Path dir;
    static NetnsFleet fleet;
    static final List<SystemdTarget> containers = new ArrayList<>();
    static CertificateSigner signer;
    static InventoryFile inventoryFile;
    static Path inventory;
    static FleetStatus status;
    static Prober prober;
    static final List<ProbeObserver> observers = new CopyOnWriteArrayList<>();
    static SimpleMeterRegistry meters;
    /** Expected state (and reason codes) of each host after the first round. */
    static final Map<String, Set<String>> expected = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("fleet-prober-it-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path ca = OpenSshTools.newCaKey(dir, "ed25519");
        Path caPub = Path.of(ca + ".pub");
        signer = new CertificateSigner(UserCaKey.load(ca), Duration.ofMinutes(5), Duration.ofMinutes(1));

        Path hostile = Files.createDirectories(dir.resolve("bin-garbage"));
        script(hostile.resolve("python3"), "exec /usr/bin/head -c 10485760 /dev/urandom");
        Path endless = Files.createDirectories(dir.resolve("bin-endless"));
        script(endless.resolve("python3"), "exec /bin/sleep 3600");
        Path empty = Files.createDirectories(dir.resolve("bin-empty"));

        List<NetnsFleet.Spec> specs = new ArrayList<>();
        for (int i = 1; i <= 14; i++) {
            specs.add(NetnsFleet.Spec.normal(String.format("h%02d", i)));
        }
        specs.add(NetnsFleet.Spec.normal("h15-known"));
        specs.add(NetnsFleet.Spec.normal("h16-known"));
        specs.add(NetnsFleet.Spec.normal("h17-sh").withPath(empty.toString()));
        specs.add(NetnsFleet.Spec.normal("h18-garbage").withPath(hostile.toString()));
        specs.add(NetnsFleet.Spec.normal("h19-endless").withPath(endless.toString()));
        specs.add(NetnsFleet.Spec.normal("h20-wrong-key"));
        specs.add(NetnsFleet.Spec.normal("h21-unknown-key"));
        specs.add(NetnsFleet.Spec.normal("h22-no-ca").withConfig("TrustedUserCAKeys none"));
        specs.add(NetnsFleet.Spec.normal("h23-link-down").withLinkDown());
        specs.add(NetnsFleet.Spec.normal("h24-no-sshd").withoutSshd());
        specs.add(NetnsFleet.Spec.normal("h25-dies"));
        specs.add(NetnsFleet.Spec.normal("h26-falls-silent"));
        fleet = NetnsFleet.start(specs, caPub);

        for (String tag : List.of("bookworm", "bullseye")) {
            SystemdTarget c = new SystemdTarget(tag);
            containers.add(c);
            c.start();
            c.exec("printf '%s\\n' '" + Files.readString(caPub).strip() + "' > /etc/ssh/cockpit_user_ca.pub"
                    + " && echo 'TrustedUserCAKeys /etc/ssh/cockpit_user_ca.pub' > /etc/ssh/sshd_config.d/50-ca.conf"
                    + " && systemctl reload ssh"
                    + " && printf '[Service]\\nType=oneshot\\nExecStart=/bin/false\\n' > /etc/systemd/system/"
                    + FAILING_UNIT + " && systemctl daemon-reload && (systemctl start " + FAILING_UNIT + " || true)");
        }

        // hosts without a pinned key are trusted through the global known_hosts file
        Path knownHosts = dir.resolve("ssh_known_hosts");
        Files.writeString(knownHosts, fleet.host("h15-known").address + " " + fleet.host("h15-known").hostKeyLine()
                + "\n" + fleet.host("h16-known").address + " " + fleet.host("h16-known").hostKeyLine() + "\n");
        inventory = dir.resolve("inventory.yaml");
        Files.writeString(inventory, inventoryYaml(Set.of()));
        inventoryFile = InventoryFile.open(inventory, Duration.ofSeconds(1));
        assertTrue(inventoryFile.status().current(), () -> inventoryFile.status().toString());

        status = new FleetStatus();
        SshConnector connector = new SshConnector(new SshSettings(LIMITS.connectTimeout(), LIMITS.connectTimeout(),
                Duration.ofSeconds(30), knownHosts, Map.of(), 2),
                new HostAccessPolicy(List.of("*:*"), List.of("169.254.0.0/16")));
        prober = new Prober(signer, connector, LIMITS, new KnownHostsFile(knownHosts), status,
                (took, fresh, problem) -> observers.forEach(o -> o.probed(took, fresh, problem)), Clock.systemUTC());
        meters = new SimpleMeterRegistry();
        FleetMeters.bind(meters, status, inventoryFile, observers::add);
        prober.follow(inventoryFile.current());
        inventoryFile.onChange(prober::follow);

        for (NetnsFleet.Host h : fleet.hosts()) {
            expected.put(h.name(), Set.of("up"));
        }
        expected.put("h18-garbage", Set.of("down:output-too-large"));
        expected.put("h19-endless", Set.of("down:timeout"));
        expected.put("h20-wrong-key", Set.of("down:host-key-mismatch"));
        expected.put("h21-unknown-key", Set.of("down:host-key-unknown"));
        expected.put("h22-no-ca", Set.of("down:auth-failed"));
        // a dead link: the connect attempt either times out or the neighbour lookup fails first
        expected.put("h23-link-down", Set.of("down:timeout", "down:unreachable"));
        expected.put("h24-no-sshd", Set.of("down:refused"));
        expected.put("c-bookworm", Set.of("up"));
        expected.put("c-bullseye", Set.of("up"));
    }

    private static void script(Path file, String body) throws Exception {
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** The inventory: every host with labels; some pinned; all reachable by group ops, h01..h05 also by dev. */
    static String inventoryYaml(Set<String> leaveOut) {
        StringBuilder y = new StringBuilder("hosts:\n");
        for (NetnsFleet.Host h : fleet.hosts()) {
            if (leaveOut.contains(h.name())) {
                continue;
            }
            String env = h.name().compareTo("h06") < 0 ? "dev" : "prod";
            y.append("  - name: ").append(h.name()).append('\n')
                    .append("    address: ").append(h.address).append('\n')
                    .append("    labels: {kind: netns, env: ").append(env).append("}\n");
            String key = switch (h.name()) {
                case "h15-known", "h16-known", "h21-unknown-key" -> null;
                // another host's key: the connection shows a key that is not the pinned one
                case "h20-wrong-key" -> fleet.host("h01").hostKeyLine();
                default -> h.hostKeyLine();
            };
            if (key != null) {
                y.append("    host-key: \"").append(key).append("\"\n");
            }
        }
        for (SystemdTarget c : containers) {
            String name = "c-" + c.image().substring(c.image().indexOf(':') + 1);
            if (leaveOut.contains(name)) {
                continue;
            }
            String[] key = c.exec("cat /etc/ssh/ssh_host_ed25519_key.pub").strip().split("\\s+");
            y.append("  - name: ").append(name).append('\n')
                    .append("    address: ").append(c.address()).append('\n')
                    .append("    labels: {kind: systemd, env: prod}\n")
                    .append("    host-key: \"").append(key[0]).append(' ').append(key[1]).append("\"\n");
        }
        y.append("""
                access:
                  - {groups: [ops], hosts: {kind: netns}, ssh-user: %s}
                  - {groups: [ops], hosts: {kind: systemd}, ssh-user: %s}
                  - {groups: [dev], hosts: {env: dev}, ssh-user: %s}
                probe:
                  interval: %ds
                """.formatted(NetnsFleet.USER, SystemdTarget.USER, NetnsFleet.USER, INTERVAL.toSeconds()));
        return y.toString();
    }

    @AfterAll
    static void stop() {
        if (prober != null) {
            prober.close();
        }
        if (inventoryFile != null) {
            inventoryFile.close();
        }
        containers.forEach(SystemdTarget::close);
        if (fleet != null) {
            fleet.close();
        }
        deleteTree(dir);
    }

    static void deleteTree(Path root) {
        if (root == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            // best effort: a temp directory
        }
    }

    static String outcome(String host) {
        HostStatus s = status.get(host);
        return s.state().json() + s.problem().map(p -> ":" + p.code()).orElse("");
    }

    static Map<String, String> outcomes() {
        Map<String, String> out = new LinkedHashMap<>();
        expected.keySet().forEach(h -> out.put(h, outcome(h)));
        return out;
    }

    @Test
    @Order(1)
    void everyHostGetsTheStateItsSetupCallsFor() {
        assertTrue(expected.size() >= 20, "the fleet must have at least 20 hosts");
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> expected.keySet().stream().noneMatch(h -> status.get(h).state() == HostState.UNKNOWN));
        // the first answer of a host may come before a slower second round: wait for each to match
        Awaitility.await().atMost(INTERVAL.multipliedBy(3)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    Map<String, String> seen = outcomes();
                    for (Map.Entry<String, Set<String>> e : expected.entrySet()) {
                        assertTrue(e.getValue().contains(seen.get(e.getKey())),
                                e.getKey() + ": expected " + e.getValue() + ", all: " + seen);
                    }
                });
        System.out.println("fleet states: " + outcomes());
        HostStatus garbage = status.get("h18-garbage");
        assertTrue(garbage.reason().orElseThrow().contains("more than 65536 bytes"), garbage.toString());
        assertEquals("no answer within 3 s", status.get("h19-endless").reason().orElseThrow());
    }

    @Test
    @Order(2)
    void osKernelAndFailedUnitsAreTheHostsOwn() throws Exception {
        String localOs = prettyName(Files.readString(Path.of("/etc/os-release")));
        String localKernel = Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
        for (NetnsFleet.Host h : fleet.hosts()) {
            if (!expected.get(h.name()).contains("up")) {
                continue;
            }
            StatusReport r = status.get(h.name()).report().orElseThrow(() -> new AssertionError(h.name() + " has no report"));
            assertEquals(Optional.of(localOs), r.os(), h.name());
            assertEquals(Optional.of(localKernel), r.kernel(), h.name());
            // plain sshd hosts have no systemd: failed units are unknown, not "none"
            assertEquals(Optional.empty(), r.failedUnits(), h.name());
            assertTrue(r.uptimeSeconds().orElseThrow() > 0, h.name());
            assertTrue(r.memory().orElseThrow().totalBytes() >= r.memory().orElseThrow().availableBytes(), h.name());
            assertTrue(r.load().isPresent(), h.name());
        }
        for (SystemdTarget c : containers) {
            String name = "c-" + c.image().substring(c.image().indexOf(':') + 1);
            StatusReport r = status.get(name).report().orElseThrow();
            assertEquals(Optional.of(prettyName(c.exec("cat /etc/os-release"))), r.os(), name);
            Set<String> truth = c.exec("systemctl list-units --state=failed --no-legend --plain --no-pager --full")
                    .lines().map(l -> l.strip().split("\\s+")[0]).filter(u -> !u.isEmpty())
                    .collect(Collectors.toSet());
            assertTrue(truth.contains(FAILING_UNIT), name + ": the test unit did not fail: " + truth);
            // the unit list may have changed since the last probe: wait for the probe that sees what systemctl sees
            Awaitility.await().atMost(INTERVAL.multipliedBy(3)).untilAsserted(() -> assertEquals(truth,
                    Set.copyOf(status.get(name).report().orElseThrow().failedUnits().orElseThrow()), name));
            System.out.println(name + ": " + status.get(name).report().orElseThrow());
        }
    }

    static String prettyName(String osRelease) {
        return osRelease.lines().filter(l -> l.startsWith("PRETTY_NAME=")).findFirst().orElseThrow()
                .substring("PRETTY_NAME=".length()).replace("\"", "");
    }

    /**
     * The prober's certificate, replayed by someone who stole it, still runs only the status command: sshd runs the
     * forced command whatever is asked, and the script never executes the request.
     */
    @Test
    @Order(3)
    void theProbeCertificateRunsNothingButTheStatusCommand() throws Exception {
        NetnsFleet.Host h = fleet.host("h01");
        UserCertificate cert = signer.sign(CertificateRequest.probe(NetnsFleet.USER, StatusCommand.text()));
        assertEquals(Optional.of(StatusCommand.text()), cert.forceCommand());
        Path marker = dir.resolve("replayed-" + cert.serialText());
        HostTarget target = HostTarget.parse(h.address);
        KnownHosts pinned = KnownHosts.parse(h.address + " " + h.hostKeyLine());
        try (SshConnector c = new SshConnector(SshSettings.defaults(Map.of()), new HostAccessPolicy(List.of("*:*"),
                List.of()))) {
            SshLogin login = c.connect(target, new KeyLogin(NetnsFleet.USER, cert.keyPair(), pinned))
                    .get(20, TimeUnit.SECONDS);
            try (ClientSession s = login.session()) {
                for (String command : List.of("id -un", "cat /etc/shadow", "touch " + marker,
                        "sh -c 'echo pwned'", StatusCommand.REQUEST_WITH_UPDATES + "; touch " + marker)) {
                    byte[] out = exec(s, command);
                    String text = new String(out, StandardCharsets.UTF_8);
                    assertTrue(text.startsWith("cockpit-probe 1\n"), command + " ran: " + text);
                    assertFalse(text.contains("pwned") || text.contains(NetnsFleet.USER + "\n"), text);
                    StatusParser.parse(out, OptionalInt.empty()); // a complete status, nothing else
                }
            }
        }
        assertFalse(Files.exists(marker), "a replayed request ran on the host");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> h.log().contains(
                "ID " + CertificateRequest.PROBE_KEY_ID + " (serial " + cert.serialText() + ")"));
    }

    private static byte[] exec(ClientSession s, String command) throws Exception {
        try (ChannelExec ch = s.createExecChannel(command)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ch.setOut(out);
            ch.setErr(new ByteArrayOutputStream());
            ch.open().verify(Duration.ofSeconds(20));
            ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Duration.ofSeconds(20));
            return out.toByteArray();
        }
    }

    /** Hostile hosts flood or hang every round; the healthy ones are still checked every interval meanwhile. */
    @Test
    @Order(4)
    void hostileHostsDelayNobody() {
        Map<String, Instant> before = new LinkedHashMap<>();
        for (String h : expected.keySet()) {
            status.get(h).checkedAt().ifPresent(t -> before.put(h, t));
        }
        Instant start = Instant.now();
        Awaitility.await().atMost(INTERVAL.multipliedBy(2).plus(LIMITS.runTimeout()).plus(SLACK))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertEquals(List.of(), before.keySet().stream()
                        .filter(h -> !status.get(h).checkedAt().orElseThrow().isAfter(before.get(h)))
                        .map(h -> h + " (" + status.get(h) + ")").toList(), "hosts not checked again"));
        System.out.println("every host checked again within " + Duration.between(start, Instant.now()).toMillis()
                + " ms; hostile: " + outcome("h18-garbage") + ", " + outcome("h19-endless"));
        assertEquals("down:output-too-large", outcome("h18-garbage"));
        assertEquals("down:timeout", outcome("h19-endless"));
    }

    @Test
    @Order(5)
    void aHostThatDiesIsDownAtOnce() {
        NetnsFleet.Host h = fleet.host("h25-dies");
        assertEquals("up", outcome(h.name()));
        long t0 = System.nanoTime();
        h.kill();
        Duration took = awaitState(h.name(), s -> s.state() == HostState.DOWN);
        System.out.println("killed host down after " + took.toMillis() + " ms: " + status.get(h.name()));
        assertTrue(Set.of("down:refused", "down:closed").contains(outcome(h.name())), outcome(h.name()));
        assertTrue(took.compareTo(INTERVAL.plus(LIMITS.runTimeout()).plus(SLACK)) <= 0, took.toString());
        assertTrue(Duration.ofNanos(System.nanoTime() - t0).compareTo(Duration.ofMinutes(1)) < 0);
    }

    /** No reset, no close: packets are lost. Down at most one interval plus the run timeout later. */
    @Test
    @Order(6)
    void aHostThatFallsSilentIsDownWithinIntervalPlusRunTimeout() {
        NetnsFleet.Host h = fleet.host("h26-falls-silent");
        assertEquals("up", outcome(h.name()));
        h.linkDown();
        Duration took = awaitState(h.name(), s -> s.state() == HostState.DOWN);
        Duration bound = INTERVAL.plus(LIMITS.runTimeout());
        System.out.println("silent host down after " + took.toMillis() + " ms (bound " + bound.toMillis()
                + " ms + slack): " + status.get(h.name()));
        assertEquals("down:timeout", outcome(h.name()));
        assertTrue(took.compareTo(bound.plus(SLACK)) <= 0, took + " > " + bound + " + " + SLACK);
    }

    private static Duration awaitState(String host, Predicate<HostStatus> done) {
        long t0 = System.nanoTime();
        Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> done.test(status.get(host)));
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    @Test
    @Order(7)
    void metricsCountStatesAndFailuresWithoutHostNames() {
        Map<HostState, Integer> counts = status.counts(inventoryFile.current());
        for (HostState s : HostState.values()) {
            assertEquals(counts.get(s).doubleValue(),
                    meters.get("cockpit.fleet.hosts").tag("state", s.json()).gauge().value(), s.json());
        }
        assertEquals(0, counts.get(HostState.UNKNOWN));
        assertTrue(meters.get("cockpit.fleet.probe.failures").tag("reason", "output-too-large").counter().count() >= 1);
        assertTrue(meters.get("cockpit.fleet.probe.failures").tag("reason", "host-key-mismatch").counter().count() >= 1);
        assertTrue(meters.get("cockpit.fleet.probe").tag("connection", "new").timer().count() >= expected.size());
        assertTrue(meters.get("cockpit.fleet.probe").tag("connection", "kept").timer().count() >= 1);
        assertEquals(1.0, meters.get("cockpit.fleet.inventory.valid").gauge().value());
        // labels come from fixed sets: no series names a host
        meters.getMeters().forEach(m -> m.getId().getTags().forEach(t -> assertFalse(
                expected.containsKey(t.getValue()) || t.getValue().startsWith("10."), m.getId().toString())));
    }

    /** The API's view over the real prober: each identity sees the hosts its rules grant, with their live state. */
    @Test
    @Order(8)
    void theApiShowsEachCallerTheHostsTheirRulesGrant() throws Exception {
        Inventory inv = inventoryFile.current();
        JsonNode ops = JSON.readTree(FleetJson.hosts(inv, status, Identity.of("olga", "ops")));
        JsonNode dev = JSON.readTree(FleetJson.hosts(inv, status, Identity.of("dave", "dev")));
        JsonNode nobody = JSON.readTree(FleetJson.hosts(inv, status, Identity.of("eve", "guests")));
        assertEquals(expected.size(), ops.size());
        assertEquals(List.of("h01", "h02", "h03", "h04", "h05"), names(dev));
        assertEquals(0, nobody.size());
        JsonNode c = find(ops, "c-bookworm");
        assertEquals("up", c.path("state").asText());
        assertEquals(SystemdTarget.USER, c.path("ssh_user").asText());
        assertTrue(c.path("failed_units").toString().contains(FAILING_UNIT), c.toString());
        assertEquals(3, c.path("load").size());
        JsonNode refused = find(ops, "h24-no-sshd");
        assertEquals("down", refused.path("state").asText());
        assertEquals("refused", refused.path("reason_code").asText());
        assertTrue(refused.path("os").isNull() && refused.path("failed_units").isNull(), refused.toString());
        assertEquals("cockpittest", find(dev, "h01").path("ssh_user").asText());
    }

    private static List<String> names(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path("name").asText()));
        return out;
    }

    private static JsonNode find(JsonNode array, String name) {
        for (JsonNode n : array) {
            if (n.path("name").asText().equals(name)) {
                return n;
            }
        }
        throw new AssertionError(name + " not in " + array);
    }

    /** A host taken out of the inventory is forgotten and its connection closed on the VM too. */
    @Test
    @Order(9)
    void aHostLeavingTheInventoryLosesItsConnection() throws Exception {
        NetnsFleet.Host h = fleet.host("h02");
        assertTrue(h.processCount() > 1, "the kept connection shows as sshd session processes");
        Files.writeString(inventory, inventoryYaml(Set.of("h02")));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !prober.hostNames().contains("h02"));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> h.processCount() == 1);
        assertEquals(expected.size() - 1, inventoryFile.current().hosts().size());
        assertEquals(HostState.UNKNOWN, status.get("h02").state());
    }
}
