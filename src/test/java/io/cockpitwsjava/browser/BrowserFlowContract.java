package io.cockpitwsjava.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import io.cockpitwsjava.testing.Browser;
import io.cockpitwsjava.testing.SystemdTarget;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The user's road through the real Cockpit UI in headless Chromium (issue 3 item 6): login page, host key, Overview,
 * Logs, Services, Terminal, administrative access, logout, wrong password, changed host key. One browser and one
 * target container per subclass; the steps run in order and each saves a screenshot under
 * {@code target/screenshots/<target>/}. The login page is driven only through the element ids Cockpit's own login
 * page and ours share.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class BrowserFlowContract {
    static final Duration TIMEOUT = Duration.ofSeconds(45);

    /** The login page must ask for a host: every login here goes to a target container over SSH. */
    public static class RequireHost implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cockpit.web.require-host", "true",
                    // the bridge's stderr (tracebacks) is logged at debug level
                    "quarkus.log.category.\"io.cockpitwsjava.bridge\".level", "DEBUG");
        }
    }

    @TestHTTPResource("/")
    URL base;

    private Browser browser;
    private String firstFingerprint;
    private final List<String> cspViolations = new ArrayList<>();

    abstract SystemdTarget target();

    /** Expected {@code PRETTY_NAME} of the target (Overview shows "running <PRETTY_NAME>"). */
    abstract String prettyName();

    Browser browser() {
        if (browser == null) {
            browser = Browser.start(Path.of("target/screenshots", target().hostname()), TIMEOUT);
        }
        return browser;
    }

    /** Every console message goes to console.txt beside the screenshots; CSP refusals are collected for the check. */
    @AfterEach
    void collectConsole() throws IOException {
        if (browser == null) {
            return;
        }
        List<String> messages = browser.consoleMessages();
        Path file = Path.of("target/screenshots", target().hostname(), "console.txt");
        Files.write(file, messages, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        // xterm's inline styles in the Terminal are refused by the bridge's own package policy (default-src 'self'),
        // byte for byte what Cockpit's bridge sends through cockpit-ws too; everything else must load and connect
        messages.stream().filter(m -> m.contains("Content Security Policy") && !m.contains("Applying inline style"))
                .forEach(cspViolations::add);
    }

    @AfterAll
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    String shellUrl(String page) {
        return base.toString() + "=" + target().address() + page;
    }

    /** Fills the login form and presses the login button. */
    void submitLogin(String password) {
        Browser b = browser();
        b.open(base.toString());
        b.visible("login-user-input");
        b.type("login-user-input", SystemdTarget.USER);
        b.type("login-password-input", password);
        b.type("server-field", target().address());
        b.screenshot("login-page-filled");
        b.click("login-button");
    }

    /** The host-key question: its fingerprint is one of the target's keys; accepting it continues the login. */
    String acceptHostKey(String screenshot) {
        Browser b = browser();
        b.visible("hostkey-group");
        String fingerprint = b.visible("hostkey-fingerprint").getText().strip();
        Set<String> keys = Set.of(target().hostKeyFingerprint("ed25519"), target().hostKeyFingerprint("ecdsa"),
                target().hostKeyFingerprint("rsa"));
        assertTrue(keys.contains(fingerprint), fingerprint + " is not one of " + keys);
        b.screenshot(screenshot);
        b.click("login-button");
        return fingerprint;
    }

    /** The shell document has loaded and shows its navigation and the Overview frame. */
    void awaitShell() {
        Browser b = browser();
        b.leaveFrame();
        b.await("shell loaded", d -> !d.findElements(By.cssSelector("iframe[name^='cockpit1:']")).isEmpty());
        b.visible("super-user-indicator");
    }

    /** Top bar button: "Administrative access" or "Limited access". */
    String superuserState() {
        Browser b = browser();
        b.leaveFrame();
        return b.await("superuser indicator text", d -> {
            String t = d.findElement(By.id("super-user-indicator")).getText().strip();
            return t.isEmpty() ? null : t;
        });
    }

    @Test
    @Order(1)
    void loginAcceptingTheHostKeyOpensOverview() {
        Browser b = browser();
        submitLogin(SystemdTarget.PASSWORD);
        firstFingerprint = acceptHostKey("hostkey-question");
        awaitShell();
        b.enterFrame("cockpit1:localhost/system");
        String hostname = b.await("Overview hostname", d -> {
            List<WebElement> e = d.findElements(By.cssSelector(".ct-overview-header-hostname"));
            return e.isEmpty() || e.get(0).getText().isBlank() ? null : e.get(0).getText();
        });
        String os = b.await("Overview OS", d -> {
            List<WebElement> e = d.findElements(By.id("system_information_os_text"));
            return e.isEmpty() || e.get(0).getText().isBlank() ? null : e.get(0).getText();
        });
        b.screenshot("overview");
        assertTrue(hostname.contains(target().hostname()), hostname);
        assertTrue(os.contains(prettyName()), os);
    }

    @Test
    @Order(2)
    void logsShowJournalEntries() {
        Browser b = browser();
        // all priorities down to info: a fresh machine may have no errors to show under the default filter
        b.open(shellUrl("/system/logs#/?priority=info"));
        awaitShell();
        b.enterFrame("cockpit1:localhost/system/logs");
        int lines = b.await("journal entries", d -> {
            int n = d.findElements(By.cssSelector(".cockpit-logline")).size();
            return n > 0 ? n : null;
        });
        b.screenshot("logs");
        assertTrue(lines > 0);
    }

    @Test
    @Order(3)
    void servicesListUnits() {
        Browser b = browser();
        b.open(shellUrl("/system/services"));
        awaitShell();
        b.enterFrame("cockpit1:localhost/system/services");
        b.await("ssh.service listed", d -> !d.findElements(By.cssSelector("[data-goto-unit^='ssh']")).isEmpty());
        b.screenshot("services");
        assertTrue(b.driver().findElements(By.cssSelector("[data-goto-unit]")).size() > 5);
    }

    @Test
    @Order(4)
    void terminalRunsACommand() {
        Browser b = browser();
        b.open(shellUrl("/system/terminal"));
        awaitShell();
        b.enterFrame("cockpit1:localhost/system/terminal");
        // a prompt first: typing before the shell runs would be lost
        b.await("terminal prompt", d -> terminalLines(b).stream().anyMatch(l -> l.contains("$")));
        WebElement input = b.driver().findElement(By.cssSelector(".xterm-helper-textarea"));
        input.sendKeys("echo h''i" + Keys.ENTER);
        b.await("hi printed", d -> terminalLines(b).stream().anyMatch(l -> l.strip().equals("hi")));
        b.screenshot("terminal");
    }

    /**
     * External channels as Cockpit's pages use them for downloads and streams (docs/protocol.md §8): from inside a page
     * frame, a plain HTTP GET of {@code <app>/channel/<csrf-token>?<base64 open>} and a WebSocket on the same URL.
     */
    @Test
    @Order(5)
    @SuppressWarnings("unchecked")
    void externalChannelsDownloadAndStream() {
        Browser b = browser();
        b.open(shellUrl("/system"));
        awaitShell();
        b.enterFrame("cockpit1:localhost/system");
        b.await("cockpit.js initialised", d -> Boolean.TRUE.equals(b.script(
                "return !!(window.cockpit && cockpit.transport && cockpit.transport.csrf_token)")) ? true : null);
        Map<String, Object> result = (Map<String, Object>) b.asyncScript("""
                const done = arguments[arguments.length - 1];
                const uri = cockpit.transport.uri("channel/" + cockpit.transport.csrf_token);
                const download = btoa(JSON.stringify({ payload: "fsread1", path: "/etc/os-release", binary: "raw",
                    external: { "content-disposition": 'attachment; filename="os-release"',
                                "content-type": "text/plain" } }));
                fetch(new URL(uri).pathname + "?" + download).then(r => r.text().then(text => {
                    const res = { status: r.status, disposition: r.headers.get("Content-Disposition"), text };
                    const ws = new WebSocket(uri + "?" + btoa(JSON.stringify({ payload: "echo" })));
                    ws.onopen = () => ws.send("through the gateway");
                    ws.onmessage = ev => { res.echo = ev.data; ws.close(1000); done(res); };
                    ws.onerror = () => { res.echo = "websocket error"; done(res); };
                })).catch(e => done({ error: String(e) }));
                """);
        assertEquals(200L, ((Number) result.getOrDefault("status", -1)).longValue(), result.toString());
        assertEquals("attachment; filename=\"os-release\"", result.get("disposition"), result.toString());
        assertTrue(String.valueOf(result.get("text")).contains("PRETTY_NAME=\"" + prettyName() + "\""),
                result.toString());
        assertEquals("through the gateway", result.get("echo"), result.toString());
    }

    @SuppressWarnings("unchecked")
    private static List<String> terminalLines(Browser b) {
        // xterm's accessibility tree carries the screen's text (Cockpit turns screen-reader mode on)
        return (List<String>) b.script("return Array.from(document.querySelectorAll('.xterm-accessibility-tree > div'))"
                + ".map(e => e.textContent)");
    }

    @Test
    @Order(6)
    void administrativeAccessTurnsOnThroughTheDialog() {
        Browser b = browser();
        b.open(shellUrl("/system"));
        awaitShell();
        assertEquals("Limited access", superuserState());
        b.screenshot("limited-access");
        b.driver().findElement(By.cssSelector("#super-user-indicator button")).click();
        // the dialog may first ask which method (sudo/pkexec) before the password prompt
        b.await("password prompt", d -> {
            if (b.isVisible("switch-to-admin-access-password")) {
                return true;
            }
            clickDialogButton(b, "Authenticate");
            return null;
        });
        b.type("switch-to-admin-access-password", SystemdTarget.PASSWORD);
        b.screenshot("admin-access-dialog");
        b.driver().findElement(By.id("switch-to-admin-access-password")).sendKeys(Keys.ENTER);
        b.await("administrative access", d -> {
            clickDialogButton(b, "Close");
            return "Administrative access".equals(superuserState()) ? true : null;
        });
        b.screenshot("administrative-access");
    }

    private static void clickDialogButton(Browser b, String label) {
        for (WebElement button : b.driver().findElements(By.cssSelector(".pf-v6-c-modal-box button, .pf-v5-c-modal-box button"))) {
            if (button.isDisplayed() && button.isEnabled() && button.getText().strip().equals(label)) {
                button.click();
                return;
            }
        }
    }

    @Test
    @Order(7)
    void logoutReturnsToTheLoginPage() {
        Browser b = browser();
        b.open(shellUrl("/system"));
        awaitShell();
        b.click("toggle-menu");
        b.click("logout");
        b.visible("login-user-input");
        b.visible("login-button");
        b.screenshot("logged-out");
    }

    @Test
    @Order(8)
    void wrongPasswordShowsTheError() {
        Browser b = browser();
        // the host key is known since the first login: the answer is about the password alone (after a host-key
        // question Cockpit's login page shows only "Authentication failed")
        submitLogin("not-the-password");
        String error = b.visible("login-error-message").getText();
        b.screenshot("wrong-password");
        assertTrue(error.toLowerCase(Locale.ROOT).contains("wrong user name or password"), error);
    }

    /** The shell remembered "any" for this user: the next login starts sudo with the login password (X-Superuser). */
    @Test
    @Order(9)
    void loginAgainReusesThePasswordForAdministrativeAccess() {
        Browser b = browser();
        submitLogin(SystemdTarget.PASSWORD);
        // the key is known now: straight into the shell
        awaitShell();
        assertEquals("Administrative access", superuserState());
        b.screenshot("administrative-access-at-login");
        b.click("toggle-menu");
        b.click("logout");
        b.visible("login-user-input");
    }

    @Test
    @Order(10)
    void changedHostKeyShowsTheKeyChangedDialog() {
        Browser b = browser();
        target().replaceHostKeys();
        submitLogin(SystemdTarget.PASSWORD);
        b.visible("hostkey-group");
        String fingerprint = b.visible("hostkey-fingerprint").getText().strip();
        String page = b.text();
        b.screenshot("hostkey-changed");
        assertNotEquals(firstFingerprint, fingerprint);
        assertTrue(page.toLowerCase(Locale.ROOT).contains("changed"), page);
        // accepting the new key logs in
        b.click("login-button");
        awaitShell();
        b.screenshot("shell-after-new-key");
    }

    /** The gateway's per-response Content-Security-Policy (docs/protocol.md §1.6) let every page of the flow load and connect. */
    @Test
    @Order(11)
    void noContentSecurityPolicyViolations() throws IOException {
        collectConsole();
        assertEquals(List.of(), cspViolations);
    }
}
