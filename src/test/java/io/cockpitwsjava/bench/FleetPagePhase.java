package io.cockpitwsjava.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.openqa.selenium.chrome.ChromeDriver;

import io.cockpitwsjava.testing.Browser;

/**
 * The fleet page at {@code <gateway>/fleet/} in Debian's headless Chromium, signed in with a users file, against the
 * benchmark's fleet. The browser signs in once, on a gateway started only for that (the gateways share the cookie's
 * key); then each repetition starts a new gateway and opens the page as soon as it answers {@code /ping} (the rows
 * start "unknown" while the prober makes its first round), then reloads the page once every host is up.
 *
 * <p>All times are taken inside the page, in milliseconds of {@code performance.now()}, whose zero is the start of
 * the navigation (the document's time origin). A script that Chromium runs in every new document before the page's
 * own (DevTools {@code Page.addScriptToEvaluateOnNewDocument}) records:
 * <ul>
 * <li>{@code fcp}: the browser's {@code first-contentful-paint} entry (usually the "Loading hosts…" spinner);</li>
 * <li>{@code dom}: when a DOM mutation leaves {@code #hosts-view} shown with all rows in {@code #hosts-body} (the page
 * inserts them in one task);</li>
 * <li>{@code painted}: the render time of the first row's name cell (host name and address), from an Element Timing
 * entry ({@code elementtiming} is set on that cell in the same mutation callback, before the frame is drawn; Chromium
 * reports text by its containing block, so not on the inline link): the first paint of the host table with all its
 * rows (rows further down are in the same frame but outside the window, which Element Timing does not report);</li>
 * <li>{@code final}: when a DOM mutation leaves every row showing "Up" (the host's final state here: every host is
 * up), and {@code finalPainted}: the render time of that change, from the Element Timing entry of a small new
 * element the probe adds in the same mutation callback (a cell that was painted before gets no entry of its own when
 * it changes; the new element is drawn in the same frame as the change).</li>
 * </ul>
 * Any failure (no sign-in, rows missing, no Element Timing entry) throws, with a screenshot.
 */
final class FleetPagePhase {
    static final Duration TIMEOUT = Duration.ofMinutes(5);
    static final String USER = "bench";

    /** Runs in every new document before the page's scripts; {@code %d} is the number of hosts. */
    private static final String PROBE = """
            (() => {
              if (!location.pathname.endsWith('/fleet/')) return;
              const N = %d;
              const out = window.__fleetBench = {fcp: null, dom: null, painted: null, final: null, finalPainted: null,
                                                 errors: []};
              try {
                new PerformanceObserver(l => { for (const e of l.getEntries()) {
                    if (e.identifier === 'bench-first-row' && out.painted === null) out.painted = e.renderTime;
                    if (e.identifier === 'bench-final' && out.finalPainted === null) out.finalPainted = e.renderTime;
                  } }).observe({type: 'element', buffered: true});
                new PerformanceObserver(l => { for (const e of l.getEntries())
                    if (e.name === 'first-contentful-paint') out.fcp = e.startTime;
                  }).observe({type: 'paint', buffered: true});
              } catch (e) { out.errors.push(String(e)); }
              const check = () => {
                const body = document.getElementById('hosts-body'), view = document.getElementById('hosts-view');
                if (!body || !view) return;
                if (out.dom === null && !view.hidden && body.children.length >= N) {
                  out.dom = performance.now();
                  // Chromium reports text by its containing block: the name cell, not the inline link in it
                  const cell = body.children[0].querySelector('th.fleet-name');
                  if (cell) cell.setAttribute('elementtiming', 'bench-first-row');
                  else out.errors.push('first row has no name cell');
                }
                if (out.dom !== null && out.final === null
                    && body.querySelectorAll('tr .fleet-state.fleet-up').length >= N) {
                  out.final = performance.now();
                  // a patched cell that was painted before gets no Element Timing entry: a new element, in the
                  // same DOM change and so in the same frame, does
                  const marker = document.createElement('div');
                  marker.textContent = 'measured';
                  marker.setAttribute('elementtiming', 'bench-final');
                  marker.setAttribute('aria-hidden', 'true');
                  marker.style.cssText = 'position:fixed;right:2px;bottom:2px;font-size:9px;color:rgba(0,0,0,.1);'
                      + 'pointer-events:none';
                  document.body.append(marker);
                }
              };
              new MutationObserver(check).observe(document, {subtree: true, childList: true, attributes: true,
                                                             attributeFilter: ['hidden']});
            })();
            """;

