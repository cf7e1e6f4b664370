package io.cockpitwsjava.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;

import io.cockpitwsjava.testing.Browser;
import io.cockpitwsjava.testing.SystemdTarget;

/**
 * The real Cockpit UI in Debian's headless Chromium, through a freshly started gateway, against systemd containers
 * (a plain sshd target has no D-Bus system bus, and the bridge exits when the Overview asks for one): the
 * <em>installed</em> target has Cockpit's bridge and packages ({@code bench.browser-image}), the <em>beiboot</em>
 * target only python3 ({@code bench.browser-beiboot-image}), so the gateway sends the bridge and serves the packages
 * itself. Both gateways reach the containers the same way: by their address on podman's bridge network, port 22.
 * Per target one unmeasured login first (it also accepts the unknown host key); then {@code browserLogins} times a
 * <em>cold</em> login (the browser's HTTP cache emptied first; cookies and local storage, with the known host key,
 * stay) and a <em>warm</em> one (the cache as the previous login left it: a repeat visit): fill the login form,
 * click "Log in" and time until the shell is visible and until the Overview shows the host name and OS. Every
 * measured login's requests (Chromium's DevTools network events up to "Overview loaded") are counted and written
 * to {@code browser-requests/} in the logs. Then in the Terminal {@code browserCommands} times {@code echo benchN},
 * timed inside the Terminal page from the Enter key's keydown to the arrival of the output line in that page (the
 * message cockpit.js in the page's frame receives from the shell; xterm paints it in the next animation frame,
 * which is not included: Cockpit's xterm draws on a canvas, and its accessibility text is refreshed at most once a
 * second). Login times are taken by polling through chromedriver every ~10 ms (a few ms of WebDriver overhead per
 * poll).
 */
final class BrowserPhase implements Phase {
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String[] TARGETS = { Testbed.INSTALLED, Testbed.BEIBOOT };

    @Override
    public String name() {
        return "browser";
    }

    @Override
    public List<ResultTable.Row> rows(BenchConfig c) {
        List<ResultTable.Row> rows = new ArrayList<>();
        for (String t : targets(c)) {
            String k = "browser." + t + ".";
            String goal = "≤ 0.6";
            rows.add(new ResultTable.Row(k + "shell.cold", "browser " + t + ": click Log in → shell visible, cache emptied", "ms", goal));
            rows.add(new ResultTable.Row(k + "shell.warm", "browser " + t + ": click Log in → shell visible, repeat visit", "ms", goal));
            rows.add(new ResultTable.Row(k + "overview.cold", "browser " + t + ": click Log in → Overview loaded, cache emptied", "ms", ""));
            rows.add(new ResultTable.Row(k + "overview.warm", "browser " + t + ": click Log in → Overview loaded, repeat visit", "ms", ""));
            rows.add(new ResultTable.Row(k + "requests.cold", "browser " + t + ": requests to the network until Overview loaded, cache emptied", "", ""));
            rows.add(new ResultTable.Row(k + "requests.warm", "browser " + t + ": requests to the network until Overview loaded, repeat visit", "", ""));
            rows.add(new ResultTable.Row(k + "kib.cold", "browser " + t + ": bytes on the wire until Overview loaded, cache emptied", "KiB", ""));
            rows.add(new ResultTable.Row(k + "kib.warm", "browser " + t + ": bytes on the wire until Overview loaded, repeat visit", "KiB", ""));
            rows.add(new ResultTable.Row(k + "cpu.cold", "browser " + t + ": gateway CPU from opening the login page to Overview loaded, cache emptied", "ms", ""));
            rows.add(new ResultTable.Row(k + "cpu.warm", "browser " + t + ": gateway CPU from opening the login page to Overview loaded, repeat visit", "ms", ""));
            rows.add(new ResultTable.Row(k + "terminal", "browser " + t + ": Terminal round trip (Enter → output in the page)", "ms", ""));
        }
        return rows;
    }

    /**
     * The targets in the order of repetition {@code rep}: rotated by one each repetition, so that no target always
     * meets the freshest gateway (its JIT work competes with Chromium for this machine's cores).
     */
    static List<String> order(List<String> targets, int rep) {
        List<String> out = new ArrayList<>(targets);
        if (!out.isEmpty()) {
            java.util.Collections.rotate(out, -((Math.max(rep, 1) - 1) % out.size()));
        }
        return out;
    }

    private static List<String> targets(BenchConfig c) {
        return c.browserBeibootImage().isBlank() ? List.of(Testbed.INSTALLED) : List.of(TARGETS);
    }

