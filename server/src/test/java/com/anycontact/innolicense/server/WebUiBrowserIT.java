package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.access.Principal;
import com.anycontact.innolicense.access.Role;
import com.anycontact.innolicense.access.UserCreation;
import com.anycontact.innolicense.license.InstallationId;
import com.anycontact.innolicense.seat.AgentId;
import com.anycontact.innolicense.seat.ClaimRequest;
import com.anycontact.innolicense.seat.ClaimResult;
import com.anycontact.innolicense.seat.SeatLedger;
import java.io.IOException;
import java.nio.file.Files;
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
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * AC Admin and the AC Agent Dashboard in headless Chromium against the real server, started in this JVM on a
 * free port of 127.0.0.1. Skipped, loudly, where Chromium or its driver is not installed.
 *
 * <p>Screenshots of both screens are written to {@code target/screenshots}, and also to the directory named
 * by the system property {@code innolicense.screenshots} when it is set (the README's come from there).
 */
class WebUiBrowserIT {

    /**
     * How long the dashboard may take to show a change here. It shows it within a fraction of a second, pushed over
     * its event stream; without the stream it would show it only at its next refresh, a minute after it opened, so
     * 15 s still tells the two apart, and leaves room for a browser on a build machine shared by many jobs.
     */
    private static final Duration LIVE = Duration.ofSeconds(15);

    private static final String SUPERVISOR = "sam.supervisor";
    private static final String SUPERVISOR_PASSWORD = "supervisor password 2027";

    @RegisterExtension
    static final BrowserSession BROWSER = new BrowserSession(1400, 1000);

    private final ChromeDriver browser = BROWSER.driver();

    @TempDir
    Path dataDirectory;

    @TempDir
    Path files;

    private RunningServer running;
    private String base;
    private String acd;

    @BeforeEach
    void startServer() {
        startServer(dataDirectory, Instant.now());
    }

    /** The server under test, its clock set to {@code now}; leases last long enough for any clock move here. */
    private void startServer(Path data, Instant now) {
        running = RunningServer.start(
                data,
                new FakeTime(now.truncatedTo(ChronoUnit.SECONDS)),
                RunningServer.config(data).toBuilder()
                        .leaseTtl(Duration.ofHours(3))
                        .build());
        base = BROWSER.serve(running);
        acd = running.token("ACD");
    }

    // Keys

    private String key(long serial, int seats) {
        return TestVendor.key(
                running.installation(),
                serial,
                seats,
                LocalDate.now(TestVendor.ZONE).minusDays(30));
    }

    private String keyForAnotherInstallation() {
        InstallationId other = new InstallationId("IACD-AAAA-BBBB-CCCC-DDDD");
        return TestVendor.key(other, 1, 50, LocalDate.now(TestVendor.ZONE).minusDays(30));
    }

    // Browser steps

    private WebElement visible(String id) {
        return BROWSER.visible(By.id(id));
    }

    private void signIn(String user, String password) {
        BROWSER.signIn(base, user, password);
    }

    private void signInAsAdmin() {
        BROWSER.signInAsAdmin(base);
    }

    private void waitUntilLive() {
        BROWSER.waiting().until(ExpectedConditions.attributeToBe(By.id("connection"), "data-live", "true"));
    }

    private void pasteKey(String key) {
        WebElement textarea = visible("key-text");
        ((JavascriptExecutor) browser).executeScript("arguments[0].value = arguments[1];", textarea, key);
    }

    private long statusOf(String path) {
        Object status = ((JavascriptExecutor) browser)
                .executeAsyncScript(
                        "const done = arguments[arguments.length - 1];"
                                + " fetch(arguments[0], {credentials: 'same-origin'}).then(r => done(r.status),"
                                + " e => done(-1));",
                        path);
        return ((Number) status).longValue();
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(files.resolve(name), content);
    }

    private void createSupervisor() {
        UserCreation created = running.server
                .access()
                .createUser(
                        SUPERVISOR,
                        Role.SUPERVISOR,
                        SUPERVISOR_PASSWORD.toCharArray(),
                        new Principal("admin", Role.ADMIN, Principal.Kind.USER, "admin"));
        assertThat(created).isNotInstanceOf(com.anycontact.innolicense.access.InvalidInput.class);
    }

    // Tests

    @Test
    void signingIn_landsOnTheDashboard_andTheRootPathFollowsTheSession() {
        browser.get(base + "/");
        BROWSER.waiting().until(ExpectedConditions.urlContains("/login"));
        visible("username").sendKeys("admin");
        browser.findElement(By.id("password")).sendKeys("not the password");
        browser.findElement(By.id("sign-in")).click();
        assertThat(visible("login-error").getText()).isEqualTo("Wrong user name or password.");

        browser.findElement(By.id("password")).clear();
        browser.findElement(By.id("password")).sendKeys(RunningServer.ADMIN_PASSWORD);
        browser.findElement(By.id("sign-in")).click();

        BROWSER.waiting().until(ExpectedConditions.urlContains("/dashboard"));
        assertThat(visible("user-name").getText()).isEqualTo("admin (Administrator)");
        assertThat(visible("nav-admin").getText()).isEqualTo("AC Admin");
        browser.get(base + "/");
        BROWSER.waiting().until(ExpectedConditions.urlContains("/dashboard"));

        browser.findElement(By.id("sign-out")).click();
        BROWSER.waiting().until(ExpectedConditions.urlContains("/login"));
        assertThat(statusOf("/api/v1/session")).isEqualTo(401);
    }

    @Test
    void applyingAKeyFromAFile_showsWhatChanges_andAfterConfirmingTheStateIsActive() throws IOException {
        signInAsAdmin();
        browser.get(base + "/admin#license");
        BROWSER.waiting().until(ExpectedConditions.textToBe(By.cssSelector("#state-badge .badge"), "UNLICENSED"));
        assertThat(visible("installation-id").getText())
                .isEqualTo(running.installation().value());

        browser.findElement(By.id("key-file"))
                .sendKeys(write("acme.lic", key(1, 50)).toString());
        BROWSER.waiting()
                .until(driver -> !driver.findElement(By.id("key-text"))
                        .getDomProperty("value")
                        .isBlank());
        browser.findElement(By.id("check-key")).click();

        WebElement stateRow = visible("key-preview").findElement(By.cssSelector("tr[data-field='State']"));
        assertThat(stateRow.getText()).contains("UNLICENSED").contains("ACTIVE");
        assertThat(stateRow.getDomAttribute("class")).isEqualTo("changed");
        assertThat(browser.findElement(By.cssSelector("tr[data-field='Seats usable']"))
                        .getText())
                .contains("2")
                .contains("50");
        assertThat(statusOf("/api/v1/license/history")).isEqualTo(200);
        assertThat(running.api
                        .get("/api/v1/license", RunningServer.ADMIN_TOKEN)
                        .json()
                        .path("state")
                        .asText())
                .isEqualTo("UNLICENSED");

        browser.findElement(By.id("apply-key")).click();

        BROWSER.waiting().until(ExpectedConditions.textToBe(By.cssSelector("#state-badge .badge"), "ACTIVE"));
        assertThat(visible("key-success").getText()).contains("LIC-1").contains("ACTIVE");
        assertThat(browser.findElement(By.id("status-seats")).getText()).startsWith("50 usable now");
        assertThat(browser.findElement(By.id("state-banner")).isDisplayed()).isFalse();
        browser.findElement(By.cssSelector("a[data-tab='history']")).click();
        BROWSER.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("history-rows"), "LIC-1"));
        assertThat(browser.findElement(By.id("history-rows")).getText()).contains("admin");
    }

    @Test
    void aRejectedKey_showsItsReasonInPlainWords_withWhatToDo() {
        signInAsAdmin();
        browser.get(base + "/admin#license");
        pasteKey(keyForAnotherInstallation());

        browser.findElement(By.id("check-key")).click();

        WebElement error = visible("key-error");
        assertThat(error.getText())
                .contains("This key is for another installation")
                .contains("IACD-AAAA-BBBB-CCCC-DDDD")
                .contains(running.installation().value())
                .contains("What to do:")
                .contains("send the vendor this system's installation ID")
                .contains("WRONG_INSTALLATION");
        assertThat(browser.findElement(By.id("key-preview")).isDisplayed()).isFalse();
    }

    @Test
    void aSeatClaimedThroughTheApi_appearsOnTheOpenDashboardLive() {
        running.api.postText("/api/v1/license", RunningServer.ADMIN_TOKEN, key(1, 50));
        running.tick();
        signInAsAdmin();
        waitUntilLive();
        BROWSER.waiting().until(ExpectedConditions.textToBe(By.id("capacity"), "50"));
        assertThat(browser.findElement(By.id("in-use")).getText()).isEqualTo("0");
        String offsetBefore = browser.findElement(By.id("gauge-value")).getDomAttribute("stroke-dashoffset");

        running.api.putJson("/api/v1/seats/agent-42", acd, "{\"node\": \"acd-1\", \"station\": \"desk 42\"}");

        WebElement row = BROWSER.waiting(LIVE)
                .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-agent='agent-42']")));
        BROWSER.waiting(LIVE).until(ExpectedConditions.textToBe(By.id("in-use"), "1"));
        assertThat(row.getText()).contains("acd-1").contains("desk 42");
        assertThat(browser.findElement(By.id("gauge-value")).getDomAttribute("stroke-dashoffset"))
                .isNotEqualTo(offsetBefore);
        assertThat(browser.findElement(By.id("gauge")).getDomAttribute("aria-valuenow"))
                .isEqualTo("1");
        assertThat(browser.findElement(By.id("peak-today")).getText()).isEqualTo("1");

        running.api.delete("/api/v1/seats/agent-42", acd);

        BROWSER.waiting(LIVE)
                .until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("tr[data-agent='agent-42']"), 0));
        BROWSER.waiting(LIVE).until(ExpectedConditions.textToBe(By.id("in-use"), "0"));
    }

    @Test
    void tenThousandLoggedInAgents_keepTheDashboardUsable_withAPagedListThatFindsAnyAgent() {
        running.api.postText("/api/v1/license", RunningServer.ADMIN_TOKEN, key(1, 10_000));
        running.tick();
        SeatLedger ledger = running.server.ledger();
        for (int agent = 0; agent < 10_000; agent++) {
            assertThat(ledger.claim(ClaimRequest.of(new AgentId("agent-" + agent))))
                    .isInstanceOf(ClaimResult.Claimed.class);
        }

        signInAsAdmin();
        waitUntilLive();
        BROWSER.waiting().until(ExpectedConditions.textToBe(By.id("in-use"), "10,000"));
        // the count and the list load side by side: the count can show before the list is drawn
        BROWSER.waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#agent-rows tr")));
        assertThat(browser.findElements(By.cssSelector("#agent-rows tr")))
                .as("one page of the list is drawn, not 10,000 rows")
                .hasSizeBetween(1, 500);

        browser.findElement(By.id("agent-search")).sendKeys("agent-9999");

        BROWSER.waiting()
                .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-agent='agent-9999']")));
        BROWSER.waiting()
                .until(driver ->
                        driver.findElements(By.cssSelector("#agent-rows tr")).size() == 1);
    }

    @Test
    void onDevelopmentTrust_aBannerSaysSo_onTheDashboardAndInAcAdmin() {
        signInAsAdmin();

        browser.get(base + "/dashboard");
        assertThat(visible("trust-banner").getText())
                .contains("Development trust — not for production")
                .contains(TestVendor.KEY_ID);
        browser.get(base + "/admin#license");
        assertThat(visible("trust-banner").getText()).contains("Development trust");
        BROWSER.waiting()
                .until(driver ->
                        driver.findElement(By.id("status-facts")).getText().contains("Development trust:"));
    }

    @Test
    void aSupervisor_seesNoAcAdmin_andTheApiRefusesIt() {
        createSupervisor();
        signIn(SUPERVISOR, SUPERVISOR_PASSWORD);

        assertThat(visible("user-name").getText()).isEqualTo(SUPERVISOR + " (Supervisor)");
        assertThat(browser.findElement(By.id("nav-admin")).isDisplayed()).isFalse();
        browser.get(base + "/admin");
        assertThat(visible("not-admin").getText()).contains("AC Admin is for administrators");
        assertThat(browser.findElement(By.id("admin")).isDisplayed()).isFalse();
        assertThat(browser.findElements(By.id("status-facts")).getFirst().getText())
                .isEmpty();
        assertThat(statusOf("/api/v1/license/history")).isEqualTo(403);
        assertThat(statusOf("/api/v1/tokens")).isEqualTo(403);
        assertThat(statusOf("/api/v1/license")).isEqualTo(200);
    }

    @Test
    void theDashboard_reconnectsAfterTheStreamDrops_andSaysSoMeanwhile() {
        signInAsAdmin();
        waitUntilLive();

        running.server.events().closeAll();

        BROWSER.waiting().until(ExpectedConditions.attributeToBe(By.id("connection"), "data-live", "false"));
        assertThat(browser.findElement(By.id("connection")).getText()).startsWith("Disconnected — reconnecting");
        waitUntilLive();
        BROWSER.waiting().until(driver -> running.server.events().subscribers() == 1);
        running.api.claim(acd, "agent-after-drop");
        BROWSER.waiting(LIVE)
                .until(ExpectedConditions.presenceOfElementLocated(
                        By.cssSelector("tr[data-agent='agent-after-drop']")));
    }

    @Test
    void acAdmin_whileTheSystemClockIsSetBack_showsHowFarInTheStatusAndTheWarningInTheBanner() {
        running.clock.stepWall(Duration.ofHours(-2));
        running.tick();
        signInAsAdmin();
        browser.get(base + "/admin#license");

        WebElement clock = visible("status-clock");
        assertThat(clock.getText()).contains("the system clock reads 2 h 0 min behind");
        assertThat(clock.getAttribute("data-since")).isNotBlank();
        WebElement warning = BROWSER.waiting()
                .until(ExpectedConditions.visibilityOfElementLocated(
                        By.cssSelector("#state-banner p[data-code='CLOCK_JUMPED']")));
        assertThat(warning.getText()).contains("2 hours behind trusted time").contains("Correct the system clock");
    }

    @Test
    void anEndedSession_takesTheBrowserBackToTheLoginPage() {
        signInAsAdmin();
        browser.get(base + "/admin#license");
        visible("status-facts");

        running.clock.advance(Duration.ofMinutes(31));
        browser.findElement(By.cssSelector("a[data-tab='tokens']")).click();

        BROWSER.waiting().until(ExpectedConditions.urlContains("/login"));
        assertThat(visible("login-notice").getText()).contains("Your session has ended");
    }

    @Test
    void screenshots_ofBothScreens_lookAlive() throws IOException {
        running.close();
        startServer(files.resolve("data"), Instant.now().minus(Duration.ofMinutes(70)));
        populate();
        browser.manage().window().setSize(new Dimension(1360, 1500));
        signInAsAdmin();
        waitUntilLive();
        BROWSER.waiting().until(ExpectedConditions.textToBe(By.id("in-use"), "37"));
        BROWSER.waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#chart canvas")));
        Path dashboard = BROWSER.screenshot("agent-dashboard.png");

        browser.get(base + "/admin#license");
        BROWSER.waiting().until(ExpectedConditions.textToBe(By.cssSelector("#state-badge .badge"), "GRACE"));
        pasteKey(key(3, 80));
        browser.findElement(By.id("check-key")).click();
        visible("key-preview");
        ((JavascriptExecutor) browser).executeScript("window.scrollTo(0, 0);");
        Path admin = BROWSER.screenshot("ac-admin.png");
        browser.manage().window().setSize(new Dimension(1400, 1000));

        assertThat(Files.size(dashboard)).isGreaterThan(20_000);
        assertThat(Files.size(admin)).isGreaterThan(20_000);
        assertThat(BROWSER.scriptErrors())
                .as("script errors and policy violations in the browser console")
                .isEmpty();
    }

    /**
     * An hour of use up to now: a license in grace, agents logging in and out minute by minute, a few denials.
     * The lease TTL of this test's server is long enough that no lease expires while the clock moves.
     */
    private void populate() {
        Instant now = running.clock.instant().plus(Duration.ofMinutes(70));
        LocalDate start =
                LocalDate.ofInstant(now, TestVendor.ZONE).minusYears(1).minusDays(3);
        running.api.postText(
                "/api/v1/license", RunningServer.ADMIN_TOKEN, TestVendor.key(running.installation(), 2, 60, start));
        running.tick();
        int[] wave = {12, 18, 25, 31, 38, 44, 52, 57, 60, 58, 55, 49, 46, 42, 40, 37};
        int held = 0;
        for (int minute = 0; minute < 70; minute++) {
            int target = wave[Math.min(wave.length - 1, minute * wave.length / 70)] - (minute % 3);
            target = Math.max(1, Math.min(60, target));
            for (; held < target; held++) {
                claimAtADesk(1001 + held);
            }
            for (; held > target; held--) {
                running.api.delete("/api/v1/seats/agent-" + (1000 + held), acd);
            }
            if (held == 60) {
                running.api.claim(acd, "agent-" + (2000 + minute));
            }
            running.clock.advance(Duration.ofMinutes(1));
            running.tick();
        }
        for (; held < 37; held++) {
            claimAtADesk(1001 + held);
        }
        for (; held > 37; held--) {
            running.api.delete("/api/v1/seats/agent-" + (1000 + held), acd);
        }
        running.tick();
    }

    private void claimAtADesk(int agent) {
        running.api.putJson(
                "/api/v1/seats/agent-" + agent,
                acd,
                "{\"node\": \"acd-" + (agent % 3 + 1) + "\", \"station\": \"desk " + (agent % 97 + 1) + "\"}");
    }
}