    /** One page load, in ms from the navigation's start; {@code finalMs} NaN when not awaited. */
    record Load(double fcp, double dom, double painted, double finalMs, double finalPainted) {
    }

    /** A repetition: the load right after the gateway's start, and reloads with every host up. */
    record Rep(double navigationAfterStart, double fullStatusAfterStart, Load cold, List<Load> warm) {
    }

    private final FleetBenchmark bench;
    private final int hosts;
    private final Path shots;

    FleetPagePhase(FleetBenchmark bench, int hosts, Path shots) {
        this.bench = bench;
        this.hosts = hosts;
        this.shots = shots;
    }

    /** Runs {@code reps} repetitions with the fleet settings given; prints each and returns them. */
    List<Rep> run(Map<String, String> fleetSettings, int reps, int reloads) throws Exception {
        if (!Files.isExecutable(Browser.CHROMIUM) || !Files.isExecutable(Browser.CHROMEDRIVER)) {
            throw new IllegalStateException("fleet page phase: " + Browser.CHROMIUM + " or " + Browser.CHROMEDRIVER
                    + " missing (src/scripts/install-deps installs them)");
        }
        String password = random(18);
        Path users = bench.work().resolve("users");
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        Files.writeString(users, USER + ":" + OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, 10)
                + ":ops\n");
        Files.setPosixFilePermissions(users, PosixFilePermissions.fromString("rw-------"));
        Map<String, String> settings = new HashMap<>(fleetSettings);
        settings.put("cockpit.fleet.sign-in.users-file", users.toString());
        // one key for every gateway of the phase: the sign-in cookie of the first stays valid for the next
        settings.put("quarkus.http.auth.session.encryption-key", random(33));

