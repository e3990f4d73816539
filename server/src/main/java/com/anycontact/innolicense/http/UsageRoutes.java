package com.anycontact.innolicense.http;

import com.anycontact.innolicense.license.LicenseService;
import com.anycontact.innolicense.seat.SeatLedger;
import com.anycontact.innolicense.usage.UsagePoint;
import com.anycontact.innolicense.usage.UsageReport;
import com.anycontact.innolicense.usage.UsageTracker;
import io.javalin.http.Context;
import java.util.List;

/** The AC Agent Dashboard's usage: seats in use now, peaks, denials and the history of the last hour and day. */
final class UsageRoutes {

    /** How many of the latest denials are listed. */
    static final int RECENT_DENIALS = 10;

    /** One point of a chart; {@code maxInUse} and {@code capacity} are null where nothing was recorded. */
    record PointView(String at, Integer maxInUse, Integer capacity) {}

    /** A denial. */
    record DenialView(String agentId, String at) {}

    /** The last hour per minute and the last day per five minutes. */
    record HistoryView(List<PointView> hour, List<PointView> day) {}

    /** The answer. */
    record UsageView(
            int inUse,
            int capacity,
            String state,
            String zone,
            int peakToday,
            int peak7Days,
            int peak30Days,
            long denialsToday,
            List<DenialView> recentDenials,
            HistoryView history,
            String evaluatedAt) {}

    private final UsageTracker usage;
    private final LicenseService licenses;
    private final SeatLedger ledger;
    private final Json json;

    UsageRoutes(UsageTracker usage, LicenseService licenses, SeatLedger ledger, Json json) {
        this.usage = usage;
        this.licenses = licenses;
        this.ledger = ledger;
        this.json = json;
    }

    void usage(Context ctx) {
        UsageReport report = usage.report();
        List<DenialView> denials = ledger.recentDenials(RECENT_DENIALS).stream()
                .map(denial ->
                        new DenialView(denial.agent().value(), denial.at().toString()))
                .toList();
        json.write(
                ctx,
                200,
                new UsageView(
                        report.live().inUse(),
                        report.live().capacity(),
                        licenses.status().state().name(),
                        report.zone().getId(),
                        report.live().peakToday(),
                        report.peak7Days(),
                        report.peak30Days(),
                        report.live().denialsToday(),
                        denials,
                        new HistoryView(points(report.lastHour()), points(report.lastDay())),
                        report.at().toString()));
    }

    private static List<PointView> points(List<UsagePoint> points) {
        return points.stream()
                .map(point -> new PointView(point.at().toString(), point.maxInUse(), point.capacity()))
                .toList();
    }
}
