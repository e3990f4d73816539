package com.anycontact.innolicense.http;

import com.anycontact.innolicense.license.LicenseService;
import com.anycontact.innolicense.usage.RightSizeAdvice;
import com.anycontact.innolicense.usage.UsageAggregate;
import com.anycontact.innolicense.usage.UsageReports;
import com.anycontact.innolicense.usage.UsageReports.Heatmap;
import com.anycontact.innolicense.usage.UsageTracker;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The usage reports under {@code /api/v1/reports} (docs/reports.md): days, months, the hour-of-week heatmap and
 * the right-size advice, for a period and time zone given as query parameters, in JSON or, with
 * {@code ?format=csv} or {@code Accept: text/csv}, as CSV with one line per row.
 */
final class ReportRoutes {

    /** The longest period of the daily, heatmap and right-size reports. */
    static final int MAX_DAYS = 3_700;
    /** The longest period of the monthly report. */
    static final int MAX_MONTHS = 240;

    /** One day or month. */
    record AggregateView(
            String period,
            String zone,
            int minutesRecorded,
            Integer peakInUse,
            int minutesAtPeak,
            int minutesAtCapacity,
            Integer capacity,
            long claims,
            long denials,
            Integer distinctAgents) {}

    /** The daily or monthly report. */
    record AggregatesView(
            String zone, String from, String to, String minutesFrom, int capacityNow, List<AggregateView> rows) {}

    /** One hour of the week. */
    record CellView(
            String day, int hour, int minutesRecorded, Integer peakInUse, Double averageInUse, int minutesAtCapacity) {}

    /** The heatmap. */
    record HeatmapView(String zone, String from, String to, String coveredFrom, List<CellView> rows) {}

    /** One seat count of the right-size advice; the service level in percent. */
    record SeatsView(
            int seats, long minutesWithDenial, long refusedAgentMinutes, int daysWithDenial, BigDecimal serviceLevel) {}

    /** The right-size advice; service levels in percent. */
    record RightSizeView(
            String zone,
            String from,
            String to,
            String coveredFrom,
            BigDecimal serviceLevel,
            int currentSeats,
            int recommendedSeats,
            long minutesRecorded,
            long workingMinutes,
            int peakDemand,
            String summary,
            List<SeatsView> rows) {}

    private static final Set<String> PERIOD = Set.of("from", "to", "zone", "format");
    private static final Set<String> RIGHT_SIZE = Set.of("from", "to", "zone", "format", "serviceLevel", "seats");

    private final UsageReports reports;
    private final UsageTracker usage;
    private final LicenseService licenses;
    private final Json json;

    ReportRoutes(UsageReports reports, UsageTracker usage, LicenseService licenses, Json json) {
        this.reports = reports;
        this.usage = usage;
        this.licenses = licenses;
        this.json = json;
    }

    void daily(Context ctx) {
        requireOnly(ctx, PERIOD);
        ZoneId zone = zone(ctx);
        LocalDate to = date(ctx, "to").orElse(reports.today(zone));
        LocalDate from = date(ctx, "from").orElse(to.minusDays(29));
        requirePeriod(from, to, ChronoUnit.DAYS.between(from, to) + 1, MAX_DAYS, "days");
        List<AggregateView> rows = reports.daily(from, to, zone).stream()
                .map(day -> view(day.first().toString(), day))
                .toList();
        answer(
                ctx,
                new AggregatesView(
                        zone.getId(),
                        from.toString(),
                        to.toString(),
                        reports.minutesFrom().toString(),
                        licenses.status().capacity(),
                        rows),
                AggregateView.class,
                rows,
                "usage-daily-" + from + "-" + to);
    }

    void monthly(Context ctx) {
        requireOnly(ctx, PERIOD);
        ZoneId zone = zone(ctx);
        YearMonth to = month(ctx, "to").orElse(YearMonth.from(reports.today(zone)));
        YearMonth from = month(ctx, "from").orElse(to.minusMonths(11));
        requirePeriod(from.atDay(1), to.atDay(1), ChronoUnit.MONTHS.between(from, to) + 1, MAX_MONTHS, "months");
        List<AggregateView> rows = reports.monthly(from, to, zone).stream()
                .map(month -> view(YearMonth.from(month.first()).toString(), month))
                .toList();
        answer(
                ctx,
                new AggregatesView(
                        zone.getId(),
                        from.toString(),
                        to.toString(),
                        reports.minutesFrom().toString(),
                        licenses.status().capacity(),
                        rows),
                AggregateView.class,
                rows,
                "usage-monthly-" + from + "-" + to);
    }

