package io.cockpitwsjava.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven by Debian's chromedriver through Selenium: fixed binary paths (Selenium Manager
 * never downloads anything), a fresh profile per instance, and numbered PNG screenshots under a directory.
 */
public final class Browser implements AutoCloseable {
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriver driver;
    private final Path profile;
    private final Path screenshots;
    private final Duration timeout;
    private int step;

    private Browser(ChromeDriver driver, Path profile, Path screenshots, Duration timeout) {
        this.driver = driver;
        this.profile = profile;
        this.screenshots = screenshots;
        this.timeout = timeout;
    }

    /** Starts Chromium; screenshots go to {@code screenshots} (emptied first). Skips the test without chromium. */
    public static Browser start(Path screenshots, Duration timeout) {
        return start(screenshots, timeout, false);
    }

    /**
     * As {@link #start(Path, Duration)}; with {@code networkLog} Chromium also records its DevTools network events,
     * read back with {@link #networkEvents()}.
     */
    public static Browser start(Path screenshots, Duration timeout, boolean networkLog) {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Debian's chromium and chromium-driver are not installed (src/scripts/install-deps installs them)");
        try {
            Path profile = Files.createTempDirectory("chromium-profile");
            if (Files.isDirectory(screenshots)) {
                try (var old = Files.list(screenshots)) {
                    for (Path p : old.toList()) {
                        Files.delete(p);
                    }
                }
            }
            Files.createDirectories(screenshots);
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=1280,900", "--user-data-dir=" + profile);
            // console messages (CSP violations, failed loads) are read back with consoleMessages()
            options.setCapability("goog:loggingPrefs", networkLog
                    ? java.util.Map.of("browser", "ALL", "performance", "ALL")
                    : java.util.Map.of("browser", "ALL"));
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
            return new Browser(new ChromeDriver(service, options), profile, screenshots, timeout);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * DevTools events recorded since the last call (only with {@code networkLog}): each a JSON object
     * {@code {"message":{"method":…,"params":…}}}.
     */
    public List<String> networkEvents() {
        return driver.manage().logs().get("performance").getAll().stream().map(e -> e.getMessage()).toList();
    }

    /** Empties the browser's HTTP cache (cookies and local storage stay). */
    public void clearCache() {
        driver.executeCdpCommand("Network.clearBrowserCache", java.util.Map.of());
    }

    public WebDriver driver() {
        return driver;
    }

    public void open(String url) {
        driver.switchTo().defaultContent();
        driver.get(url);
    }

    /** Waits until {@code condition} answers non-null/true, with the page's text in the failure message. */
    public <T> T await(String what, Function<WebDriver, T> condition) {
        try {
            // React re-renders dialogs while we look at them: a stale or not-yet-interactable element means "not yet"
            return new WebDriverWait(driver, timeout, Duration.ofMillis(200)).withMessage(what)
                    .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                    .ignoring(org.openqa.selenium.ElementNotInteractableException.class)
                    .until(condition);
        } catch (org.openqa.selenium.TimeoutException e) {
            Path shot = screenshot("FAILED-" + what.replaceAll("[^A-Za-z0-9]+", "-"));
            String page;
            try {
                page = text();
            } catch (RuntimeException unreadable) {
                page = "(unreadable: " + unreadable.getMessage() + ")";
            }
            throw new AssertionError("not seen within " + timeout + ": " + what + " (screenshot " + shot
                    + "); current frame's text: " + page.substring(0, Math.min(600, page.length())), null);
        }
    }

    /** A displayed element with this id in the current frame. */
    public WebElement visible(String id) {
        return await("#" + id + " visible", d -> {
            List<WebElement> found = d.findElements(By.id(id));
            return !found.isEmpty() && found.get(0).isDisplayed() ? found.get(0) : null;
        });
    }

    public boolean isVisible(String id) {
        List<WebElement> found = driver.findElements(By.id(id));
        return !found.isEmpty() && found.get(0).isDisplayed();
    }

    /** Types into the element once it is visible, enabled and accepts input (dialogs enable fields late). */
    public void type(String id, String text) {
        await("#" + id + " accepts input", d -> {
            List<WebElement> found = d.findElements(By.id(id));
            if (found.isEmpty() || !found.get(0).isDisplayed() || !found.get(0).isEnabled()) {
                return null;
            }
            try {
                found.get(0).clear();
                found.get(0).sendKeys(text);
                return true;
            } catch (org.openqa.selenium.InvalidElementStateException | org.openqa.selenium.StaleElementReferenceException e) {
                return null; // not interactable yet: try again
            }
        });
    }

    public void click(String id) {
        await("#" + id + " clickable", d -> {
            List<WebElement> found = d.findElements(By.id(id));
            if (found.isEmpty() || !found.get(0).isDisplayed() || !found.get(0).isEnabled()) {
                return null;
            }
            try {
                found.get(0).click();
                return true;
            } catch (org.openqa.selenium.ElementNotInteractableException | org.openqa.selenium.StaleElementReferenceException e) {
                return null;
            }
        });
    }

    /** Switches into the Cockpit page frame with this name (e.g. {@code cockpit1:localhost/system}) once it exists. */
    public void enterFrame(String name) {
        driver.switchTo().defaultContent();
        await("frame " + name, d -> {
            List<WebElement> frames = d.findElements(By.cssSelector("iframe[name='" + name + "']"));
            if (frames.isEmpty()) {
                return null;
            }
            d.switchTo().frame(frames.get(0));
            return true;
        });
    }

    public void leaveFrame() {
        driver.switchTo().defaultContent();
    }

    /** The visible text of the current frame's body. */
    public String text() {
        return driver.findElement(By.tagName("body")).getText();
    }

    public Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** Console messages of all pages and frames since the last call ({@code LEVEL message}). */
    public List<String> consoleMessages() {
        try {
            return driver.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll().stream()
                    .map(e -> e.getLevel() + " " + e.getMessage()).toList();
        } catch (RuntimeException e) {
            return List.of("(console log unavailable: " + e.getMessage() + ")");
        }
    }

    /** Runs asynchronous JavaScript: the script calls {@code arguments[arguments.length - 1]} with its result. */
    public Object asyncScript(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript(js, args);
    }

    /** Saves {@code NN-name.png} (the whole window, whatever frame is current). */
    public Path screenshot(String name) {
        step++;
        Path out = screenshots.resolve(String.format("%02d-%s.png", step, name));
        try {
            File f = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Files.move(f.toPath(), out, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            System.err.println("screenshot " + out + " failed: " + e);
        }
        return out;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteTree(profile);
        }
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp profile is harmless
        }
    }
}
