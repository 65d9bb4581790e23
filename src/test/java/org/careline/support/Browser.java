package org.careline.support;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;

/**
 * A real headless Chromium for the console's browser tests: Debian's {@code chromium} driven by its
 * {@code chromedriver} (both installed by {@code .ci/run} with apt). Where either is missing or the browser will not
 * start, the test is skipped (a JUnit assumption), never failed: machines without them simply do not run these
 * tests. Selenium Manager is never asked for anything: the driver's path is given, so nothing is downloaded.
 */
public final class Browser implements AutoCloseable {

    public static final Path CHROMIUM = Path.of(System.getProperty("careline.chromium", "/usr/bin/chromium"));
    public static final Path CHROMEDRIVER = Path.of(System.getProperty("careline.chromedriver", "/usr/bin/chromedriver"));
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final ChromeDriver driver;
    private final String testName;
    private final String baseUrl;

    private Browser(ChromeDriver driver, String testName, String baseUrl) {
        this.driver = driver;
        this.testName = testName;
        this.baseUrl = baseUrl;
    }

    /** A desktop-size browser (1280x900) on {@code baseUrl} (e.g. http://127.0.0.1:8080), or the test is skipped. */
    public static Browser desktop(String testName, String baseUrl) {
        return start(testName, baseUrl, 1280, 900);
    }

    /** A phone-size browser (390x844, an iPhone 12-14 viewport), or the test is skipped. */
    public static Browser phone(String testName, String baseUrl) {
        return start(testName, baseUrl, 390, 844, true);
    }

    private static Browser start(String testName, String baseUrl, int width, int height) {
        return start(testName, baseUrl, width, height, false);
    }

    private static Browser start(String testName, String baseUrl, int width, int height, boolean phone) {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "no " + CHROMIUM + " (apt-get install chromium)");
        Assumptions.assumeTrue(Files.isExecutable(CHROMEDRIVER),
                "no " + CHROMEDRIVER + " (apt-get install chromium-driver)");
        // Selenium's own tracing would want the OpenTelemetry SDK, which the pom keeps out; Selenium Manager must
        // not look for (or download) a driver or a browser: both paths are given.
        System.setProperty("webdriver.remote.enableTracing", "false");
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        System.setProperty("SE_OFFLINE", "true");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                "--window-size=" + width + "," + height, "--disable-gpu", "--no-first-run",
                "--disable-extensions", "--disable-background-networking", "--disable-sync",
                "--disable-component-update", "--lang=en-US");
        if (phone) {
            // A desktop window is at least 500 px wide; the phone's viewport is emulated instead.
            options.setExperimentalOption("mobileEmulation", Map.of("deviceMetrics",
                    Map.of("width", width, "height", height, "pixelRatio", 2.0, "mobile", true, "touch", true)));
        }
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver;
        try {
            driver = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            service.stop();
            Assumptions.abort("chromium did not start: " + e.getClass().getSimpleName() + ": "
                    + firstLine(e.getMessage()));
            throw e; // not reached
        }
        driver.manage().timeouts().scriptTimeout(WAIT);
        return new Browser(driver, testName, baseUrl);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    public WebDriver driver() {
        return driver;
    }

    /** Opens {@code path} (e.g. /console/#/queues) on the base URL. */
    public Browser open(String path) {
        driver.get(baseUrl + path);
        return this;
    }

    /** The element with this data-test attribute, once it is visible. */
    public WebElement test(String dataTest) {
        return visible(By.cssSelector("[data-test=\"" + dataTest + "\"]"));
    }

    /** Every element with this data-test attribute now (none: an empty list). */
    public List<WebElement> all(String dataTest) {
        return driver.findElements(By.cssSelector("[data-test=\"" + dataTest + "\"]"));
    }

    public WebElement visible(By by) {
        return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    public WebElement byId(String id) {
        return visible(By.id(id));
    }

    /** Waits until the condition holds (the page polls and re-renders on its own). */
    public <T> T until(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, WAIT).until(condition);
    }

    public <T> T until(Duration atMost, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, atMost).until(condition);
    }

    /**
     * Waits until the element with this data-test attribute is visible and has this text somewhere in it. Pages
     * re-render what they poll, so an element found may be replaced before it is read: it is looked up again.
     */
    public WebElement untilText(String dataTest, String text) {
        until(d -> {
            try {
                List<WebElement> found = d.findElements(By.cssSelector("[data-test=\"" + dataTest + "\"]"));
                return !found.isEmpty() && found.get(0).isDisplayed() && found.get(0).getText().contains(text);
            } catch (StaleElementReferenceException e) {
                return false;
            }
        });
        return test(dataTest);
    }

    /** Waits until the element with this data-test attribute is enabled, then clicks it (looked up afresh). */
    public void click(String dataTest) {
        until(d -> {
            try {
                WebElement e = test(dataTest);
                if (!e.isEnabled()) {
                    return false;
                }
                e.click();
                return true;
            } catch (StaleElementReferenceException e) {
                return false;
            }
        });
    }

    public void type(String dataTest, String text) {
        WebElement e = test(dataTest);
        e.clear();
        e.sendKeys(text);
    }

    public Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** The page's width as laid out, and the widest element's right edge (overflow sideways shows as larger). */
    public long scrollWidth() {
        return ((Number) script("return document.documentElement.scrollWidth")).longValue();
    }

    public long viewportWidth() {
        return ((Number) script("return document.documentElement.clientWidth")).longValue();
    }

    /** The browser console's messages at SEVERE (script errors, CSP violations, failed loads) since the last call. */
    public List<String> severeLogs() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage).toList();
    }

    /** Saves target/screenshots/&lt;test&gt;-&lt;step&gt;.png and returns its path. */
    public Path screenshot(String step) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(testName + "-" + step + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
