package com.anycontact.innolicense.license;

import static com.anycontact.innolicense.license.LifecycleLicenses.at;
import static com.anycontact.innolicense.license.LifecycleLicenses.evaluate;
import static com.anycontact.innolicense.license.LifecycleLicenses.serial;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LicenseStatusTest {

    private static final Instant START = at("2026-12-01T00:00+01:00[Europe/Berlin]");
    private static final Instant END = at("2027-12-01T00:00+01:00[Europe/Berlin]");
    private static final Instant GRACE_END = at("2027-12-15T00:00+01:00[Europe/Berlin]");

    private final License license = serial(1).build();

    @ParameterizedTest(name = "{0} before the end: {1}")
    @CsvSource({"PT5H, 1", "PT1S, 1", "P1D, 1", "PT24H0.000000001S, 2", "P2D, 2", "PT48H1S, 3", "P365D, 365"})
    void daysRemaining_whenActive_roundsTheTimeToTheEndUp(Duration left, long days) {
        assertThat(evaluate(List.of(license), END.minus(left)).daysRemaining()).isEqualTo(days);
    }

    @Test
    void daysRemaining_whenInGrace_countsToTheGraceEnd() {
        assertThat(evaluate(List.of(license), END).daysRemaining()).isEqualTo(14);
        assertThat(evaluate(List.of(license), GRACE_END.minusSeconds(1)).daysRemaining())
                .isEqualTo(1);
    }

    @Test
    void daysRemaining_whenUnlicensedPendingOrDemo_isZero() {
        assertThat(evaluate(List.of(), END).daysRemaining()).isZero();
        assertThat(evaluate(List.of(license), START.minusSeconds(1)).daysRemaining())
                .isZero();
        assertThat(evaluate(List.of(license), GRACE_END).daysRemaining()).isZero();
    }

    @ParameterizedTest(name = "{0} before the end: {1}")
    @CsvSource({
        "P365D, ",
        "PT720H1S, ",
        "P30D, EXPIRES_WITHIN_30_DAYS",
        "PT336H1S, EXPIRES_WITHIN_30_DAYS",
        "P14D, EXPIRES_WITHIN_14_DAYS",
        "PT168H1S, EXPIRES_WITHIN_14_DAYS",
        "P7D, EXPIRES_WITHIN_7_DAYS",
        "PT24H1S, EXPIRES_WITHIN_7_DAYS",
        "P1D, EXPIRES_WITHIN_1_DAY",
        "PT1S, EXPIRES_WITHIN_1_DAY"
    })
    void warnings_beforeTheEnd_nameOnlyTheTightestThresholdReached(Duration left, LicenseWarning.Code expected) {
        List<LicenseWarning> warnings =
                evaluate(List.of(license), END.minus(left)).warnings();

        assertThat(warnings).map(LicenseWarning::code).isEqualTo(expected == null ? List.of() : List.of(expected));
    }

    @Test
    void warnings_sixDaysBeforeTheEnd_nameTheEndWithItsZone() {
        LicenseStatus status = evaluate(List.of(license), END.minus(Duration.ofDays(6)));

        assertThat(status.warnings())
                .containsExactly(
                        new LicenseWarning(
                                LicenseWarning.Code.EXPIRES_WITHIN_7_DAYS,
                                "License expires on 2027-12-01 00:00 Europe/Berlin (UTC+01:00), in 6 days; apply a renewal key"));
    }

    @Test
    void warnings_withRenewalStartingAtTheEnd_areNone() {
        License renewal = serial(2).start("2027-12-01").build();

        LicenseStatus status = evaluate(List.of(license, renewal), END.minusSeconds(1));

        assertThat(status.warnings()).isEmpty();
    }

    @Test
    void warnings_withRenewalStartingBeforeTheEnd_areNone() {
        License renewal = serial(2).start("2027-11-30").build();

        LicenseStatus status = evaluate(List.of(license, renewal), END.minus(Duration.ofDays(2)));

        assertThat(status.warnings()).isEmpty();
    }

    @Test
    void warnings_withRenewalStartingAfterTheEnd_stillWarnAndNameTheRenewalStart() {
        License renewal = serial(2).start("2027-12-02").build();

        LicenseStatus status = evaluate(List.of(license, renewal), END.minus(Duration.ofHours(5)));

        assertThat(status.warnings())
                .containsExactly(new LicenseWarning(
                        LicenseWarning.Code.EXPIRES_WITHIN_1_DAY,
                        "License expires on 2027-12-01 00:00 Europe/Berlin (UTC+01:00), in 1 day; the renewal already"
                                + " applied starts only on 2027-12-02 00:00 Europe/Berlin (UTC+01:00)"));
    }

    @Test
    void warnings_inGrace_nameTheGraceEnd() {
        LicenseStatus status = evaluate(List.of(license), END.plus(Duration.ofDays(4)));

        assertThat(status.warnings())
                .containsExactly(new LicenseWarning(
                        LicenseWarning.Code.IN_GRACE,
                        "License expired on 2027-12-01 00:00 Europe/Berlin (UTC+01:00); grace period ends on"
                                + " 2027-12-15 00:00 Europe/Berlin (UTC+01:00), in 10 days; then only 2 concurrent users"
                                + " can log in; apply a renewal key"));
    }

    @Test
    void warnings_inGraceWithRenewalStartingBeforeTheGraceEnd_nameTheRenewalStart() {
        License renewal = serial(2).start("2027-12-08").build();

        LicenseStatus status = evaluate(List.of(license, renewal), END);

        assertThat(status.warnings())
                .containsExactly(new LicenseWarning(
                        LicenseWarning.Code.IN_GRACE,
                        "License expired on 2027-12-01 00:00 Europe/Berlin (UTC+01:00); grace period ends on"
                                + " 2027-12-15 00:00 Europe/Berlin (UTC+01:00), in 14 days; the renewal already applied"
                                + " starts on 2027-12-08 00:00 Europe/Berlin (UTC+01:00)"));
    }

    @Test
    void warnings_inGraceWithRenewalStartingAfterTheGraceEnd_warnOfDemoUntilTheRenewalStarts() {
        License renewal = serial(2).start("2028-01-01").build();

        LicenseStatus status = evaluate(List.of(license, renewal), END);

        assertThat(status.warnings())
                .containsExactly(new LicenseWarning(
                        LicenseWarning.Code.IN_GRACE,
                        "License expired on 2027-12-01 00:00 Europe/Berlin (UTC+01:00); grace period ends on"
                                + " 2027-12-15 00:00 Europe/Berlin (UTC+01:00), in 14 days; then only 2 concurrent users"
                                + " can log in until the renewal already applied starts on"
                                + " 2028-01-01 00:00 Europe/Berlin (UTC+01:00)"));
    }

    @Test
    void warnings_inDemoWithRenewalPending_nameTheRenewalStart() {
        License renewal = serial(2).start("2028-01-01").build();

        LicenseStatus status = evaluate(List.of(license, renewal), GRACE_END);

        assertThat(status.warnings())
                .containsExactly(new LicenseWarning(
                        LicenseWarning.Code.DEMO_MODE,
                        "License grace period ended on 2027-12-15 00:00 Europe/Berlin (UTC+01:00); demo mode: only 2"
                                + " concurrent users can log in until the license applied starts on"
                                + " 2028-01-01 00:00 Europe/Berlin (UTC+01:00)"));
    }

    @Test
    void warnings_inDemo_nameTheGraceEnd() {
        LicenseStatus status = evaluate(List.of(license), GRACE_END);

        assertThat(status.warnings())
                .containsExactly(new LicenseWarning(
                        LicenseWarning.Code.DEMO_MODE,
                        "License grace period ended on 2027-12-15 00:00 Europe/Berlin (UTC+01:00); demo mode: only 2"
                                + " concurrent users can log in until a new license key is applied"));
    }

    @Test
    void warnings_whenUnlicensed_sayDemoMode() {
        assertThat(evaluate(List.of(), START).warnings())
                .containsExactly(new LicenseWarning(
                        LicenseWarning.Code.UNLICENSED,
                        "No license applied; demo mode: only 2 concurrent users can log in until a license key is"
                                + " applied"));
    }

    @Test
    void warnings_whenPending_nameTheStartWithItsZone() {
        LicenseStatus status = evaluate(List.of(license), START.minus(Duration.ofHours(30)));

        assertThat(status.warnings())
                .containsExactly(new LicenseWarning(
                        LicenseWarning.Code.PENDING,
                        "License starts on 2026-12-01 00:00 Europe/Berlin (UTC+01:00), in 2 days; until then demo mode:"
                                + " only 2 concurrent users can log in"));
    }

    @Test
    void new_activeWithoutCurrentLicense_isRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new LicenseStatus(
                        LicenseState.ACTIVE,
                        5,
                        License.features(Set.of("ACD")),
                        Optional.empty(),
                        Optional.empty(),
                        START));
    }
}
