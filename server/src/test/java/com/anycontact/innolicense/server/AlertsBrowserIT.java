package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * AC Admin's Alerts section in headless Chromium against a real server and a real local webhook receiver: a rule
 * set, a webhook added with its secret shown once, a test event sent and its delivery log, the SMTP server saved
 * without its password coming back, and an alert fired listed.
 */
class AlertsBrowserIT {

    private static final String SMTP_PASSWORD = "the smtp password 4711";

    @RegisterExtension
    static final BrowserSession BROWSER = new BrowserSession(1400, 1600);

    private final ChromeDriver browser = BROWSER.driver();

    @TempDir
    Path data;

    private RunningServer running;
    private WebhookReceiver receiver;
    private String base;

    @BeforeEach
    void startServer() {
        running = RunningServer.start(data, new FakeTime(Instant.now().truncatedTo(ChronoUnit.SECONDS)));
        base = BROWSER.serve(running);
        receiver = new WebhookReceiver();
    }

    @AfterEach
    void stopReceiver() {
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void theAlertsSection_setsRulesSubscriptionsAndSmtp_andSendsATestEvent() throws IOException {
        running.apply(1, 10);
        BROWSER.signInAsAdmin(base);
        browser.get(base + "/admin#alerts");

        WebElement usage = BROWSER.visible(By.cssSelector("tr[data-rule='USAGE_HIGH']"));
        WebElement percent = usage.findElement(By.cssSelector("input[data-field='percent']"));
        percent.clear();
        percent.sendKeys("80");
        usage.findElement(By.tagName("button")).click();
        BROWSER.waiting()
                .until(ExpectedConditions.textToBePresentInElementLocated(By.id("alert-rules-message"), "saved"));
        assertThat(running.api
                        .get("/api/v1/alerts/rules", RunningServer.ADMIN_TOKEN)
                        .json()
                        .path("rules")
                        .findValues("percent"))
                .anySatisfy(value -> assertThat(value.asInt()).isEqualTo(80));

        BROWSER.visible(By.id("alert-subscription-name")).sendKeys("ops hook");
        new Select(browser.findElement(By.id("alert-subscription-channel"))).selectByValue("WEBHOOK");
        browser.findElement(By.id("alert-subscription-target")).sendKeys(receiver.url());
        browser.findElement(By.cssSelector("#alert-subscription-form button[type='submit']"))
                .click();
        String secret = BROWSER.visible(By.id("alert-new-secret-value")).getDomProperty("value");
        assertThat(secret).startsWith("whsec_");

        WebElement row = BROWSER.visible(By.cssSelector("tr[data-subscription]"));
        row.findElement(By.cssSelector("button[aria-label^='Send test event']")).click();
        BROWSER.waiting()
                .until(ExpectedConditions.textToBePresentInElementLocated(By.id("alert-test-result"), "delivered"));
        BROWSER.visible(By.cssSelector("#alert-delivery-rows tr[data-outcome='DELIVERED']"));
        assertThat(receiver.received()).hasSize(1);

        BROWSER.visible(By.id("alert-smtp-host")).sendKeys("smtp.example.com");
        WebElement port = browser.findElement(By.id("alert-smtp-port"));
        port.clear();
        port.sendKeys("587");
        browser.findElement(By.id("alert-smtp-username")).sendKeys("alerts");
        browser.findElement(By.id("alert-smtp-password")).sendKeys(SMTP_PASSWORD);
        browser.findElement(By.id("alert-smtp-from")).sendKeys("licensing@example.com");
        browser.findElement(By.cssSelector("#alert-smtp-form button[type='submit']"))
                .click();
        BROWSER.waiting()
                .until(ExpectedConditions.textToBePresentInElementLocated(By.id("alert-smtp-message"), "Saved"));
        WebElement password = browser.findElement(By.id("alert-smtp-password"));
        assertThat(password.getDomProperty("value")).isEmpty();
        assertThat(password.getDomAttribute("placeholder")).contains("leave empty to keep it");

        browser.navigate().refresh();
        BROWSER.visible(By.cssSelector("tr[data-alert]"));
        assertThat(browser.findElement(By.id("alert-fired-rows")).getText()).contains("License key applied");
        assertThat(browser.getPageSource()).doesNotContain(SMTP_PASSWORD).doesNotContain(secret);
        BROWSER.screenshot("ac-admin-alerts.png");

        assertThat(BROWSER.scriptErrors())
                .as("script errors in the browser console")
                .isEmpty();
    }

    @Test
    void aSubscription_takesTheRulesChecked_andTheyAreChangedFromTheList() {
        BROWSER.signInAsAdmin(base);
        browser.get(base + "/admin#alerts");

        BROWSER.visible(By.id("alert-subscription-name")).sendKeys("license desk");
        new Select(browser.findElement(By.id("alert-subscription-channel"))).selectByValue("WEBHOOK");
        browser.findElement(By.id("alert-subscription-target")).sendKeys(receiver.url());
        for (String rule : List.of("USAGE_HIGH", "DENIAL", "CLOCK_JUMP")) {
            WebElement box =
                    BROWSER.visible(By.cssSelector("#alert-subscription-rules input[data-rule='" + rule + "']"));
            assertThat(box.isSelected()).as(rule + " is checked by default").isTrue();
            box.click();
        }
        browser.findElement(By.cssSelector("#alert-subscription-form button[type='submit']"))
                .click();
        WebElement row = BROWSER.visible(By.cssSelector("tr[data-subscription]"));
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
        BROWSER.waiting()
                .until(ExpectedConditions.textToBePresentInElementLocated(By.id("alert-test-result"), "now takes"));
        assertThat(subscriptionRules()).doesNotContain("KEY_APPLIED").contains("KEY_REJECTED");

        running.apply(1, 10);
        running.server.deliverAlerts();
        assertThat(receiver.received())
                .as("a KEY_APPLIED alert the subscription no longer takes")
                .isEmpty();

        WebElement changed = BROWSER.visible(By.cssSelector("tr[data-subscription]"));
        changed.findElement(By.cssSelector("summary")).click();
        for (WebElement box : changed.findElements(By.cssSelector("input[data-rule]"))) {
            if (!box.isSelected()) {
                box.click();
            }
        }
        changed.findElement(By.cssSelector("button[aria-label^='Save rules']")).click();
        BROWSER.waiting()
                .until(ExpectedConditions.textToBePresentInElementLocated(By.id("alert-test-result"), "All rules"));
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
        List<String> rules = new ArrayList<>();
        running.api
                .get("/api/v1/alerts/subscriptions", RunningServer.ADMIN_TOKEN)
                .json()
                .path("subscriptions")
                .get(0)
                .path("rules")
                .forEach(rule -> rules.add(rule.asText()));
        return rules;
    }
}
