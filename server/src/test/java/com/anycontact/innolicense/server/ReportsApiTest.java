package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.cli.Innolicense;
import com.anycontact.innolicense.usage.UsageRetention;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/v1/reports/…} and {@code innolicense admin report} over real HTTP against the real server with
 * fake time. The license's zone is Europe/Berlin; the server starts on Friday 2027-01-15 at 10:00 there.
 *
 * <p>The seat use played, minute by minute (3 seats): 10:00 three claims and three denials of two agents
 * (demand 3 + 2 = 5), 10:01 one release (the minute keeps 3), 10:02 and 10:03 two in use.
 */
class ReportsApiTest {

    private static final String DAY = "2027-01-15";

    @TempDir
    Path dataDirectory;

    private RunningServer running;
    private Api api;
    private String acd;
    private String supervisor;

    /** Starts the server with leases that outlast the test's minutes, and plays the minutes above. */
    private void start(ServerConfig config) {
        running = RunningServer.start(
                dataDirectory,
                new FakeTime(RunningServer.START),
                config.toBuilder().leaseTtl(Duration.ofHours(1)).build());
        api = running.api;
        acd = running.token("ACD");
        supervisor = running.token("SUPERVISOR");
        running.apply(1, 3);
        for (String agent : new String[] {"agent-1", "agent-2", "agent-3", "agent-4", "agent-4", "agent-5"}) {
            api.claim(acd, agent);
        }
        pass(Duration.ofMinutes(1));
        api.delete("/api/v1/seats/agent-1", acd);
        pass(Duration.ofMinutes(2));
    }

    private void pass(Duration duration) {
        for (long minute = 0; minute < duration.toMinutes(); minute++) {
            running.clock.advance(Duration.ofMinutes(1));
            running.tick();
        }
    }

    @AfterEach
    void stop() {
        if (running != null) {
            running.close();
        }
    }

