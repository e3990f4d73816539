package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * AC Admin's Alerts section in headless Chromium against a real server and a real local webhook receiver: a rule
 * set, a webhook added with its secret shown once, a test event sent and its delivery log, the SMTP server saved
 * without its password coming back, and an alert fired listed.
 */
class AlertsBrowserIT {

    private static final Duration PAGE = Duration.ofSeconds(10);
    private static final String SMTP_PASSWORD = "the smtp password 4711";

    private static Path profile;
    private static ChromeDriver browser;

    @TempDir
    Path data;

    private RunningServer running;
    private WebhookReceiver receiver;
    private String base;

    @BeforeAll
    static void startBrowser() {
        Browser.assumeInstalled();
        profile = Browser.tempProfile();
        browser = Browser.start(profile, 1400, 1600);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            Browser.deleteQuietly(profile);
        }
    }

    @BeforeEach
    void startServer() {
        running = RunningServer.start(data, new FakeTime(Instant.now().truncatedTo(ChronoUnit.SECONDS)));
        base = "http://127.0.0.1:" + running.server.start();
        receiver = new WebhookReceiver();
        browser.manage().deleteAllCookies();
        browser.get("about:blank");
        browser.manage().logs().get(LogType.BROWSER);
    }

    @AfterEach
    void stopServer() {
        if (running != null) {
            running.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void theAlertsSection_setsRulesSubscriptionsAndSmtp_andSendsATestEvent() throws IOException {
        running.apply(1, 10);
        signInAsAdmin();
        browser.get(base + "/admin#alerts");

        WebElement usage = visible(By.cssSelector("tr[data-rule='USAGE_HIGH']"));
        WebElement percent = usage.findElement(By.cssSelector("input[data-field='percent']"));
        percent.clear();
        percent.sendKeys("80");
        usage.findElement(By.tagName("button")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("alert-rules-message"), "saved"));
        assertThat(running.api
                        .get("/api/v1/alerts/rules", RunningServer.ADMIN_TOKEN)
                        .json()
                        .path("rules")
                        .findValues("percent"))
                .anySatisfy(value -> assertThat(value.asInt()).isEqualTo(80));

        visible(By.id("alert-subscription-name")).sendKeys("ops hook");
        new Select(browser.findElement(By.id("alert-subscription-channel"))).selectByValue("WEBHOOK");
        browser.findElement(By.id("alert-subscription-target")).sendKeys(receiver.url());
        browser.findElement(By.cssSelector("#alert-subscription-form button[type='submit']"))
                .click();
        String secret = visible(By.id("alert-new-secret-value")).getDomProperty("value");
        assertThat(secret).startsWith("whsec_");

        WebElement row = visible(By.cssSelector("tr[data-subscription]"));
        row.findElement(By.cssSelector("button[aria-label^='Send test event']")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("alert-test-result"), "delivered"));
        visible(By.cssSelector("#alert-delivery-rows tr[data-outcome='DELIVERED']"));
        assertThat(receiver.received()).hasSize(1);

        visible(By.id("alert-smtp-host")).sendKeys("smtp.example.com");
        WebElement port = browser.findElement(By.id("alert-smtp-port"));
        port.clear();
        port.sendKeys("587");
        browser.findElement(By.id("alert-smtp-username")).sendKeys("alerts");
        browser.findElement(By.id("alert-smtp-password")).sendKeys(SMTP_PASSWORD);
        browser.findElement(By.id("alert-smtp-from")).sendKeys("licensing@example.com");
        browser.findElement(By.cssSelector("#alert-smtp-form button[type='submit']"))
                .click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("alert-smtp-message"), "Saved"));
        WebElement password = browser.findElement(By.id("alert-smtp-password"));
        assertThat(password.getDomProperty("value")).isEmpty();
        assertThat(password.getDomAttribute("placeholder")).contains("leave empty to keep it");

        browser.navigate().refresh();
        visible(By.cssSelector("tr[data-alert]"));
        assertThat(browser.findElement(By.id("alert-fired-rows")).getText()).contains("License key applied");
        assertThat(browser.getPageSource()).doesNotContain(SMTP_PASSWORD).doesNotContain(secret);
        screenshot("ac-admin-alerts.png");

        List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .filter(entry -> !entry.getMessage().contains("Failed to load resource"))
                .toList();
        assertThat(errors).as("script errors in the browser console").isEmpty();
    }

    @Test
    void aSubscription_takesTheRulesChecked_andTheyAreChangedFromTheList() {
        signInAsAdmin();
        browser.get(base + "/admin#alerts");

        visible(By.id("alert-subscription-name")).sendKeys("license desk");
        new Select(browser.findElement(By.id("alert-subscription-channel"))).selectByValue("WEBHOOK");
        browser.findElement(By.id("alert-subscription-target")).sendKeys(receiver.url());
        for (String rule : List.of("USAGE_HIGH", "DENIAL", "CLOCK_JUMP")) {
            WebElement box = visible(By.cssSelector("#alert-subscription-rules input[data-rule='" + rule + "']"));
            assertThat(box.isSelected()).as(rule + " is checked by default").isTrue();
            box.click();
        }
        browser.findElement(By.cssSelector("#alert-subscription-form button[type='submit']"))
                .click();
        WebElement row = visible(By.cssSelector("tr[data-subscription]"));
        assertThat(row.getText()).contains("License key applied").doesNotContain("Seat use high");
        assertThat(subscriptionRules())
                .containsExactly(
                        "LICENSE_EXPIRING",
                        "GRACE_BEGAN",
                        "DEMO_BEGAN",
                        "KEY_APPLIED",
                        "KEY_REJECTED",
                        "NODE_MISSING",
                        "NODE_BACK");

        row.findElement(By.cssSelector("summary")).click();
        row.findElement(By.cssSelector("input[data-rule='KEY_APPLIED']")).click();
        row.findElement(By.cssSelector("button[aria-label^='Save rules']")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("alert-test-result"), "now takes"));
        assertThat(subscriptionRules()).doesNotContain("KEY_APPLIED").contains("KEY_REJECTED");

        running.apply(1, 10);
        running.server.deliverAlerts();
        assertThat(receiver.received())
                .as("a KEY_APPLIED alert the subscription no longer takes")
                .isEmpty();

        WebElement changed = visible(By.cssSelector("tr[data-subscription]"));
        changed.findElement(By.cssSelector("summary")).click();
        for (WebElement box : changed.findElements(By.cssSelector("input[data-rule]"))) {
            if (!box.isSelected()) {
                box.click();
            }
        }
        changed.findElement(By.cssSelector("button[aria-label^='Save rules']")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("alert-test-result"), "All rules"));
        assertThat(running.api
                        .get("/api/v1/alerts/subscriptions", RunningServer.ADMIN_TOKEN)
                        .json()
                        .path("subscriptions")
                        .get(0)
                        .path("allRules")
                        .asBoolean())
                .isTrue();
    }

    private List<String> subscriptionRules() {
        List<String> rules = new java.util.ArrayList<>();
        running.api
                .get("/api/v1/alerts/subscriptions", RunningServer.ADMIN_TOKEN)
                .json()
                .path("subscriptions")
                .get(0)
                .path("rules")
                .forEach(rule -> rules.add(rule.asText()));
        return rules;
    }

    private void signInAsAdmin() {
        browser.get(base + "/");
        waiting().until(ExpectedConditions.urlContains("/login"));
        visible(By.id("username")).sendKeys("admin");
        browser.findElement(By.id("password")).sendKeys(RunningServer.ADMIN_PASSWORD);
        browser.findElement(By.id("sign-in")).click();
        waiting().until(ExpectedConditions.urlContains("/dashboard"));
        visible(By.id("user-name"));
    }

    private WebDriverWait waiting() {
        WebDriverWait wait = new WebDriverWait(browser, PAGE, Duration.ofMillis(50));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return wait;
    }

    private WebElement visible(By by) {
        return waiting().until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    private void screenshot(String name) throws IOException {
        Path directory = Path.of("target", "screenshots");
        Files.createDirectories(directory);
        Path file = directory.resolve(name);
        Files.write(file, browser.getScreenshotAs(OutputType.BYTES));
        String wanted = System.getProperty("innolicense.screenshots");
        if (wanted != null && !wanted.isBlank()) {
            Path target = Path.of(wanted);
            Files.createDirectories(target);
            Files.copy(file, target.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
