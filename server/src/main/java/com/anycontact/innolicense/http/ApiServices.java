package com.anycontact.innolicense.http;

import com.anycontact.innolicense.access.AccessService;
import com.anycontact.innolicense.access.Sessions;
import com.anycontact.innolicense.alert.AlertService;
import com.anycontact.innolicense.audit.AuditLog;
import com.anycontact.innolicense.license.LicenseService;
import com.anycontact.innolicense.license.TrustedClock;
import com.anycontact.innolicense.seat.SeatLedger;
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
 * @param events the live events streamed to the dashboard
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
        LiveEvents events,
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
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(alerts, "alerts");
    }
}
