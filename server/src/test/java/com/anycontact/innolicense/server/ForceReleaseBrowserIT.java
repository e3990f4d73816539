package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
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
 * Force-release in headless Chromium against the real server: the "Release…" button of the dashboard's agent
 * list, its confirmation dialog with a reason and a block, the list of blocked agents with "Lift block"; and
 * AC Admin's "Verify chain" button. Skipped, loudly, where Chromium or its driver is not installed.
 */
class ForceReleaseBrowserIT {

    @RegisterExtension
    static final BrowserSession BROWSER = new BrowserSession(1400, 1000);

    private final ChromeDriver browser = BROWSER.driver();

    @TempDir
    Path dataDirectory;

    private RunningServer running;
    private String base;
    private String acd;

    @BeforeEach
    void startServer() {
        running = RunningServer.start(
                dataDirectory,
                new FakeTime(Instant.now().truncatedTo(ChronoUnit.SECONDS)),
                RunningServer.config(dataDirectory).toBuilder()
                        .leaseTtl(Duration.ofHours(3))
                        .build());
        base = BROWSER.serve(running);
        acd = running.token("ACD");
        running.api.postText(
                "/api/v1/license",
                RunningServer.ADMIN_TOKEN,
                TestVendor.key(
                        running.installation(),
                        1,
                        50,
                        LocalDate.now(TestVendor.ZONE).minusDays(30)));
        running.tick();
    }

    /** Signs in as admin and waits for the dashboard's live stream. */
    private void signInAsAdmin() {
        BROWSER.signInAsAdmin(base);
        BROWSER.waiting().until(ExpectedConditions.attributeToBe(By.id("connection"), "data-live", "true"));
    }

    @Test
    void releasingAnAgentFromTheDashboard_withAReasonAndABlock_releasesTheSeatAndListsTheBlock() {
        running.api.putJson("/api/v1/seats/agent-7", acd, "{\"node\": \"acd-1\", \"station\": \"desk 7\"}");
        running.api.putJson("/api/v1/seats/agent-8", acd, "{\"node\": \"acd-1\", \"station\": \"desk 8\"}");
        signInAsAdmin();

        BROWSER.visible(By.cssSelector("tr[data-agent='agent-7'] button.release"))
                .click();
        WebElement dialog = BROWSER.visible(By.id("release-dialog"));
        assertThat(dialog.findElement(By.id("release-title")).getText()).isEqualTo("Release the seat of agent-7?");
        browser.findElement(By.id("release-reason")).sendKeys("PC hung");
        new Select(browser.findElement(By.id("release-block"))).selectByVisibleText("5 minutes");
        browser.findElement(By.id("release-confirm")).click();

        BROWSER.waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("tr[data-agent='agent-7']"), 0));
        assertThat(BROWSER.visible(By.id("release-status")).getText()).startsWith("Released the seat of agent-7.");
        WebElement blocked = BROWSER.visible(By.cssSelector("tr[data-blocked='agent-7']"));
        assertThat(blocked.getText()).contains("PC hung");
        assertThat(browser.findElements(By.cssSelector("tr[data-agent='agent-8']")))
                .hasSize(1);
        Api.Reply renewal = running.api.putJson("/api/v1/seats/agent-7", acd, null);
        assertThat(renewal.problemType()).isEqualTo("released-by-administrator");
        assertThat(renewal.json().path("reason").asText()).isEqualTo("PC hung");
        assertThat(renewal.json().path("releasedBy").asText()).isEqualTo("admin");

        blocked.findElement(By.tagName("button")).click();

        BROWSER.waiting().until(ExpectedConditions.invisibilityOfElementLocated(By.id("blocks")));
        assertThat(running.api.putJson("/api/v1/seats/agent-7", acd, null).status())
                .isEqualTo(201);
    }

    @Test
    void cancellingTheDialog_releasesNothing() {
        running.api.putJson("/api/v1/seats/agent-7", acd, null);
        signInAsAdmin();

        BROWSER.visible(By.cssSelector("tr[data-agent='agent-7'] button.release"))
                .click();
        BROWSER.visible(By.id("release-cancel")).click();

        BROWSER.waiting().until(ExpectedConditions.invisibilityOfElementLocated(By.id("release-dialog")));
        assertThat(running.api
                        .get("/api/v1/seats", RunningServer.ADMIN_TOKEN)
                        .json()
                        .path("inUse")
                        .asInt())
                .isEqualTo(1);
    }

    @Test
    void verifyChainInAcAdmin_saysTheChainIsIntact() {
        signInAsAdmin();
        browser.get(base + "/admin#audit");

        BROWSER.visible(By.id("chain-verify")).click();

        BROWSER.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("chain-result"), "intact"));
        assertThat(browser.findElement(By.id("chain-result")).getText()).contains("Head hash");
    }
}