        List<Rep> out = new ArrayList<>();
        try (Browser b = Browser.start(shots, TIMEOUT)) {
            ChromeDriver driver = (ChromeDriver) b.driver();
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
            driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument",
                    Map.of("source", String.format(Locale.ROOT, PROBE, hosts)));
            // signed in once, on a gateway of its own, so that every measured gateway start is alike
            try (FleetBenchmark.Gateway g = FleetBenchmark.Gateway.start(bench, "page-sign-in", settings)) {
                signIn(b, "http://127.0.0.1:" + g.port() + "/fleet/", password);
            }
            for (int rep = 1; rep <= reps; rep++) {
                try (FleetBenchmark.Gateway g = FleetBenchmark.Gateway.start(bench, "page-rep" + rep, settings)) {
                    String page = "http://127.0.0.1:" + g.port() + "/fleet/";
                    long navigation = System.nanoTime();
                    Load cold = load(b, page, true, "rep" + rep + "-cold");
                    double fullStatus = FleetBenchmark.seconds(navigation - g.started) + cold.finalMs() / 1000;
                    List<Load> warm = new ArrayList<>();
                    for (int i = 1; i <= reloads; i++) {
                        warm.add(load(b, page, false, "rep" + rep + "-reload" + i));
                    }
                    Rep r = new Rep(FleetBenchmark.seconds(navigation - g.started), fullStatus, cold, warm);
                    System.out.println("fleet page rep " + rep + ": " + r + "; load average "
                            + FleetBenchmark.loadAverage());
                    out.add(r);
                }
            }
        }
        return out;
    }

    /** Signs in through the users-file form, which returns to the fleet page. */
    private static void signIn(Browser b, String page, String password) {
        b.open(page + "sign-in");
        b.visible("sign-in-form");
        b.type("sign-in-user", USER);
        b.type("sign-in-password", password);
        b.click("sign-in-button");
        b.await("the fleet page signed in as " + USER, d -> {
            var name = d.findElements(org.openqa.selenium.By.id("user-name"));
            return d.getCurrentUrl().equals(page) && !name.isEmpty() && name.get(0).getText().equals(USER);
        });
    }

    /** Opens the page and waits for the table's first paint and, when {@code awaitFinal}, for every host up. */
    private Load load(Browser b, String page, boolean awaitFinal, String label) {
        b.open(page);
        long end = System.nanoTime() + TIMEOUT.toNanos();
        Map<?, ?> m = Map.of();
        long domSeen = 0;
        while (System.nanoTime() < end) {
            Object v = b.script("return window.__fleetBench || null");
            if (!(v instanceof Map<?, ?> map)) {
                throw failed(b, label, "the probe script did not run in the page (" + v + ")");
            }
            m = map;
            if (!((List<?>) m.get("errors")).isEmpty()) {
                throw failed(b, label, "the probe script failed: " + m.get("errors"));
            }
            boolean painted = m.get("painted") != null && m.get("fcp") != null;
            if (m.get("dom") != null && domSeen == 0) {
                domSeen = System.nanoTime();
            }
            if (!painted && domSeen != 0 && System.nanoTime() - domSeen > Duration.ofSeconds(20).toNanos()) {
                throw failed(b, label, "rows in the DOM but no paint entry 20 s later: " + m);
            }
            boolean done = m.get("finalPainted") != null;
            if (painted && (done || !awaitFinal)) {
                b.screenshot(label);
                return new Load(ms(m, "fcp"), ms(m, "dom"), ms(m, "painted"), ms(m, "final"), ms(m, "finalPainted"));
            }
            FleetBenchmark.sleep(Duration.ofMillis(200));
        }
        throw failed(b, label, "not every value within " + TIMEOUT + ": " + m + "; page: " + summary(b));
    }

    private static String summary(Browser b) {
        try {
            return String.valueOf(b.script("const s = document.getElementById('summary');"
                    + "return (s ? s.textContent.replace(/\\s+/g, ' ') : 'no summary') + ', rows: '"
                    + " + document.querySelectorAll('#hosts-body tr').length"));
        } catch (RuntimeException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static IllegalStateException failed(Browser b, String label, String why) {
        Path shot = b.screenshot("FAILED-" + label);
        return new IllegalStateException("fleet page " + label + ": " + why + " (screenshot " + shot + ")");
    }

    private static double ms(Map<?, ?> m, String key) {
        Object v = m.get(key);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return new String(Base64.getUrlEncoder().withoutPadding().encode(b), StandardCharsets.US_ASCII);
    }

    /** Table rows: median and min–max over the repetitions. */
    static List<String[]> rows(List<Rep> reps, int hosts) {
        List<Load> cold = reps.stream().map(Rep::cold).toList();
        List<Load> warm = reps.stream().flatMap(r -> r.warm().stream()).toList();
        String n = " (" + reps.size() + " gateway starts)";
        List<String[]> out = new ArrayList<>();
        out.add(new String[] {"fleet page opened at gateway start: first paint of the table with " + hosts
                + " rows (navigation → Element Timing of the first row)", spread(cold, Load::painted, "ms") + n,
                "rows in the DOM " + spread(cold, Load::dom, "ms") + "; first contentful paint (spinner) "
                        + spread(cold, Load::fcp, "ms") + "; page opened " + spread(reps.stream()
                                .map(Rep::navigationAfterStart).toList(), "s") + " after JVM start"});
        out.add(new String[] {"fleet page opened at gateway start: every row shows Up (navigation → Element Timing"
                + " of that frame)", spread(cold, Load::finalPainted, "ms") + n, "DOM " + spread(cold, Load::finalMs, "ms")
                        + "; from JVM start " + spread(reps.stream().map(Rep::fullStatusAfterStart).toList(), "s")});
        out.add(new String[] {"fleet page reloaded with every host up: first paint of the table with " + hosts
                + " rows (final state)", spread(warm, Load::painted, "ms") + " (" + warm.size() + " loads)",
                "rows in the DOM " + spread(warm, Load::dom, "ms") + "; first contentful paint "
                        + spread(warm, Load::fcp, "ms")});
        return out;
    }

    private static String spread(List<Load> loads, java.util.function.ToDoubleFunction<Load> f, String unit) {
        return spread(loads.stream().map(l -> f.applyAsDouble(l)).toList(), unit);
    }

    private static String spread(List<Double> values, String unit) {
        Stats s = Stats.of(values);
        String fmt = unit.equals("s") ? "%.1f" : "%.0f";
        return String.format(Locale.ROOT, "median " + fmt + " %s (" + fmt + "–" + fmt + ")", s.median(), unit,
                s.min(), s.max());
    }
}
