package com.anycontact.innolicense.license;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;

/** Test data for lifecycle tests: licenses that differ only in what a test cares about. */
final class LifecycleLicenses {

    static final InstallationId INSTALLATION = new InstallationId("IACD-7K3M-Q9XW-2D4F-HT6B");
    static final SortedSet<String> FEATURES = License.features(Set.of("ACD", "REPORTING"));

    private LifecycleLicenses() {}

    /** A Berlin license starting 2026-12-01 for 12 months plus 14 days of grace, 25 seats. */
    static Builder serial(long serial) {
        return new Builder(serial);
    }

    static Instant at(String zonedDateTime) {
        return ZonedDateTime.parse(zonedDateTime).toInstant();
    }

    static LicenseStatus evaluate(Collection<License> applied, Instant now) {
        return LicenseLifecycle.evaluate(applied, now);
    }

    static LicenseState stateAt(License license, Instant now) {
        return LicenseLifecycle.evaluate(List.of(license), now).state();
    }

    /** The states one second before, at and one second after {@code boundary}. */
    static List<LicenseState> statesAround(License license, Instant boundary) {
        return List.of(
                stateAt(license, boundary.minusSeconds(1)),
                stateAt(license, boundary),
                stateAt(license, boundary.plusSeconds(1)));
    }

    static final class Builder {
        private final long serial;
        private String licenseId;
        private String keyId = "vendor-2026";
        private InstallationId installation = INSTALLATION;
        private LocalDate startDate = LocalDate.parse("2026-12-01");
        private ZoneId zone = ZoneId.of("Europe/Berlin");
        private int termMonths = License.DEFAULT_TERM_MONTHS;
        private int graceDays = License.DEFAULT_GRACE_DAYS;
        private int seats = 25;
        private SortedSet<String> features = FEATURES;

        private Builder(long serial) {
            this.serial = serial;
        }

        Builder licenseId(String id) {
            licenseId = id;
            return this;
        }

        Builder keyId(String id) {
            keyId = id;
            return this;
        }

        Builder installation(InstallationId id) {
            installation = id;
            return this;
        }

        Builder start(String date) {
            startDate = LocalDate.parse(date);
            return this;
        }

        Builder start(LocalDate date) {
            startDate = date;
            return this;
        }

        Builder zone(String zoneId) {
            zone = ZoneId.of(zoneId);
            return this;
        }

        Builder zone(ZoneId zoneId) {
            zone = zoneId;
            return this;
        }

        Builder termMonths(int months) {
            termMonths = months;
            return this;
        }

        Builder graceDays(int days) {
            graceDays = days;
            return this;
        }

        Builder seats(int count) {
            seats = count;
            return this;
        }

        Builder features(String... codes) {
            features = License.features(Set.of(codes));
            return this;
        }

        License build() {
            return new License(
                    licenseId != null ? licenseId : "LIC-" + serial,
                    serial,
                    keyId,
                    new Customer("C-77", "Example Contact Center GmbH"),
                    "ORDER-" + serial,
                    installation,
                    features,
                    seats,
                    startDate,
                    zone,
                    termMonths,
                    graceDays,
                    Instant.parse("2026-11-15T09:00:00Z"));
        }
    }
}
