package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.store.sqlite.SqliteDatabase;
import com.anycontact.innolicense.store.sqlite.SqliteUsageStore;
import com.anycontact.innolicense.usage.UsageMinute;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * The usage reports, the printable monthly report and the dashboard's live current minute in headless
 * Chromium against the real server. Four weeks of shifts are written into the usage record before the server
 * starts (a real SQLite file, through the real store), so that the charts have something to show.
 *
 * <p>Screenshots {@code reports.png} and {@code right-size.png} are written to {@code target/screenshots}, and
 * to the directory named by the system property {@code innolicense.screenshots} when it is set.
 */
class ReportsBrowserIT {

    private static final int SEATS = 60;
    private static final int DAYS = 28;

    @RegisterExtension
    static final BrowserSession BROWSER = new BrowserSession(1400, 1000);

    private final ChromeDriver browser = BROWSER.driver();

    @TempDir
    Path dataDirectory;

    private RunningServer running;
    private String base;

    private void startServer(Instant now) {
        running = RunningServer.start(
                dataDirectory,
                new FakeTime(now.truncatedTo(ChronoUnit.SECONDS)),
                RunningServer.config(dataDirectory).toBuilder()
                        .leaseTtl(Duration.ofHours(3))
                        .build());
        base = BROWSER.serve(running);
        running.api.postText(
                "/api/v1/license",
                RunningServer.ADMIN_TOKEN,
                TestVendor.key(
                        running.installation(),
                        1,
                        SEATS,
                        LocalDate.now(TestVendor.ZONE).minusDays(60)));
        running.tick();
    }

    /**
     * Four weeks of shifts before today in Berlin: weekdays 7:00 to 19:00 rising to a late-morning peak, short
     * Saturdays, quiet Sundays; on a few days demand passes the 60 seats and the excess is denied.
     */
    private void writeShifts(Instant now) {
        List<UsageMinute> minutes = new ArrayList<>();
        LocalDate today = LocalDate.ofInstant(now, TestVendor.ZONE);
        try (SqliteDatabase database = SqliteDatabase.open(dataDirectory)) {
            SqliteUsageStore store = new SqliteUsageStore(database);
            for (int back = DAYS; back >= 1; back--) {
                LocalDate day = today.minusDays(back);
                DayOfWeek weekday = day.getDayOfWeek();
                int open = weekday == DayOfWeek.SUNDAY ? 10 : 7;
                int close = weekday == DayOfWeek.SATURDAY ? 14 : weekday == DayOfWeek.SUNDAY ? 13 : 19;
                double height = weekday == DayOfWeek.SUNDAY ? 0.2 : weekday == DayOfWeek.SATURDAY ? 0.45 : 0.8;
                height += (back % 5 == 2 && weekday.getValue() <= 5) ? 0.25 : 0.04 * Math.sin(back);
                List<String> agents = new ArrayList<>();
                ZonedDateTime start = day.atTime(open, 0).atZone(TestVendor.ZONE);
                int length = (close - open) * 60;
                for (int minute = 0; minute < length; minute++) {
                    double shape = Math.sin(Math.PI * minute / length);
                    double lunch = Math.abs(minute - length * 0.45) < 40 ? 0.8 : 1.0;
                    int demand = (int) Math.round(SEATS * height * shape * lunch + 2 * Math.sin(minute / 7.0));
                    demand = Math.max(0, demand);
                    int inUse = Math.min(SEATS, demand);
                    int denied = Math.max(0, demand - SEATS);
                    minutes.add(new UsageMinute(
                            start.plusMinutes(minute).toInstant(), inUse, SEATS, minute % 3, denied * 2, denied));
                    while (agents.size() < inUse * 1.2) {
                        agents.add("agent-" + (1000 + agents.size()));
                    }
                }
                store.saveAgents(day, agents);
            }
            store.save(minutes, now.minus(Duration.ofDays(90)));
        }
    }

    private WebElement visible(String id) {
        return BROWSER.visible(By.id(id));
    }

    private void signIn(String next) {
        BROWSER.signInAsAdmin(base);
        browser.get(base + next);
    }

    private void waitUntilLoaded() {
        BROWSER.waiting().until(ExpectedConditions.attributeToBe(By.id("main"), "data-loaded", "true"));
    }

    private Object script(String script, Object... arguments) {
        return BROWSER.script(script, arguments);
    }

    private String fetchText(String path) {
        return (String) ((JavascriptExecutor) browser)
                .executeAsyncScript(
                        "const done = arguments[arguments.length - 1];"
                                + " fetch(arguments[0], {credentials: 'same-origin'}).then(r => r.text()).then(done,"
                                + " e => done('failed: ' + e));",
                        path);
    }