    void heatmap(Context ctx) {
        requireOnly(ctx, PERIOD);
        ZoneId zone = zone(ctx);
        LocalDate to = date(ctx, "to").orElse(reports.today(zone));
        LocalDate from = date(ctx, "from").orElse(to.minusDays(27));
        requirePeriod(from, to, ChronoUnit.DAYS.between(from, to) + 1, MAX_DAYS, "days");
        Heatmap heatmap = reports.heatmap(from, to, zone);
        List<CellView> rows = heatmap.cells().stream()
                .map(cell -> new CellView(
                        cell.day().name(),
                        cell.hour(),
                        cell.minutesRecorded(),
                        cell.peakInUse(),
                        cell.averageInUse() == null ? null : Math.round(cell.averageInUse() * 100) / 100.0,
                        cell.minutesAtCapacity()))
                .toList();
        answer(
                ctx,
                new HeatmapView(
                        zone.getId(),
                        from.toString(),
                        to.toString(),
                        heatmap.coveredFrom().toString(),
                        rows),
                CellView.class,
                rows,
                "usage-heatmap-" + from + "-" + to);
    }

    void rightSize(Context ctx) {
        requireOnly(ctx, RIGHT_SIZE);
        ZoneId zone = zone(ctx);
        LocalDate today = reports.today(zone);
        LocalDate to = date(ctx, "to").orElse(today);
        long retentionDays = usage.retention().toDays();
        LocalDate from = date(ctx, "from").orElse(to.minusDays(retentionDays - 1));
        requirePeriod(from, to, ChronoUnit.DAYS.between(from, to) + 1, MAX_DAYS, "days");
        BigDecimal level = serviceLevel(ctx);
        int current = Optional.ofNullable(ctx.queryParam("seats"))
                .map(ReportRoutes::seats)
                .orElse(licenses.status().capacity());
        RightSizeAdvice advice = reports.rightSize(
                from, to, zone, current, level.movePointLeft(2).doubleValue());
        long days = ChronoUnit.DAYS.between(from, to) + 1;
        String period = to.equals(today)
                ? "in the last " + days + (days == 1 ? " day" : " days")
                : "from " + from + " to " + to;
        List<SeatsView> rows = advice.rows().stream()
                .map(row -> new SeatsView(
                        row.seats(),
                        row.minutesWithDenial(),
                        row.refusedAgentMinutes(),
                        row.daysWithDenial(),
                        percent(row.serviceLevel())))
                .toList();
        answer(
                ctx,
                new RightSizeView(
                        zone.getId(),
                        from.toString(),
                        to.toString(),
                        reports.coveredFrom(from, zone).toString(),
                        plain(level),
                        advice.currentSeats(),
                        advice.recommendedSeats(),
                        advice.minutesRecorded(),
                        advice.workingMinutes(),
                        advice.peakDemand(),
                        advice.summary(period),
                        rows),
                SeatsView.class,
                rows,
                "usage-right-size-" + from + "-" + to);
    }

    private <R extends Record> void answer(Context ctx, Object report, Class<R> rowType, List<R> rows, String name) {
        if (wantsCsv(ctx)) {
            ctx.header("Content-Disposition", "attachment; filename=\"" + name + ".csv\"");
            ctx.contentType("text/csv; charset=utf-8").result(Csv.of(rowType, rows));
            return;
        }
        json.write(ctx, 200, report);
    }

    private static boolean wantsCsv(Context ctx) {
        String format = ctx.queryParam("format");
        if (format != null) {
            return switch (format.toLowerCase(Locale.ROOT)) {
                case "csv" -> true;
                case "json" -> false;
                default -> throw invalid("format", "parameter 'format' must be csv or json, was '" + format + "'");
            };
        }
        String accept = ctx.header("Accept");
        return accept != null && accept.toLowerCase(Locale.ROOT).contains("text/csv");
    }

