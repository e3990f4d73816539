package com.anycontact.innolicense.server;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The fixture of every {@code *BrowserIT}: one headless Chromium per test class, driven by Selenium, from the
 * Debian packages {@code chromium} and {@code chromium-driver} ({@code .ci/run} installs them; nothing is
 * downloaded, the driver and the browser are given by path). Register it as a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final BrowserSession BROWSER = new BrowserSession(1400, 1000);
 * }</pre>
 *
 * <p>Before all tests of the class it skips them, loudly, when the browser or its driver is not installed, and
 * starts the browser with a fresh profile; before each test it forgets cookies, opens a blank page and drops the
 * console messages of the test before; after each test it closes the servers handed to {@link #serve}; after all
 * it quits the browser and deletes the profile.
 */
final class BrowserSession implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /**
     * How long a page may take to load and answer a click: each wait ends as soon as its condition holds, and
     * Chromium on a build machine shared by many jobs can take many seconds for what takes milliseconds here.
     */
    static final Duration PAGE = Duration.ofSeconds(30);

    private final int width;
    private final int height;
    private final List<RunningServer> served = new ArrayList<>();
    private Path profile;
    private ChromeDriver driver;

    /** A browser window of {@code width} × {@code height} pixels. */
    BrowserSession(int width, int height) {
        this.width = width;
        this.height = height;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        assumeInstalled();
        profile = Files.createTempDirectory("innolicense-chromium-");
        driver = start(profile, width, height);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        driver.manage().deleteAllCookies();
        driver.get("about:blank");
        driver.manage().logs().get(LogType.BROWSER);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        served.forEach(RunningServer::close);
        served.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (driver != null) {
            driver.quit();
        }
        if (profile != null) {
            deleteProfile(profile);
        }
    }

    /** The browser. */
    ChromeDriver driver() {
        return driver;
    }

    /**
     * Starts {@code running}'s server listening, closes it after the test, and answers its base URL ({@code
     * http://127.0.0.1:PORT}).
     */
    String serve(RunningServer running) {
        served.add(running);
        return "http://127.0.0.1:" + running.server.start();
    }

    /** A wait of {@link #PAGE} that polls every 50 ms and looks again at an element replaced meanwhile. */
    WebDriverWait waiting() {
        return waiting(PAGE);
    }

    /** A wait of {@code timeout} that polls every 50 ms and looks again at an element replaced meanwhile. */
    WebDriverWait waiting(Duration timeout) {
        WebDriverWait wait = new WebDriverWait(driver, timeout, Duration.ofMillis(50));
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    /** The element, once it is visible. */
    WebElement visible(By by) {
        return waiting().until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /** Fills the sign-in form on the page shown and submits it; waits for nothing after. */
    void submitSignIn(String user, String password) {
        visible(By.id("username")).sendKeys(user);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.id("sign-in")).click();
    }

    /** Signs in on the server at {@code base} and waits for the dashboard to show who is signed in. */
    void signIn(String base, String user, String password) {
        driver.manage().deleteAllCookies();
        driver.get(base + "/login");
        submitSignIn(user, password);
        waiting().until(ExpectedConditions.urlContains("/dashboard"));
        visible(By.id("user-name"));
    }

    /** Signs in as {@code admin} with {@link RunningServer#ADMIN_PASSWORD}. */
    void signInAsAdmin(String base) {
        signIn(base, "admin", RunningServer.ADMIN_PASSWORD);
    }

    /** Runs {@code script} in the page. */
    Object script(String script, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(script, arguments);
    }

    /**
     * The script errors and policy violations in the browser console since the test began (a resource that
     * failed to load is left to the test that caused it).
     */
    List<LogEntry> scriptErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .filter(entry -> !entry.getMessage().contains("Failed to load resource"))
                .toList();
    }

    /**
     * Writes the window as {@code target/screenshots/NAME}, and also into the directory named by the system
     * property {@code innolicense.screenshots} when it is set (the README's come from there).
     */
    Path screenshot(String name) throws IOException {
        return keep(name, driver.getScreenshotAs(OutputType.BYTES));
    }

    /** As {@link #screenshot(String)}, of one element scrolled into view. */
    Path screenshot(String name, WebElement element) throws IOException {
        script("arguments[0].scrollIntoView();", element);
        return keep(name, element.getScreenshotAs(OutputType.BYTES));
    }

    private static Path keep(String name, byte[] png) throws IOException {
        Path directory = Path.of("target", "screenshots");
        Files.createDirectories(directory);
        Path file = Files.write(directory.resolve(name), png);
        String wanted = System.getProperty("innolicense.screenshots");
        if (wanted != null && !wanted.isBlank()) {
            Path target = Path.of(wanted);
            Files.createDirectories(target);
            Files.copy(file, target.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }

    private static void assumeInstalled() {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed) {
            System.err.println("SKIPPING BROWSER TESTS: " + CHROMIUM + " or " + CHROMEDRIVER + " is missing;"
                    + " install them with: apt-get install -y chromium chromium-driver (.ci/run does)");
        }
        Assumptions.assumeTrue(
                installed,
                "browser tests need " + CHROMIUM + " and " + CHROMEDRIVER
                        + " (Debian packages chromium and chromium-driver; .ci/run installs them)");
    }

    private static ChromeDriver start(Path profile, int width, int height) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--no-default-browser-check",
                "--lang=en-GB",
                "--force-device-scale-factor=1",
                "--window-size=" + width + "," + height,
                "--user-data-dir=" + profile.toAbsolutePath());
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", "en-GB"));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogOutput(java.io.OutputStream.nullOutputStream())
                .build();
        ChromeDriver started = new ChromeDriver(service, options);
        started.manage().timeouts().scriptTimeout(PAGE);
        return started;
    }

    private static void deleteProfile(Path directory) {
        try (var paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            // a profile left in the temp directory is harmless
        }
    }
}