    @Override
    public void run(GatewaySpec spec, Testbed bed, Results r) throws Exception {
        BenchConfig c = bed.config;
        List<String> properties = List.of("-Dcockpit.web.login-page=" + c.browserLoginPage());
        java.nio.file.Path shots = bed.launch.workDir().resolve("screenshots").resolve(spec.label() + "-rep" + r.rep);
        java.nio.file.Path requests = bed.launch.workDir().resolve("browser-requests");
        java.nio.file.Files.createDirectories(requests);
        try (GatewayProcess g = bed.start(spec, "rep" + r.rep + ".browser", properties);
                Browser b = Browser.start(shots, TIMEOUT, true)) {
            b.driver().manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
            String base = "http://127.0.0.1:" + g.port() + "/";
            for (String name : order(targets(c), r.rep)) {
                SystemdTarget target = bed.browserTarget(Testbed.INSTALLED.equals(name) ? c.browserImage()
                        : c.browserBeibootImage());
                String k = "browser." + name + ".";
                login(b, base, target, true);
                logout(b);
                Map<String, List<Double>> values = new java.util.HashMap<>();
                for (int i = 0; i < c.browserLogins(); i++) {
                    for (String state : List.of("cold", "warm")) {
                        if (state.equals("cold")) {
                            b.clearCache();
                        }
                        b.networkEvents(); // forget what came before this login
                        double cpu = g.processes().cpuSeconds();
                        double[] ms = login(b, base, target, false);
                        // the gateway's whole process group (cockpit-ws: with its ssh and Python helpers); on this
                        // machine it shares the 2 cores with Chromium, so it is time the page may wait for
                        values.computeIfAbsent("cpu." + state, x -> new ArrayList<>())
                                .add((g.processes().cpuSeconds() - cpu) * 1000);
                        PageRequests page = PageRequests.parse(b.networkEvents());
                        java.nio.file.Files.writeString(requests.resolve(spec.label() + "-rep" + r.rep + "-" + name
                                + "-" + state + "-" + i + ".tsv"), String.format(java.util.Locale.ROOT,
                                "# shell visible after %.0f ms, Overview loaded after %.0f ms%n"
                                + "# on the request clock: Log in clicked at %.1f ms, shell seen visible at %.1f ms%n",
                                ms[0], ms[1], page.atWallClock(ms[2]), page.atWallClock(ms[3]))
                                + page.table() + "# WebSocket messages\n" + page.frameTable());
                        values.computeIfAbsent("shell." + state, x -> new ArrayList<>()).add(ms[0]);
                        values.computeIfAbsent("overview." + state, x -> new ArrayList<>()).add(ms[1]);
                        values.computeIfAbsent("requests." + state, x -> new ArrayList<>()).add((double) page.networkCount());
                        values.computeIfAbsent("kib." + state, x -> new ArrayList<>()).add(page.wireBytes() / 1024.0);
                        if (i < c.browserLogins() - 1 || state.equals("cold")) {
                            logout(b); // the last login stays for the Terminal
                        }
                    }
                }
                values.forEach((key, v) -> r.put(k + key, Stats.of(v).median()));
                r.put(k + "terminal", Stats.of(terminal(b, base, target, c.browserCommands())).median());
                logout(b);
            }
            Testbed.checkAlive(g);
        }
    }

    /**
     * Logs in through the form; returns ms from the click to the shell and to the loaded Overview. Only the warm-up
     * login may meet the host-key question (later logins find the key in the page's localStorage).
     */
    private static double[] login(Browser b, String base, SystemdTarget t, boolean warmUp) {
        b.open(base);
        b.visible("login-user-input");
        b.type("login-user-input", SystemdTarget.USER);
        b.type("login-password-input", SystemdTarget.PASSWORD);
        b.type("server-field", t.address());
        WebElement button = b.visible("login-button");
        double clickWall = browserClock(b);
        long t0 = System.nanoTime();
        button.click();
        WebDriver d = b.driver();
        boolean[] keyAccepted = { false };
        long shell = until(b, "shell visible", () -> {
            if (!keyAccepted[0] && b.isVisible("hostkey-group")) {
                if (!warmUp) {
                    throw new IllegalStateException("browser: host-key question in a measured login");
                }
                // a new browser profile does not know the container's host key yet: accept it once
                b.driver().findElement(By.id("login-button")).click();
                keyAccepted[0] = true;
                return false;
            }
            return !d.findElements(By.cssSelector("iframe[name^='cockpit1:']")).isEmpty()
                    && b.isVisible("super-user-indicator");
        });
        double shellWall = browserClock(b);
        long overview = until(b, "Overview loaded", () -> {
            d.switchTo().defaultContent();
            List<WebElement> frames = d.findElements(By.cssSelector("iframe[name='cockpit1:localhost/system']"));
            if (frames.isEmpty()) {
                return false;
            }
            d.switchTo().frame(frames.get(0));
            try {
                return nonBlank(d, ".ct-overview-header-hostname") && nonBlank(d, "#system_information_os_text");
            } finally {
                d.switchTo().defaultContent();
            }
        });
        return new double[] { (shell - t0) / 1e6, (overview - t0) / 1e6, clickWall, shellWall };
    }

