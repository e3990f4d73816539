package com.anycontact.innolicense.license;

import static com.anycontact.innolicense.license.LifecycleLicenses.at;
import static com.anycontact.innolicense.license.LifecycleLicenses.evaluate;
import static com.anycontact.innolicense.license.LifecycleLicenses.serial;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LicenseLifecycleTest {

    private static final Instant START = at("2026-12-01T00:00+01:00[Europe/Berlin]");
    private static final Instant END = at("2027-12-01T00:00+01:00[Europe/Berlin]");
    private static final Instant GRACE_END = at("2027-12-15T00:00+01:00[Europe/Berlin]");

    private final License license = serial(1).seats(50).build();

    @Test
    void evaluate_withoutLicenses_isUnlicensedWithDemoCapacityAndTheWholeCatalog() {
        LicenseStatus status = evaluate(List.of(), START);

        assertThat(status)
                .isEqualTo(new LicenseStatus(
                        LicenseState.UNLICENSED,
                        2,
                        ProductCatalog.features(),
                        Optional.empty(),
                        Optional.empty(),
                        START));
    }

    @Test
    void evaluate_beforeTheOnlyLicenseStarts_isPendingWithDemoCapacityAndTheWholeCatalog() {
        LicenseStatus status = evaluate(List.of(license), START.minusSeconds(1));

        assertThat(status)
                .isEqualTo(new LicenseStatus(
                        LicenseState.PENDING,
                        2,
                        ProductCatalog.features(),
                        Optional.empty(),
                        Optional.of(license),
                        START.minusSeconds(1)));
    }

    @Test
    void evaluate_beforeAnyOfSeveralStarts_isPendingOnTheEarliestStarting() {
        License later = serial(3).start("2027-01-01").build();
        License earliest = serial(1).start("2026-12-01").build();
        License sameStartHigherSerial = serial(2).start("2026-12-01").build();

        LicenseStatus status = evaluate(List.of(later, earliest, sameStartHigherSerial), START.minusSeconds(1));

        assertThat(status.state()).isEqualTo(LicenseState.PENDING);
        assertThat(status.pending()).contains(sameStartHigherSerial);
    }

    @Test
    void evaluate_duringTheTerm_grantsTheLicensedSeatsAndFeatures() {
        LicenseStatus status = evaluate(List.of(license), START);

        assertThat(status)
                .isEqualTo(new LicenseStatus(
                        LicenseState.ACTIVE,
                        50,
                        LifecycleLicenses.FEATURES,
                        Optional.of(license),
                        Optional.empty(),
                        START));
        assertThat(status.end()).contains(END);
        assertThat(status.graceEnd()).contains(GRACE_END);
    }

    @Test
    void evaluate_duringGrace_keepsTheLicensedSeatsAndFeatures() {
        LicenseStatus status = evaluate(List.of(license), END);

        assertThat(status.state()).isEqualTo(LicenseState.GRACE);
        assertThat(status.capacity()).isEqualTo(50);
        assertThat(status.features()).isEqualTo(LifecycleLicenses.FEATURES);
        assertThat(status.current()).contains(license);
    }

    @Test
    void evaluate_afterGrace_isDemoWithTwoSeatsAndTheFeaturesOfTheLapsedLicense() {
        License lapsed = serial(1).seats(50).features("ACD", "WFM").build();

        LicenseStatus status = evaluate(List.of(lapsed), GRACE_END);

        assertThat(status.state()).isEqualTo(LicenseState.DEMO);
        assertThat(status.capacity()).isEqualTo(2);
        assertThat(status.features()).containsExactly("ACD", "WFM");
        assertThat(status.current()).contains(lapsed);
    }

    @Test
    void evaluate_renewalStartingAtTheEnd_takesOverWithoutGap() {
        License renewal = serial(2).start("2027-12-01").seats(60).build();
        List<License> applied = List.of(license, renewal);

        LicenseStatus before = evaluate(applied, END.minusSeconds(1));
        LicenseStatus at = evaluate(applied, END);

        assertThat(before.state()).isEqualTo(LicenseState.ACTIVE);
        assertThat(before.current()).contains(license);
        assertThat(before.pending()).contains(renewal);
        assertThat(before.capacity()).isEqualTo(50);
        assertThat(at.state()).isEqualTo(LicenseState.ACTIVE);
        assertThat(at.current()).contains(renewal);
        assertThat(at.pending()).isEmpty();
        assertThat(at.capacity()).isEqualTo(60);
    }

    @Test
    void evaluate_renewalStartingDuringGrace_endsGraceAtItsStart() {
        License renewal = serial(2).start("2027-12-08").build();
        Instant renewalStart = at("2027-12-08T00:00+01:00[Europe/Berlin]");
        List<License> applied = List.of(license, renewal);

        LicenseStatus before = evaluate(applied, renewalStart.minusSeconds(1));
        LicenseStatus at = evaluate(applied, renewalStart);

        assertThat(before.state()).isEqualTo(LicenseState.GRACE);
        assertThat(before.current()).contains(license);
        assertThat(before.pending()).contains(renewal);
        assertThat(at.state()).isEqualTo(LicenseState.ACTIVE);
        assertThat(at.current()).contains(renewal);
    }

    @Test
    void evaluate_renewalStartingAfterGrace_leavesDemoUntilItsStart() {
        License renewal = serial(2).start("2028-01-01").build();
        Instant renewalStart = at("2028-01-01T00:00+01:00[Europe/Berlin]");
        List<License> applied = List.of(license, renewal);

        LicenseStatus before = evaluate(applied, renewalStart.minusSeconds(1));
        LicenseStatus at = evaluate(applied, renewalStart);

        assertThat(before.state()).isEqualTo(LicenseState.DEMO);
        assertThat(before.pending()).contains(renewal);
        assertThat(at.state()).isEqualTo(LicenseState.ACTIVE);
        assertThat(at.current()).contains(renewal);
    }

    @Test
    void evaluate_higherSerialWithFewerSeats_supersedesAStillActiveLicenseAtItsStart() {
        License fewerSeats = serial(2).start("2027-06-01").seats(10).build();
        Instant replacementStart = at("2027-06-01T00:00+02:00[Europe/Berlin]");
        List<License> applied = List.of(license, fewerSeats);

        assertThat(evaluate(applied, replacementStart.minusSeconds(1)).capacity())
                .isEqualTo(50);
        LicenseStatus status = evaluate(applied, replacementStart);
        assertThat(status.state()).isEqualTo(LicenseState.ACTIVE);
        assertThat(status.current()).contains(fewerSeats);
        assertThat(status.capacity()).isEqualTo(10);
    }

    @Test
    void evaluate_lowerSerialAppliedAfterAHigherOne_neverTakesOver() {
        License higher = serial(5).seats(50).build();
        License lower = serial(4).start("2027-06-01").seats(500).build();
        Instant lowerStart = at("2027-06-01T00:00+02:00[Europe/Berlin]");

        LicenseStatus status = evaluate(List.of(higher, lower), lowerStart);

        assertThat(status.current()).contains(higher);
        assertThat(status.capacity()).isEqualTo(50);
        assertThat(status.pending()).isEmpty();
    }

    @Test
    void evaluate_lowerSerialStillInItsTerm_doesNotRescueALapsedHigherSerial() {
        License higher = serial(5).build();
        License lower = serial(4).start("2027-06-01").seats(500).build();

        LicenseStatus status = evaluate(List.of(higher, lower), GRACE_END);

        assertThat(status.state()).isEqualTo(LicenseState.DEMO);
        assertThat(status.current()).contains(higher);
        assertThat(status.capacity()).isEqualTo(2);
    }

    @Test
    void evaluate_severalFutureRenewals_pendsOnTheOneStartingFirst() {
        License first = serial(2).start("2027-12-01").build();
        License second = serial(3).start("2028-12-01").build();

        LicenseStatus status = evaluate(List.of(second, license, first), START);

        assertThat(status.current()).contains(license);
        assertThat(status.pending()).contains(first);
    }

    @Test
    void evaluate_sameLicenseAppliedTwice_countsOnce() {
        LicenseStatus status = evaluate(List.of(license, license), START);

        assertThat(status.current()).contains(license);
    }

    @Test
    void evaluate_twoDifferentLicensesWithOneSerial_isRejected() {
        License other = serial(1).seats(7).build();
        List<License> applied = List.of(license, other);

        assertThatIllegalArgumentException()
                .isThrownBy(() -> evaluate(applied, START))
                .withMessage("licenses LIC-1 and LIC-1 carry the same serial 1");
    }
}