    private static AggregateView view(String period, UsageAggregate aggregate) {
        boolean recorded = aggregate.recorded();
        return new AggregateView(
                period,
                aggregate.zone().getId(),
                aggregate.minutesRecorded(),
                recorded ? aggregate.peakInUse() : null,
                aggregate.minutesAtPeak(),
                aggregate.minutesAtCapacity(),
                recorded ? aggregate.capacity() : null,
                aggregate.claims(),
                aggregate.denials(),
                aggregate.distinctAgents());
    }

    private ZoneId zone(Context ctx) {
        String text = ctx.queryParam("zone");
        if (text == null || text.isBlank()) {
            return usage.zone();
        }
        try {
            return ZoneId.of(text.strip());
        } catch (DateTimeException e) {
            throw invalid(
                    "zone", "parameter 'zone' must be a time zone ID such as Europe/Berlin or UTC, was '" + text + "'");
        }
    }

    private static Optional<LocalDate> date(Context ctx, String name) {
        return parsed(ctx, name, LocalDate::parse, "a date such as 2027-01-31");
    }

    private static Optional<YearMonth> month(Context ctx, String name) {
        return parsed(ctx, name, YearMonth::parse, "a month such as 2027-01");
    }

    private static <T> Optional<T> parsed(Context ctx, String name, Function<String, T> parse, String expected) {
        String text = ctx.queryParam(name);
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse.apply(text.strip()));
        } catch (DateTimeParseException e) {
            throw invalid(name, "parameter '" + name + "' must be " + expected + ", was '" + text + "'");
        }
    }

    private static void requirePeriod(LocalDate from, LocalDate to, long length, int max, String unit) {
        if (to.isBefore(from)) {
            throw invalid("from", "parameter 'from' (" + from + ") must not be after 'to' (" + to + ")");
        }
        if (length > max) {
            throw invalid(
                    "from",
                    "the period from " + from + " to " + to + " is " + length + " " + unit + "; ask for at most " + max
                            + " " + unit + " at once");
        }
    }

    private static BigDecimal serviceLevel(Context ctx) {
        String text = Optional.ofNullable(ctx.queryParam("serviceLevel")).orElse("99.9");
        try {
            BigDecimal level = new BigDecimal(text.strip());
            if (level.signum() > 0 && level.compareTo(BigDecimal.valueOf(100)) <= 0 && level.scale() <= 4) {
                return level;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(
                "serviceLevel",
                "parameter 'serviceLevel' must be a percentage above 0 and at most 100 (e.g. 99.9), was '" + text
                        + "'");
    }

    private static int seats(String text) {
        try {
            int seats = Integer.parseInt(text.strip());
            if (seats >= 0 && seats <= 1_000_000) {
                return seats;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid("seats", "parameter 'seats' must be a seat count from 0 to 1000000, was '" + text + "'");
    }

    private static BigDecimal percent(double share) {
        return plain(BigDecimal.valueOf(share * 100).setScale(3, java.math.RoundingMode.HALF_UP));
    }

    /** The number without trailing zeros and never in exponent form (100, not 1E+2). */
    private static BigDecimal plain(BigDecimal number) {
        return new BigDecimal(number.stripTrailingZeros().toPlainString());
    }

    /** Refuses a parameter the report does not know, or one given twice. */
    private static void requireOnly(Context ctx, Set<String> known) {
        for (Map.Entry<String, List<String>> parameter : ctx.queryParamMap().entrySet()) {
            String name = parameter.getKey();
            if (!known.contains(name)) {
                throw invalid(
                        name,
                        "parameter '" + name + "' is not known here; use "
                                + String.join(", ", known.stream().sorted().toList()));
            }
            if (parameter.getValue().size() > 1) {
                throw invalid(name, "parameter '" + name + "' is given more than once; give it once");
            }
        }
    }

    private static ProblemException invalid(String parameter, String detail) {
        return ProblemType.INVALID_PARAMETER.problem(detail, Map.of("parameter", parameter));
    }
}
