package com.anycontact.innolicense.http;

import com.anycontact.innolicense.access.AccessService;
import com.anycontact.innolicense.access.Sessions;
import com.anycontact.innolicense.alert.AlertService;
import com.anycontact.innolicense.audit.AuditLog;
import com.anycontact.innolicense.cluster.Cluster;
import com.anycontact.innolicense.license.LicenseService;
import com.anycontact.innolicense.license.TrustedClock;
import com.anycontact.innolicense.seat.SeatLedger;
import com.anycontact.innolicense.seat.SeatReleases;
import com.anycontact.innolicense.usage.UsageReports;
import com.anycontact.innolicense.usage.UsageTracker;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Objects;

/**
 * What the HTTP API serves: the services it adapts to HTTP, wired by the server.
 *
 * @param licenses the license service
 * @param seats the seat ledger
 * @param access users, tokens and logins
 * @param sessions the browser sessions
 * @param audit the audit log, for what the API itself records (denials, refused renewals)
 * @param clock trusted time, the license clock: dates what the API records, and its reading is shown in the
 *     license status
 * @param secureCookies whether the session cookie is marked {@code Secure}
 * @param proxies the reverse proxies whose forwarding headers give the client's address and scheme
 * @param metrics the meters, scraped by {@code GET /metrics}; the API adds its request timer
 * @param readiness what {@code GET /health/ready} checks
 * @param usage seat use now, its peaks and history
 * @param reports the usage reports: days, months, heatmap, right-size advice
 * @param events the live events streamed to the dashboard
 * @param cluster this node among the cluster's nodes (a cluster of one when embedded)
 * @param clustered whether the node is on the cluster database: {@code /health/ready} then lists the nodes
 * @param alerts alert rules, subscriptions and deliveries
 */
public record ApiServices(
        LicenseService licenses,
        SeatLedger seats,
        AccessService access,
        Sessions sessions,
        AuditLog audit,
        TrustedClock clock,
        boolean secureCookies,
        TrustedProxies proxies,
        PrometheusMeterRegistry metrics,
        List<HealthCheck> readiness,
        UsageTracker usage,
        UsageReports reports,
        LiveEvents events,
        Cluster cluster,
        boolean clustered,
        SeatReleases releases,
        AlertService alerts) {

    /** Requires every service; copies the checks. */
    public ApiServices {
        Objects.requireNonNull(licenses, "licenses");
        Objects.requireNonNull(seats, "seats");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(proxies, "proxies");
        Objects.requireNonNull(metrics, "metrics");
        readiness = List.copyOf(readiness);
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(reports, "reports");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(releases, "releases");
        Objects.requireNonNull(alerts, "alerts");
    }
}