    /** The page's wall clock in ms ({@code performance.timeOrigin + performance.now()}), NaN if it cannot say. */
    private static double browserClock(Browser b) {
        try {
            Object v = ((org.openqa.selenium.JavascriptExecutor) b.driver())
                    .executeScript("return performance.timeOrigin + performance.now();");
            return v instanceof Number n ? n.doubleValue() : Double.NaN;
        } catch (WebDriverException e) {
            return Double.NaN;
        }
    }

    private static boolean nonBlank(WebDriver d, String css) {
        List<WebElement> e = d.findElements(By.cssSelector(css));
        return !e.isEmpty() && !e.get(0).getText().isBlank();
    }

    /** Polls {@code condition} every ~10 ms until it holds; returns {@link System#nanoTime()} then. */
    private static long until(Browser b, String what, BooleanSupplier condition) {
        long end = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < end) {
            try {
                if (condition.getAsBoolean()) {
                    return System.nanoTime();
                }
            } catch (WebDriverException navigating) {
                // the page is being replaced (login → shell): look again
            }
            GatewayProcess.sleep(10);
        }
        java.nio.file.Path shot = b.screenshot("FAILED-" + what.replaceAll("[^A-Za-z0-9]+", "-"));
        throw new IllegalStateException("browser: not " + what + " within " + TIMEOUT + " (screenshot " + shot + ")");
    }

    private static void logout(Browser b) {
        b.leaveFrame();
        b.click("toggle-menu");
        b.click("logout");
        b.visible("login-user-input");
    }

    /**
     * Installed once in the terminal frame: notes when the Enter key goes down, and when a message that cockpit.js
     * in this frame receives from the shell (the frame's end of the WebSocket) contains {@code window.__benchWant}.
     */
    private static final String INSTALL_PROBES = """
            const ta = document.querySelector('.xterm-helper-textarea');
            ta.addEventListener('keydown', e => { if (e.key === 'Enter') window.__benchEnter = performance.now(); }, true);
            const decoder = new TextDecoder();
            window.addEventListener('message', ev => {
                const want = window.__benchWant;
                if (!want) return;
                let d = ev.data;
                if (typeof d !== 'string') {
                    try { d = decoder.decode(d); } catch (e) { return; }
                }
                if (d.includes(want)) { window.__benchHit = performance.now(); window.__benchWant = null; }
            }, true);
            """;

    /** Resolves with ms from the Enter keydown to the awaited output's arrival; -1 without keydown, -2 on timeout. */
    private static final String AWAIT_OUTPUT = """
            const done = arguments[arguments.length - 1], until = performance.now() + 20000;
            const check = () => {
                if (window.__benchHit != null) done(window.__benchEnter == null ? -1 : window.__benchHit - window.__benchEnter);
                else if (performance.now() > until) done(-2);
                else setTimeout(check, 5);
            };
            check();
            """;

    /** True when a line of xterm's accessibility tree (refreshed at most once a second) contains the text. */
    private static boolean onScreen(Browser b, String text) {
        return Boolean.TRUE.equals(b.script("const t = document.querySelector('.xterm-accessibility-tree');"
                + "return !!t && Array.from(t.children).some(e => e.textContent.includes(arguments[0]))", text));
    }

    private static List<Double> terminal(Browser b, String base, SystemdTarget t, int commands) {
        b.open(base + "=" + t.address() + "/system/terminal");
        b.enterFrame("cockpit1:localhost/system/terminal");
        // a prompt first: typing before the shell runs would be lost
        b.await("terminal prompt", d -> onScreen(b, "$") ? true : null);
        b.script(INSTALL_PROBES);
        List<Double> ms = new ArrayList<>();
        for (int k = 0; k < commands; k++) {
            String typed = "echo bench''" + k;
            WebElement input = b.driver().findElement(By.cssSelector(".xterm-helper-textarea"));
            input.sendKeys(typed);
            b.await("'" + typed + "' echoed by the shell", d -> onScreen(b, typed) ? true : null);
            // the output line, not the echoed command line (which has the quotes)
            b.script("window.__benchEnter = null; window.__benchHit = null; window.__benchWant = arguments[0]",
                    "bench" + k + "\r");
            input.sendKeys(Keys.ENTER);
            double took = ((Number) b.asyncScript(AWAIT_OUTPUT)).doubleValue();
            if (took < 0) {
                b.screenshot("FAILED-terminal-" + k);
                throw new IllegalStateException("browser: terminal output bench" + k + " not seen ("
                        + (took == -2 ? "20 s timeout" : "Enter keydown not seen") + ")");
            }
            ms.add(took);
        }
        b.screenshot("terminal");
        b.leaveFrame();
        return ms;
    }
}