    @Test
    void reports_showPeaksDenialsHeatmapAndRightSize_andExportThem() throws IOException {
        Instant now = Instant.now();
        writeShifts(now);
        startServer(now);
        LocalDate today = LocalDate.ofInstant(now, TestVendor.ZONE);
        String from = today.minusDays(DAYS).toString();
        String to = today.minusDays(1).toString();
        browser.manage().window().setSize(new Dimension(1360, 2200));

        signIn("/reports?from=" + from + "&to=" + to);
        waitUntilLoaded();

        assertThat(browser.findElements(By.cssSelector("#peaks-chart rect.bar")))
                .hasSize(DAYS);
        assertThat(browser.findElements(By.cssSelector("#peaks-chart rect.bar.full")))
                .isNotEmpty();
        assertThat(browser.findElements(By.cssSelector("#peaks-chart polyline.capacity")))
                .isNotEmpty();
        assertThat(browser.findElements(By.cssSelector("#denials-chart rect.bar")))
                .hasSize(DAYS);
        assertThat(browser.findElements(By.cssSelector("#heatmap-table tbody tr")))
                .hasSize(7);
        assertThat(browser.findElements(By.cssSelector("#heatmap-table tbody td")))
                .hasSize(7 * 24);
        assertThat(browser.findElement(By.cssSelector("#heatmap-table td[data-day='MONDAY'][data-hour='3']"))
                        .getText())
                .isEmpty();
        assertThat(browser.findElement(By.cssSelector("#heatmap-table td[data-day='TUESDAY'][data-hour='11']"))
                        .getText())
                .isNotEmpty();
        assertThat(visible("right-size-summary").getText()).matches("With \\d+ seats instead of 60 .*\\.");
        assertThat(browser.findElements(By.cssSelector("#right-size-chart rect.bar.recommended")))
                .hasSize(1);
        assertThat(browser.findElement(By.id("peaks-caption")).getText()).contains("Days in Europe/Berlin");

        String csvLink = browser.findElement(By.id("export-daily-csv")).getAttribute("href");
        String jsonLink = browser.findElement(By.id("export-right-size-json")).getAttribute("href");
        assertThat(csvLink)
                .contains("/api/v1/reports/daily?")
                .contains("format=csv")
                .contains("from=" + from);
        assertThat(fetchText(csvLink)).startsWith("period,zone,minutesRecorded,peakInUse");
        assertThat(fetchText(jsonLink)).contains("\"recommendedSeats\"").contains("\"serviceLevel\":99.9");
        script("window.scrollTo(0, 0);");
        Path reports = BROWSER.screenshot("reports.png");

        String before = browser.findElement(By.id("right-size-summary")).getText();
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("service-level"))).selectByValue("95");
        BROWSER.waiting()
                .until(driver -> !driver.findElement(By.id("right-size-summary"))
                        .getText()
                        .equals(before));
        assertThat(browser.findElement(By.id("right-size-summary")).getText()).contains("95 %");
        assertThat(browser.getCurrentUrl()).contains("serviceLevel=95");
        Path rightSize = BROWSER.screenshot("right-size.png", browser.findElement(By.id("right-size")));

        assertThat(Files.size(reports)).isGreaterThan(20_000);
        assertThat(Files.size(rightSize)).isGreaterThan(10_000);
        assertThat(BROWSER.scriptErrors())
                .as("script errors and policy violations in the browser console")
                .isEmpty();
    }

    @Test
    void aBadPeriod_isShownAsTheServersReason() {
        Instant now = Instant.now();
        startServer(now);

        signIn("/reports?from=2027-02-30");

        assertThat(visible("period-error").getText()).contains("parameter 'from' must be a date");
    }

    @Test
    void theMonthlyReport_listsTheMonthDayByDay_andPrintsWithoutTheApplicationFrame() {
        Instant now = Instant.now();
        writeShifts(now);
        startServer(now);
        YearMonth month =
                YearMonth.from(LocalDate.ofInstant(now, TestVendor.ZONE).minusDays(10));

        signIn("/reports/month?month=" + month);
        waitUntilLoaded();

        assertThat(browser.findElement(By.id("month-title")).getText()).startsWith("License usage report — ");
        assertThat(browser.findElements(By.cssSelector("#month-rows tr"))).hasSize(month.lengthOfMonth());
        assertThat(browser.findElement(By.id("license-facts")).getText()).contains("Licensed seats\n60");
        assertThat(browser.findElement(By.id("month-facts")).getText()).contains("Peak concurrent use\n60 of 60 seats");
        browser.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("media", "print"));
        try {
            assertThat(browser.findElement(By.cssSelector(".app-header")).isDisplayed())
                    .isFalse();
            assertThat(browser.findElement(By.id("month-form")).isDisplayed()).isFalse();
            assertThat(browser.findElement(By.id("month-report")).isDisplayed()).isTrue();
        } finally {
            browser.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("media", ""));
        }
    }

    @Test
    void theDashboardChart_showsTheCurrentMinuteOfAFreshServer() {
        startServer(Instant.now());
        String acd = running.token("ACD");
        for (int agent = 1; agent <= 3; agent++) {
            running.api.claim(acd, "agent-" + agent);
        }
        browser.manage().window().setSize(new Dimension(1400, 1000));

        signIn("/dashboard");
        BROWSER.waiting().until(ExpectedConditions.textToBe(By.id("in-use"), "3"));
        BROWSER.waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#chart canvas")));

        long blue = BROWSER.waiting().until(driver -> {
            Number pixels = (Number) script("const canvas = document.querySelector('#chart canvas');"
                    + " const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height)"
                    + ".data; let n = 0; for (let i = 0; i < data.length; i += 4) {"
                    + " if (data[i] === 11 && data[i + 1] === 87 && data[i + 2] === 164) n++; } return n;");
            return pixels.longValue() > 0 ? pixels.longValue() : null;
        });
        assertThat(blue).isPositive();
    }
}
