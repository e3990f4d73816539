package com.anycontact.innolicense.server;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Headless Chromium driven by Selenium, from the Debian packages {@code chromium} and {@code chromium-driver}
 * ({@code .ci/run} installs them). Nothing is downloaded: the driver and the browser are given by path.
 */
final class Browser {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private Browser() {}

    /** Skips the calling tests, loudly, when the browser or its driver is not installed. */
    static void assumeInstalled() {
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

    /** A new headless browser with a fresh profile in {@code profile}, {@code width} × {@code height}. */
    static ChromeDriver start(Path profile, int width, int height) {
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
                .withLogOutput(nullOutput())
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
        return driver;
    }

    private static java.io.OutputStream nullOutput() {
        return java.io.OutputStream.nullOutputStream();
    }

    static Path tempProfile() {
        try {
            return Files.createTempDirectory("innolicense-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteQuietly(Path directory) {
        try (var paths = Files.walk(directory)) {
            paths.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            // a profile left in the temp directory is harmless
        }
    }
}
