package com.anycontact.innolicense.license;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.audit.AuditEvent;
import com.anycontact.innolicense.audit.InMemoryAuditLog;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class TrustedTimeFloorTest {

    private static final Instant MARK = Instant.parse("2027-03-01T00:00:00Z");

    private final InMemoryInstallationStore installation = new InMemoryInstallationStore();
    private final InMemoryLicenseStore licenses = new InMemoryLicenseStore();
    private final InMemoryAuditLog audit = new InMemoryAuditLog();

    @Test
    void of_aFirstStart_isTheEpoch() {
        assertThat(floor()).isEqualTo(TrustedTimeFloor.NONE);
        assertThat(floor().at()).isEqualTo(Instant.EPOCH);
    }

    @Test
    void of_withOnlyTheMark_isTheMark() {
        installation.saveTrustedTimeMark(MARK);

        assertThat(floor()).isEqualTo(new TrustedTimeFloor(MARK, "the persisted trusted-time mark"));
    }

    @Test
    void of_withALicenseIssuedAfterTheMark_isItsIssueTime() {
        installation.saveTrustedTimeMark(MARK);
        Instant issued = MARK.plusSeconds(3_600);
        licenses.add(applied(license(7, issued), MARK.minusSeconds(60)));

        assertThat(floor()).isEqualTo(new TrustedTimeFloor(issued, "the issue time of license LIC-7 (serial 7)"));
    }

    @Test
    void of_withALicenseAppliedAfterTheMark_isTheTimeItWasApplied() {
        installation.saveTrustedTimeMark(MARK);
        Instant applied = MARK.plusSeconds(7_200);
        licenses.add(applied(license(1, MARK.minusSeconds(86_400)), MARK.minusSeconds(60)));
        licenses.add(applied(license(2, MARK.minusSeconds(3_600)), applied));

        assertThat(floor()).isEqualTo(new TrustedTimeFloor(applied, "the time license LIC-2 was applied"));
    }

    @Test
    void of_withAnAuditEventAfterEverythingElse_isThatEvent() {
        installation.saveTrustedTimeMark(MARK);
        licenses.add(applied(license(1, MARK.minusSeconds(86_400)), MARK.minusSeconds(60)));
        Instant recorded = MARK.plusSeconds(86_400 * 30);
        audit.record(MARK, AuditEvent.SYSTEM, AuditEvent.Type.SERVER_STARTED, "started");
        audit.record(recorded, AuditEvent.SYSTEM, AuditEvent.Type.STATE_CHANGED, "GRACE -> DEMO");

        assertThat(floor()).isEqualTo(new TrustedTimeFloor(recorded, "the newest audit event (#2, STATE_CHANGED)"));
    }

    @Test
    void trustedClock_startedOnTheFloorWithTheClockSetBack_keepsALapsedLicenseInDemo() {
        License lapsed = license(1, Instant.parse("2026-11-15T09:00:00Z"));
        licenses.add(applied(lapsed, Instant.parse("2026-11-20T09:00:00Z")));
        audit.record(lapsed.graceEnd(), AuditEvent.SYSTEM, AuditEvent.Type.STATE_CHANGED, "GRACE -> DEMO");
        MutableClock setBack = new MutableClock(lapsed.start().plusSeconds(86_400));

        TrustedClock trusted =
                new TrustedClock(setBack, setBack.ticker(), floor().at(), java.time.Duration.ofMinutes(1), jump -> {});

        assertThat(LicenseLifecycle.evaluate(
                                licenses.all().stream()
                                        .map(AppliedLicense::license)
                                        .toList(),
                                trusted.now())
                        .state())
                .isEqualTo(LicenseState.DEMO);
    }

    private TrustedTimeFloor floor() {
        return TrustedTimeFloor.of(installation, licenses, audit);
    }

    private static AppliedLicense applied(License license, Instant at) {
        return new AppliedLicense(license, "key of " + license.licenseId(), at, "admin");
    }

    private static License license(long serial, Instant issuedAt) {
        return new License(
                "LIC-" + serial,
                serial,
                "vendor-2026",
                new Customer("C-77", "Example Contact Center GmbH"),
                "ORDER-" + serial,
                LifecycleLicenses.INSTALLATION,
                LifecycleLicenses.FEATURES,
                25,
                LocalDate.parse("2026-12-01"),
                ZoneId.of("Europe/Berlin"),
                License.DEFAULT_TERM_MONTHS,
                License.DEFAULT_GRACE_DAYS,
                issuedAt);
    }
}
