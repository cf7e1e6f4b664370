package io.cockpitwsjava.signin;

import static io.cockpitwsjava.testing.Commands.deleteTree;
import static io.cockpitwsjava.testing.Commands.run;
import static io.cockpitwsjava.signin.FleetHttp.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import com.fasterxml.jackson.databind.JsonNode;

import io.cockpitwsjava.testing.Browser;
import io.cockpitwsjava.testing.Keycloak;
import io.cockpitwsjava.testing.KeycloakResource;
import io.cockpitwsjava.testing.NetnsFleet;
import io.cockpitwsjava.testing.SystemdTarget;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The fleet page end to end, as a person uses it: headless Chromium signs in through Keycloak's own login page and
 * sees the hosts the access rules grant, live from the gateway's prober: real sshd "VMs" in network namespaces that
 * trust the test user CA (one unreachable from the start, one killed during the test) and a systemd container with a
 * unit that really failed. The person filters by text and by label, watches a host go down without reloading the
 * page, clicks a host and gets its real Cockpit Overview without a password prompt (a certificate login with their
 * name as key id, seen in the host's sshd log), and signs out; a second person in another group sees other hosts; the
 * API refuses callers without a sign-in.
 * Screenshots go to {@code target/screenshots/fleet-page/} (the one in docs/images/fleet.png was taken here).
 */
@QuarkusTest
@TestProfile(FleetPageIT.Fleet.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetPageIT {

    static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** The prober's interval in the inventory below. */
    static final Duration INTERVAL = Duration.ofSeconds(5);
    static final String FAILING_UNIT = "cockpit-fleet-page-test.service";
    static final String CONTAINER_HOST = "app-1";
    static final String DIES = "db-2";
    static final String UNREACHABLE = "test-1";
    /** Every host in inventory order, with the labels the rules select on. */
    static final Map<String, String> LABELS = new LinkedHashMap<>();

    static {
        LABELS.put("web-1", "{env: prod, role: web}");
        LABELS.put("web-2", "{env: prod, role: web}");
        LABELS.put("db-1", "{env: prod, role: db}");
        LABELS.put(DIES, "{env: prod, role: db}");
        LABELS.put(CONTAINER_HOST, "{env: prod, role: app}");
        LABELS.put("build-1", "{env: dev, role: build}");
        LABELS.put("build-2", "{env: dev, role: build}");
        LABELS.put(UNREACHABLE, "{env: dev, role: test}");
    }

    static final List<String> ALL = List.copyOf(LABELS.keySet());
    static final List<String> DEV = List.of("build-1", "build-2", UNREACHABLE);

    public static class Fleet implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(KeycloakResource.class), new TestResourceEntry(Targets.class));
        }
    }

    /**
     * The fleet, made before the gateway starts (its settings name the inventory and the CA key): network-namespace
     * hosts and one systemd container, all trusting a fresh user CA. Gives the test a way to kill a host by name.
     */
    public static class Targets implements QuarkusTestResourceLifecycleManager {
        private Path dir;
        private NetnsFleet fleet;
        private SystemdTarget container;

        @Override
        public Map<String, String> start() {
            try {
                dir = Files.createTempDirectory("fleet-page-it-");
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
                Path ca = dir.resolve("user_ca");
                run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "fleet page test CA", "-f", ca.toString());
                Path caPub = Path.of(ca + ".pub");
                List<NetnsFleet.Spec> specs = new ArrayList<>();
                for (String name : ALL) {
                    if (name.equals(CONTAINER_HOST)) {
                        continue;
                    }
                    NetnsFleet.Spec spec = NetnsFleet.Spec.normal(name);
                    // its link never comes up: connecting to it times out, as to a VM that is switched off
                    specs.add(name.equals(UNREACHABLE) ? spec.withLinkDown() : spec);
                }
                fleet = NetnsFleet.start(specs, caPub);

                container = new SystemdTarget("bookworm");
                container.start();
                container.exec("printf '%s\\n' '" + Files.readString(caPub).strip()
                        + "' > /etc/ssh/cockpit_user_ca.pub"
                        + " && echo 'TrustedUserCAKeys /etc/ssh/cockpit_user_ca.pub' > /etc/ssh/sshd_config.d/50-ca.conf"
                        + " && systemctl reload ssh"
                        + " && printf '[Service]\\nType=oneshot\\nExecStart=/bin/false\\n' > /etc/systemd/system/"
                        + FAILING_UNIT + " && systemctl daemon-reload && (systemctl start " + FAILING_UNIT + " || true)");
                String[] containerKey = container.exec("cat /etc/ssh/ssh_host_ed25519_key.pub").strip().split("\\s+");

                StringBuilder y = new StringBuilder("hosts:\n");
                for (String name : ALL) {
                    String address;
                    String key;
                    if (name.equals(CONTAINER_HOST)) {
                        address = container.address();
                        key = containerKey[0] + " " + containerKey[1];
                    } else {
                        address = fleet.host(name).address;
                        key = fleet.host(name).hostKeyLine();
                    }
                    y.append("  - name: ").append(name).append('\n')
                            .append("    address: ").append(address).append('\n')
                            .append("    labels: ").append(LABELS.get(name)).append('\n')
                            .append("    host-key: \"").append(key).append("\"\n");
                }
                // ops (alice) reaches everything, the container as its sudo user; dev (bob) only env=dev
                y.append("""
                        access:
                          - {groups: [ops], hosts: {role: app}, ssh-user: %s, superuser: true}
                          - {groups: [ops], hosts: "*", ssh-user: %s}
                          - {groups: [dev], hosts: {env: dev}, ssh-user: %s}
                        probe:
                          interval: %ds
                        """.formatted(SystemdTarget.USER, NetnsFleet.USER, NetnsFleet.USER, INTERVAL.toSeconds()));
                Path inventory = dir.resolve("inventory.yaml");
                Files.writeString(inventory, y.toString());
                return Map.of("cockpit.fleet.inventory", inventory.toString(),
                        "cockpit.fleet.user-ca-key", ca.toString(),
                        "cockpit.fleet.prober.connect-timeout", "2s");
            } catch (IOException e) {
                stop();
                throw new UncheckedIOException(e);
            } catch (RuntimeException e) {
                stop();
                throw e;
            }
        }

        /**
         * The test's {@code Consumer<String>} field gets "kill this host", its {@code Function<String, String>} field
         * "run this shell command in the container" (JDK types: no class-loader trouble).
         */
        @Override
        public void inject(TestInjector testInjector) {
            Consumer<String> kill = name -> fleet.host(name).kill();
            testInjector.injectIntoFields(kill, new TestInjector.MatchesType(Consumer.class));
            Function<String, String> exec = command -> container.exec(command);
            testInjector.injectIntoFields(exec, new TestInjector.MatchesType(Function.class));
        }

        @Override
        public void stop() {
            if (container != null) {
                container.close();
                container = null;
            }
            if (fleet != null) {
                fleet.close();
                fleet = null;
            }
            if (dir != null) {
                deleteTree(dir);
                dir = null;
            }
        }
    }

    @TestHTTPResource("/")
    URL base;
    /** Kills a host of the fleet by its inventory name (from {@link Targets#inject}). */
    Consumer<String> killHost;
    /** Runs a shell command as root in the systemd container ({@value #CONTAINER_HOST}); its output. */
    Function<String, String> containerExec;

    private Browser browser;

    /** The gateway as localhost, Keycloak as 127.0.0.1: two sites, as in real deployments. */
    String gateway() {
        return "http://localhost:" + base.getPort();
    }

    String fleetPage() {
        return gateway() + "/fleet/";
    }

    Browser browser() {
        if (browser == null) {
            browser = Browser.start(Path.of("target/screenshots/fleet-page"), TIMEOUT);
        }
        return browser;
    }

    @AfterAll
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    /** One table row as the page shows it. */
    record Row(String name, String state, String reason, List<String> failedUnits, String failedCell) {
    }

    /** The rows in the table, in page order (filtered-out hosts are not in the table). */
    static Map<String, Row> rows(Browser b) {
        Map<String, Row> out = new LinkedHashMap<>();
        if (!b.isVisible("hosts")) {
            return out;
        }
        for (WebElement tr : b.driver().findElements(By.cssSelector("#hosts-body tr"))) {
            String name = tr.getAttribute("data-host");
            String cls = tr.findElement(By.cssSelector(".fleet-state")).getAttribute("class");
            String state = cls.contains("fleet-up") ? "up" : cls.contains("fleet-down") ? "down"
                    : cls.contains("fleet-unknown") ? "unknown" : cls;
            List<WebElement> reason = tr.findElements(By.cssSelector(".fleet-reason"));
            List<String> units = tr.findElements(By.cssSelector("details.fleet-failed li")).stream()
                    .map(li -> li.getAttribute("textContent")).toList();
            String failedCell = tr.findElements(By.cssSelector("td")).get(4).getAttribute("textContent").strip();
            out.put(name, new Row(name, state, reason.isEmpty() ? "" : reason.get(0).getText(), units, failedCell));
        }
        return out;
    }

    /** The names of the rows the page shows, in order. */
    static List<String> shown(Browser b) {
        return List.copyOf(rows(b).keySet());
    }

    /** Waits until every host has been checked and shows the state the fleet was built for. */
    Map<String, Row> awaitFirstRound(Browser b, List<String> names) {
        return b.await("every host checked: " + names, d -> {
            Map<String, Row> r = rows(b);
            if (!r.keySet().equals(new java.util.LinkedHashSet<>(names))) {
                return null;
            }
            for (Row row : r.values()) {
                String want = row.name().equals(UNREACHABLE) ? "down" : "up";
                if (!row.state().equals(want)) {
                    return null;
                }
            }
            // the container's failed unit is known once it was checked
            Row app = r.get(CONTAINER_HOST);
            return app == null || !app.failedUnits().isEmpty() ? r : null;
        });
    }

    // ---- the API without a sign-in, and per caller ---------------------------------------------------------------

    @Test
    @Order(1)
    void theApiRefusesCallersWithoutASignIn() {
        FleetHttp http = new FleetHttp(base);
        for (String path : List.of("/fleet/api/hosts", "/fleet/api/events", "/fleet/api/me")) {
            HttpResponse<String> r = http.get(path);
            assertEquals(401, r.statusCode(), path + ": " + r.body());
            assertNull(r.headers().firstValue("Location").orElse(null), path + " is never a redirect");
            assertEquals("authentication-failed", json(r).get("problem").asText(), path);
            assertFalse(r.body().contains("web-1"), r.body());
        }
        HttpResponse<String> forged = http.get("/fleet/api/hosts", "Authorization", "Bearer not.a.token",
                "Cookie", "q_session=forged");
        assertEquals(401, forged.statusCode(), forged.body());
    }

    @Test
    @Order(2)
    void eachCallerGetsTheHostsOfTheirRules() {
        Keycloak kc = KeycloakResource.keycloak();
        FleetHttp http = new FleetHttp(base);
        Map<Keycloak.User, List<String>> expected = Map.of(Keycloak.ALICE, ALL, Keycloak.BOB, DEV,
                Keycloak.CAROL, List.of());
        expected.forEach((user, names) -> {
            HttpResponse<String> r = http.get("/fleet/api/hosts", "Authorization", "Bearer " + kc.accessToken(user));
            assertEquals(200, r.statusCode(), r.body());
            List<String> got = new ArrayList<>();
            json(r).forEach(h -> got.add(h.path("name").asText()));
            assertEquals(names, got, user.name() + ": " + r.body());
        });
        JsonNode bobs = json(http.get("/fleet/api/hosts", "Authorization", "Bearer " + kc.accessToken(Keycloak.BOB)));
        bobs.forEach(h -> assertEquals(NetnsFleet.USER, h.path("ssh_user").asText(), h.toString()));
    }

    // ---- the page -------------------------------------------------------------------------------------------------

    @Test
    @Order(3)
    void aliceSignsInAndSeesTheFleetWithStatesAndWarnings() {
        Browser b = browser();
        FleetBrowser.signInWithKeycloak(b, fleetPage(), fleetPage(), Keycloak.ALICE);
        Map<String, Row> rows = awaitFirstRound(b, ALL);
        Row unreachable = rows.get(UNREACHABLE);
        assertFalse(unreachable.reason().isBlank(), "a down host says why: " + unreachable);
        Row app = rows.get(CONTAINER_HOST);
        assertEquals(List.of(FAILING_UNIT), app.failedUnits(), app.toString());
        WebElement warning = b.driver().findElement(By.cssSelector(
                "#hosts-body tr[data-host='" + CONTAINER_HOST + "'] details.fleet-failed summary"));
        assertTrue(warning.isDisplayed(), "the warning next to the host with a failed unit");
        assertEquals(1, warning.findElements(By.cssSelector(".fleet-warning-icon")).size(), "its warning icon");
        assertTrue(warning.getText().contains("1"), warning.getText());
        for (Row r : rows.values()) {
            if (!r.name().equals(CONTAINER_HOST)) {
                assertEquals(List.of(), r.failedUnits(), "no warning on " + r);
            }
        }
        assertTrue(b.visible("count-up").getText().contains("7"), b.visible("count-up").getText());
        assertTrue(b.visible("count-down").getText().contains("1"), b.visible("count-down").getText());
        // the unit's name, one click away
        warning.click();
        b.await("the failed unit's name shown", d -> d.findElement(By.cssSelector(
                "#hosts-body tr[data-host='" + CONTAINER_HOST + "'] details.fleet-failed li")).isDisplayed());
        b.screenshot("fleet-alice");
        warning.click();
    }

    @Test
    @Order(4)
    void filtersByTextAndByLabel() {
        Browser b = browser();
        awaitFirstRound(b, ALL);
        b.type("filter", "web");
        b.await("only the web hosts", d -> shown(b).equals(List.of("web-1", "web-2")) ? true : null);
        assertTrue(b.visible("shown").getText().contains("2") && b.visible("shown").getText().contains("8"),
                b.visible("shown").getText());
        b.screenshot("filter-text-web");
        b.type("filter", "no-such-host");
        b.visible("no-match");
        b.click("no-match-clear");
        b.await("every host again", d -> shown(b).size() == ALL.size() ? true : null);

        new Select(b.visible("label-select")).selectByVisibleText("env=dev");
        b.visible("active-labels");
        b.await("only the dev hosts", d -> shown(b).equals(DEV) ? true : null);
        b.screenshot("filter-label-env-dev");
        // both filters at once: text within the label's hosts
        b.type("filter", "build-2");
        b.await("build-2 alone", d -> shown(b).equals(List.of("build-2")) ? true : null);
        b.click("clear-filters");
        b.await("every host after clearing", d -> shown(b).size() == ALL.size() ? true : null);
        assertFalse(b.isVisible("active-labels"));
    }

    @Test
    @Order(5)
    void aHostThatDiesGoesDownWithoutAReload() {
        Browser b = browser();
        awaitFirstRound(b, ALL);
        // a mark in this document: a reload would lose it
        b.script("window.fleetPageItMark = 'same document';");
        assertEquals("Live", b.visible("live").getText().strip());
        long t0 = System.nanoTime();
        killHost.accept(DIES);
        Row down = b.await(DIES + " shown down", d -> {
            Row r = rows(b).get(DIES);
            return r != null && r.state().equals("down") ? r : null;
        });
        System.out.printf("FleetPageIT: %s shown down %.1f s after its sshd was killed (interval %d s)%n", DIES,
                (System.nanoTime() - t0) / 1e9, INTERVAL.toSeconds());
        assertEquals("same document", b.script("return window.fleetPageItMark;"), "the page was not reloaded");
        assertFalse(down.reason().isBlank(), down.toString());
        b.await("counts follow", d -> b.visible("count-down").getText().contains("2") ? true : null);
        Map<String, Row> rows = rows(b);
        for (String name : ALL) {
            String want = name.equals(DIES) || name.equals(UNREACHABLE) ? "down" : "up";
            assertEquals(want, rows.get(name).state(), rows.get(name).toString());
        }
        // the picture of the fleet in docs/images/fleet.png: two hosts down, the failed unit's name open
        b.driver().findElement(By.cssSelector("#hosts-body tr[data-host='" + CONTAINER_HOST
                + "'] details.fleet-failed summary")).click();
        b.screenshot("fleet-host-went-down");
    }

    @Test
    @Order(6)
    void aClickOnAHostOpensItsCockpitWithoutAPasswordPrompt() {
        Browser b = browser();
        b.await(CONTAINER_HOST + " up", d -> {
            Row r = rows(b).get(CONTAINER_HOST);
            return r != null && r.state().equals("up") ? r : null;
        });
        b.driver().findElement(By.cssSelector("#hosts-body tr[data-host='" + CONTAINER_HOST + "'] a.fleet-host-link"))
                .click();
        // the page logs in to the host with alice's sign-in (a fresh certificate), then opens its Cockpit shell
        String shell = gateway() + "/=" + CONTAINER_HOST + "/";
        b.await("at " + shell, d -> d.getCurrentUrl().startsWith(shell) ? true : null);
        b.await("the shell's page frame", d -> !d.findElements(By.cssSelector("iframe[name^='cockpit1:']")).isEmpty());
        assertFalse(b.isVisible("login-password-input"), "no password prompt: " + b.text());
        b.enterFrame("cockpit1:localhost/system");
        String hostname = b.await("Overview hostname", d -> {
            List<WebElement> e = d.findElements(By.cssSelector(".ct-overview-header-hostname"));
            return e.isEmpty() || e.get(0).getText().isBlank() ? null : e.get(0).getText();
        });
        b.await("Overview's Health card", d -> b.text().contains("Health") ? true : null);
        String os = b.await("Overview OS", d -> {
            List<WebElement> e = d.findElements(By.id("system_information_os_text"));
            return e.isEmpty() || e.get(0).getText().isBlank() ? null : e.get(0).getText();
        });
        b.screenshot("overview-" + CONTAINER_HOST);
        b.leaveFrame();
        assertTrue(hostname.contains("target-bookworm"), hostname);
        assertTrue(os.contains("Debian GNU/Linux 12"), os);
        assertFalse(b.isVisible("login-password-input"), "no password prompt");
        // the host's sshd logged the certificate made for alice: her name is its key id
        b.await("alice's certificate in the host's sshd log", d ->
                containerExec.apply("journalctl -u ssh --no-pager -o cat").lines().anyMatch(l -> l.contains(
                        "Accepted publickey for " + SystemdTarget.USER + " ") && l.contains(" ID alice (serial "))
                        ? true : null);

        // back to the fleet page for the sign-out
        b.open(fleetPage());
        FleetBrowser.awaitSignedIn(b, fleetPage(), "alice");
    }

    @Test
    @Order(7)
    void aliceSignsOut() {
        Browser b = browser();
        FleetBrowser.signOut(b, fleetPage());
        assertFalse(b.isVisible("hosts-view"), "no hosts after signing out");
        assertEquals(401, FleetBrowser.fetchStatus(b, "fleet/api/hosts"));
    }

    @Test
    @Order(8)
    void bobInAnotherGroupSeesOtherHosts() {
        // a browser of his own: nothing of alice's sign-in can leak into his
        try (Browser b = Browser.start(Path.of("target/screenshots/fleet-page-bob"), TIMEOUT)) {
            FleetBrowser.signInWithKeycloak(b, fleetPage(), fleetPage(), Keycloak.BOB);
            Map<String, Row> rows = awaitFirstRound(b, DEV);
            assertEquals(DEV, List.copyOf(rows.keySet()));
            b.screenshot("fleet-bob");
            // nothing of the other hosts shows, not even their labels among the filter choices
            List<String> labels = new Select(b.visible("label-select")).getOptions().stream()
                    .map(WebElement::getText).toList();
            assertTrue(labels.contains("env=dev") && !labels.contains("env=prod") && !labels.contains("role=web"),
                    labels.toString());
            String page = b.text();
            assertFalse(page.contains("web-1") || page.contains(CONTAINER_HOST), page);
        }
    }
}