    @Test
    void daily_addsUpTheDayFromItsMinutes_withTheDistinctAgents() {
        start(RunningServer.config(dataDirectory));

        Api.Reply reply = api.get("/api/v1/reports/daily?from=" + DAY + "&to=" + DAY, supervisor);

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.json().path("zone").asText()).isEqualTo("Europe/Berlin");
        assertThat(reply.json().path("capacityNow").asInt()).isEqualTo(3);
        JsonNode day = reply.json().path("rows").get(0);
        assertThat(day.path("period").asText()).isEqualTo(DAY);
        assertThat(day.path("minutesRecorded").asInt()).isEqualTo(4);
        assertThat(day.path("peakInUse").asInt()).isEqualTo(3);
        assertThat(day.path("minutesAtPeak").asInt()).isEqualTo(2);
        assertThat(day.path("minutesAtCapacity").asInt()).isEqualTo(2);
        assertThat(day.path("capacity").asInt()).isEqualTo(3);
        assertThat(day.path("claims").asInt()).isEqualTo(3);
        assertThat(day.path("denials").asInt()).isEqualTo(3);
        assertThat(day.path("distinctAgents").asInt()).isEqualTo(3);
    }

    @Test
    void daily_countsAnAgentRenewingAcrossMidnight_onTheNextDayToo() {
        start(RunningServer.config(dataDirectory));
        // agent-2 keeps renewing from 10:03 on 2027-01-15 (Berlin) until 2027-01-17 00:10; the others are reaped
        for (int halfHour = 0; halfHour < 2 * 39; halfHour++) {
            assertThat(api.claim(acd, "agent-2").status()).isEqualTo(200);
            pass(Duration.ofMinutes(30));
        }

        JsonNode rows = api.get("/api/v1/reports/daily?from=" + DAY + "&to=2027-01-16", supervisor)
                .json()
                .path("rows");

        assertThat(rows.get(0).path("distinctAgents").asInt()).isEqualTo(3);
        assertThat(rows.get(1).path("period").asText()).isEqualTo("2027-01-16");
        assertThat(rows.get(1).path("claims").asInt()).isZero();
        assertThat(rows.get(1).path("distinctAgents").asInt()).isEqualTo(1);
    }

    @Test
    void daily_ofDaysWithoutRecord_andInTheFuture_hasEmptyDaysUpToToday() {
        start(RunningServer.config(dataDirectory));

        JsonNode rows = api.get("/api/v1/reports/daily?from=2027-01-13&to=2027-01-20", supervisor)
                .json()
                .path("rows");

        assertThat(rows).hasSize(3);
        assertThat(rows.get(0).path("minutesRecorded").asInt()).isZero();
        assertThat(rows.get(0).path("peakInUse").isNull()).isTrue();
        assertThat(rows.get(0).path("capacity").isNull()).isTrue();
    }

    @Test
    void monthly_addsUpTheMonthFromItsDays() {
        start(RunningServer.config(dataDirectory));

        JsonNode month = api.get("/api/v1/reports/monthly?from=2027-01&to=2027-01", supervisor)
                .json()
                .path("rows")
                .get(0);

        assertThat(month.path("period").asText()).isEqualTo("2027-01");
        assertThat(month.path("peakInUse").asInt()).isEqualTo(3);
        assertThat(month.path("claims").asInt()).isEqualTo(3);
        assertThat(month.path("denials").asInt()).isEqualTo(3);
        assertThat(month.path("distinctAgents").asInt()).isEqualTo(3);
    }

    @Test
    void heatmap_putsTheMinutesInTheirHourOfTheWeek() {
        start(RunningServer.config(dataDirectory));

        JsonNode heatmap = api.get("/api/v1/reports/heatmap?from=" + DAY + "&to=" + DAY, supervisor)
                .json();

        assertThat(heatmap.path("rows")).hasSize(168);
        JsonNode friday10 = heatmap.path("rows").get(4 * 24 + 10);
        assertThat(friday10.path("day").asText()).isEqualTo("FRIDAY");
        assertThat(friday10.path("hour").asInt()).isEqualTo(10);
        assertThat(friday10.path("minutesRecorded").asInt()).isEqualTo(4);
        assertThat(friday10.path("peakInUse").asInt()).isEqualTo(3);
        assertThat(friday10.path("averageInUse").asDouble()).isEqualTo(2.5);
        assertThat(friday10.path("minutesAtCapacity").asInt()).isEqualTo(2);
        assertThat(heatmap.path("rows").get(0).path("peakInUse").isNull()).isTrue();
    }

    @Test
    void heatmap_inAnotherZone_movesTheHours() {
        start(RunningServer.config(dataDirectory));

        JsonNode rows = api.get("/api/v1/reports/heatmap?from=" + DAY + "&to=" + DAY + "&zone=UTC", supervisor)
                .json()
                .path("rows");

        assertThat(rows.get(4 * 24 + 9).path("peakInUse").asInt()).isEqualTo(3);
        assertThat(rows.get(4 * 24 + 10).path("peakInUse").isNull()).isTrue();
    }

    @Test
    void rightSize_countsTheDemandOfEachMinute_againstEachSeatCount() {
        start(RunningServer.config(dataDirectory));

        JsonNode advice = api.get("/api/v1/reports/right-size?serviceLevel=100", supervisor)
                .json();

        assertThat(advice.path("currentSeats").asInt()).isEqualTo(3);
        assertThat(advice.path("workingMinutes").asInt()).isEqualTo(4);
        assertThat(advice.path("peakDemand").asInt()).isEqualTo(5);
        assertThat(advice.path("recommendedSeats").asInt()).isEqualTo(5);
        assertThat(advice.path("summary").asText())
                .isEqualTo("With 5 seats instead of 3 no agent would have been refused in the last 90 days; 5 is the"
                        + " fewest seats with no denial in 100 % of working minutes (peak demand 5).");
        JsonNode three = row(advice, 3);
        assertThat(three.path("minutesWithDenial").asInt()).isEqualTo(1);
        assertThat(three.path("refusedAgentMinutes").asInt()).isEqualTo(2);
        assertThat(three.path("daysWithDenial").asInt()).isEqualTo(1);
        assertThat(three.path("serviceLevel").decimalValue()).isEqualByComparingTo("75");
        assertThat(row(advice, 4).path("refusedAgentMinutes").asInt()).isEqualTo(1);

        JsonNode lenient = api.get("/api/v1/reports/right-size?serviceLevel=75", supervisor)
                .json();
        assertThat(lenient.path("recommendedSeats").asInt()).isEqualTo(3);
        assertThat(lenient.path("summary").asText())
                .startsWith("With the 3 seats you have, you would have been full for 1 minute in the last 90 days,"
                        + " on 1 day (2 agent-minutes refused)");
    }

    private static JsonNode row(JsonNode advice, int seats) {
        for (JsonNode row : advice.path("rows")) {
            if (row.path("seats").asInt() == seats) {
                return row;
            }
        }
        throw new AssertionError("no row for " + seats + " seats in " + advice);
    }

    @Test
    void daysBeyondTheMinuteRetention_comeFromTheStoredDays() {
        start(RunningServer.config(dataDirectory).toBuilder()
                .retention(new ServerConfig.Retention(
                        ServerConfig.Retention.DEFAULT_DENIALS,
                        Optional.empty(),
                        new UsageRetention(Duration.ofDays(2), Duration.ofDays(1_110), Duration.ofDays(3_660))))
                .build());
        for (int hour = 0; hour < 24 * 4; hour++) {
            running.clock.advance(Duration.ofHours(1));
            running.tick();
        }

        JsonNode day = api.get("/api/v1/reports/daily?from=" + DAY + "&to=" + DAY + "&zone=UTC", supervisor)
                .json()
                .path("rows")
                .get(0);
        JsonNode heatmap = api.get("/api/v1/reports/heatmap?from=" + DAY + "&to=" + DAY, supervisor)
                .json();

        assertThat(day.path("zone").asText()).isEqualTo("Europe/Berlin");
        assertThat(day.path("peakInUse").asInt()).isEqualTo(3);
        assertThat(day.path("claims").asInt()).isEqualTo(3);
        assertThat(day.path("denials").asInt()).isEqualTo(3);
        assertThat(day.path("distinctAgents").asInt()).isEqualTo(3);
        assertThat(heatmap.path("rows").get(4 * 24 + 10).path("minutesRecorded").asInt())
                .isZero();
    }

    @Test
    void everyReport_isCsvWhenAskedByFormatOrAccept() {
        start(RunningServer.config(dataDirectory));

        Api.Reply byFormat = api.get("/api/v1/reports/daily?from=" + DAY + "&to=" + DAY + "&format=csv", supervisor);
        Api.Reply byAccept = api.request(
                "GET",
                "/api/v1/reports/right-size",
                null,
                null,
                Map.of("Accept", "text/csv", "Authorization", "Bearer " + supervisor));

        assertThat(byFormat.status()).isEqualTo(200);
        assertThat(byFormat.contentType()).startsWith("text/csv");
        assertThat(byFormat.header("Content-Disposition"))
                .contains("attachment; filename=\"usage-daily-" + DAY + "-" + DAY + ".csv\"");
        assertThat(byFormat.body())
                .isEqualTo("period,zone,minutesRecorded,peakInUse,minutesAtPeak,minutesAtCapacity,capacity,claims,"
                        + "denials,distinctAgents\r\n" + DAY + ",Europe/Berlin,4,3,2,2,3,3,3,3\r\n");
        assertThat(byAccept.contentType()).startsWith("text/csv");
        assertThat(byAccept.body())
                .startsWith("seats,minutesWithDenial,refusedAgentMinutes,daysWithDenial,serviceLevel\r\n")
                .contains("\r\n3,1,2,1,75\r\n");
        for (String report : new String[] {"monthly", "heatmap"}) {
            assertThat(api.get("/api/v1/reports/" + report + "?format=csv", supervisor)
                            .contentType())
                    .startsWith("text/csv");
        }
    }

    @Test
    void badParameters_areRefusedNamingTheParameter() {
        start(RunningServer.config(dataDirectory));

        assertInvalid("/api/v1/reports/daily?zone=Mars/Base", "zone");
        assertInvalid("/api/v1/reports/daily?from=2027-02-30", "from");
        assertInvalid("/api/v1/reports/daily?from=2027-01-20&to=2027-01-10", "from");
        assertInvalid("/api/v1/reports/daily?from=2000-01-01&to=2027-01-10", "from");
        assertInvalid("/api/v1/reports/monthly?from=2027-1", "from");
        assertInvalid("/api/v1/reports/right-size?serviceLevel=0", "serviceLevel");
        assertInvalid("/api/v1/reports/right-size?serviceLevel=100.5", "serviceLevel");
        assertInvalid("/api/v1/reports/right-size?seats=-1", "seats");
        assertInvalid("/api/v1/reports/heatmap?format=xml", "format");
        assertInvalid("/api/v1/reports/daily?month=2027-01", "month");
        assertInvalid("/api/v1/reports/daily?zone=UTC&zone=Europe/Berlin", "zone");
    }

    private void assertInvalid(String path, String parameter) {
        Api.Reply reply = api.get(path, supervisor);
        assertThat(reply.status()).as(path).isEqualTo(400);
        assertThat(reply.problemType()).isEqualTo("invalid-parameter");
        assertThat(reply.json().path("parameter").asText()).as(path).isEqualTo(parameter);
        assertThat(reply.json().path("detail").asText()).contains(parameter);
    }

    @Test
    void reports_areForSupervisorsAndAdminsOnly() {
        start(RunningServer.config(dataDirectory));

        for (String report : new String[] {"daily", "monthly", "heatmap", "right-size"}) {
            String path = "/api/v1/reports/" + report;
            assertThat(api.get(path, null).status()).isEqualTo(401);
            assertThat(api.get(path, acd).status()).isEqualTo(403);
            assertThat(api.get(path, supervisor).status()).isEqualTo(200);
            assertThat(api.get(path, RunningServer.ADMIN_TOKEN).status()).isEqualTo(200);
        }
    }

    @Test
    void theCli_printsEachReport_asCsvJsonAndTable() {
        start(RunningServer.config(dataDirectory));
        String server = "http://127.0.0.1:" + running.server.start();

        Result csv = cli(
                "admin",
                "report",
                "daily",
                "--from",
                DAY,
                "--to",
                DAY,
                "--format",
                "csv",
                "--server",
                server,
                "--token",
                supervisor);
        Result json = cli(
                "admin",
                "report",
                "right-size",
                "--service-level",
                "100",
                "--format",
                "json",
                "--server",
                server,
                "--token",
                supervisor);
        Result table = cli("admin", "report", "right-size", "--server", server, "--token", supervisor);
        Result heatmap = cli(
                "admin", "report", "heatmap", "--from", DAY, "--to", DAY, "--server", server, "--token", supervisor);
        Result wrong = cli("admin", "report", "weekly", "--server", server, "--token", supervisor);
        Result badZone = cli("admin", "report", "daily", "--zone", "Mars", "--server", server, "--token", supervisor);

        assertThat(csv.code).as(csv.err).isZero();
        assertThat(csv.out.lines())
                .containsExactly(
                        "period,zone,minutesRecorded,peakInUse,minutesAtPeak,minutesAtCapacity,capacity,claims,"
                                + "denials,distinctAgents",
                        DAY + ",Europe/Berlin,4,3,2,2,3,3,3,3");
        assertThat(json.code).isZero();
        assertThat(json.out).contains("\"recommendedSeats\" : 5");
        assertThat(table.code).isZero();
        assertThat(table.out)
                .startsWith("With 5 seats instead of 3 no agent would have been refused in the last 90 days")
                .contains("SEATS  MINUTES WITH DENIAL  REFUSED AGENT MINUTES  DAYS WITH DENIAL  SERVICE LEVEL");
        assertThat(heatmap.out.lines().filter(line -> line.startsWith("Fri ")))
                .singleElement()
                .satisfies(line -> assertThat(line.split("\\s+"))
                        .containsExactly(
                                "Fri", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "3", "-", "-", "-", "-", "-",
                                "-", "-", "-", "-", "-", "-", "-", "-"));
        assertThat(wrong.code).isEqualTo(2);
        assertThat(wrong.err).contains("'weekly' is not a report; use daily, monthly, heatmap or right-size");
        assertThat(badZone.code).isEqualTo(1);
        assertThat(badZone.err).contains("parameter 'zone' must be a time zone ID");
    }

    private record Result(int code, String out, String err) {}

    private static Result cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Innolicense.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
