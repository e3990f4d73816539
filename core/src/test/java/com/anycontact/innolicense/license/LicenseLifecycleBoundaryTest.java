package com.anycontact.innolicense.license;

import static com.anycontact.innolicense.license.LicenseState.ACTIVE;
import static com.anycontact.innolicense.license.LicenseState.DEMO;
import static com.anycontact.innolicense.license.LicenseState.GRACE;
import static com.anycontact.innolicense.license.LicenseState.PENDING;
import static com.anycontact.innolicense.license.LifecycleLicenses.at;
import static com.anycontact.innolicense.license.LifecycleLicenses.serial;
import static com.anycontact.innolicense.license.LifecycleLicenses.statesAround;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class LicenseLifecycleBoundaryTest {

    @Nested
    class BerlinLicense {

        private final License license =
                serial(1).start("2026-12-01").zone("Europe/Berlin").build();

        @Test
        void evaluate_aroundStart_turnsActiveAtMidnightBerlinTime() {
            Instant start = at("2026-12-01T00:00+01:00[Europe/Berlin]");

            assertThat(license.start()).isEqualTo(start).isEqualTo(Instant.parse("2026-11-30T23:00:00Z"));
            assertThat(statesAround(license, start)).containsExactly(PENDING, ACTIVE, ACTIVE);
        }

        @Test
        void evaluate_aroundEnd_turnsGraceTwelveMonthsLater() {
            Instant end = at("2027-12-01T00:00+01:00[Europe/Berlin]");

            assertThat(license.end()).isEqualTo(end);
            assertThat(statesAround(license, end)).containsExactly(ACTIVE, GRACE, GRACE);
        }

        @Test
        void evaluate_aroundGraceEnd_turnsDemoFourteenDaysAfterEnd() {
            Instant graceEnd = at("2027-12-15T00:00+01:00[Europe/Berlin]");

            assertThat(license.graceEnd()).isEqualTo(graceEnd);
            assertThat(statesAround(license, graceEnd)).containsExactly(GRACE, DEMO, DEMO);
        }
    }

    @Nested
    class DaylightSavingTime {

        @Test
        void evaluate_licenseStartingOnBerlinSpringForward_endsAtMidnightSummerTime() {
            License license =
                    serial(1).start("2027-03-28").zone("Europe/Berlin").build();
            Instant start = at("2027-03-28T00:00+01:00[Europe/Berlin]");
            Instant end = at("2028-03-28T00:00+02:00[Europe/Berlin]");
            Instant graceEnd = at("2028-04-11T00:00+02:00[Europe/Berlin]");

            assertThat(license.start()).isEqualTo(start);
            assertThat(license.end()).isEqualTo(end);
            assertThat(license.graceEnd()).isEqualTo(graceEnd);
            assertThat(statesAround(license, start)).containsExactly(PENDING, ACTIVE, ACTIVE);
            assertThat(statesAround(license, end)).containsExactly(ACTIVE, GRACE, GRACE);
            assertThat(statesAround(license, graceEnd)).containsExactly(GRACE, DEMO, DEMO);
        }

        @Test
        void evaluate_licenseStartingOnBerlinFallBack_startsAtMidnightSummerTime() {
            License license = serial(1)
                    .start("2027-10-31")
                    .zone("Europe/Berlin")
                    .termMonths(1)
                    .build();
            Instant start = at("2027-10-31T00:00+02:00[Europe/Berlin]");
            Instant end = at("2027-11-30T00:00+01:00[Europe/Berlin]");

            assertThat(license.start()).isEqualTo(start).isEqualTo(Instant.parse("2027-10-30T22:00:00Z"));
            assertThat(license.end()).isEqualTo(end);
            assertThat(statesAround(license, start)).containsExactly(PENDING, ACTIVE, ACTIVE);
            assertThat(statesAround(license, end)).containsExactly(ACTIVE, GRACE, GRACE);
        }

        @Test
        void evaluate_graceSpanningNewYorkFallBack_lastsOneHourLonger() {
            License license = serial(1)
                    .start("2027-10-07")
                    .zone("America/New_York")
                    .termMonths(1)
                    .build();
            Instant end = at("2027-11-07T00:00-04:00[America/New_York]");
            Instant graceEnd = at("2027-11-21T00:00-05:00[America/New_York]");

            assertThat(license.end()).isEqualTo(end);
            assertThat(license.graceEnd()).isEqualTo(graceEnd).isEqualTo(end.plusSeconds((14 * 24 + 1) * 3600));
            assertThat(statesAround(license, end)).containsExactly(ACTIVE, GRACE, GRACE);
            assertThat(statesAround(license, graceEnd)).containsExactly(GRACE, DEMO, DEMO);
        }

        @Test
        void evaluate_startDateWhoseMidnightSaoPauloSkips_startsAtOneInTheMorning() {
            License license =
                    serial(1).start("2018-11-04").zone("America/Sao_Paulo").build();
            Instant start = at("2018-11-04T01:00-02:00[America/Sao_Paulo]");

            assertThat(license.start()).isEqualTo(start).isEqualTo(Instant.parse("2018-11-04T03:00:00Z"));
            assertThat(statesAround(license, start)).containsExactly(PENDING, ACTIVE, ACTIVE);
        }

        @Test
        void evaluate_endDateWhoseMidnightSaoPauloSkips_endsAtOneInTheMorning() {
            License license =
                    serial(1).start("2017-11-04").zone("America/Sao_Paulo").build();
            Instant end = at("2018-11-04T01:00-02:00[America/Sao_Paulo]");

            assertThat(license.end()).isEqualTo(end).isEqualTo(Instant.parse("2018-11-04T03:00:00Z"));
            assertThat(statesAround(license, end)).containsExactly(ACTIVE, GRACE, GRACE);
        }

        @Test
        void evaluate_graceEndDateWhoseMidnightSaoPauloSkips_lapsesAtOneInTheMorning() {
            License license =
                    serial(1).start("2017-10-21").zone("America/Sao_Paulo").build();
            Instant graceEnd = at("2018-11-04T01:00-02:00[America/Sao_Paulo]");

            assertThat(license.end()).isEqualTo(at("2018-10-21T00:00-03:00[America/Sao_Paulo]"));
            assertThat(license.graceEnd()).isEqualTo(graceEnd);
            assertThat(statesAround(license, graceEnd)).containsExactly(GRACE, DEMO, DEMO);
        }

        @Test
        void evaluate_oneGraceDayThatApiaSkipped_goesFromActiveStraightToDemo() {
            License license = serial(1)
                    .start("2011-11-30")
                    .zone("Pacific/Apia")
                    .termMonths(1)
                    .graceDays(1)
                    .build();
            Instant end = at("2011-12-31T00:00+14:00[Pacific/Apia]");

            assertThat(license.end()).isEqualTo(end);
            assertThat(license.graceEnd()).isEqualTo(end);
            assertThat(statesAround(license, end)).containsExactly(ACTIVE, DEMO, DEMO);
        }
    }

    @Nested
    class MonthEnd {

        @Test
        void evaluate_oneMonthFromJanuary31st_endsOnFebruary28th() {
            License license = serial(1).start("2027-01-31").termMonths(1).build();
            Instant end = at("2027-02-28T00:00+01:00[Europe/Berlin]");

            assertThat(license.endDate()).isEqualTo(LocalDate.parse("2027-02-28"));
            assertThat(license.end()).isEqualTo(end);
            assertThat(statesAround(license, end)).containsExactly(ACTIVE, GRACE, GRACE);
        }

        @Test
        void evaluate_oneMonthFromJanuary31stOfALeapYear_endsOnFebruary29th() {
            License license = serial(1).start("2028-01-31").termMonths(1).build();
            Instant end = at("2028-02-29T00:00+01:00[Europe/Berlin]");

            assertThat(license.endDate()).isEqualTo(LocalDate.parse("2028-02-29"));
            assertThat(license.end()).isEqualTo(end);
            assertThat(statesAround(license, end)).containsExactly(ACTIVE, GRACE, GRACE);
        }

        @Test
        void evaluate_twelveMonthsFromJanuary31st_endsOnJanuary31stNextYear() {
            License license = serial(1).start("2027-01-31").build();
            Instant end = at("2028-01-31T00:00+01:00[Europe/Berlin]");
            Instant graceEnd = at("2028-02-14T00:00+01:00[Europe/Berlin]");

            assertThat(license.end()).isEqualTo(end);
            assertThat(license.graceEnd()).isEqualTo(graceEnd);
            assertThat(statesAround(license, end)).containsExactly(ACTIVE, GRACE, GRACE);
            assertThat(statesAround(license, graceEnd)).containsExactly(GRACE, DEMO, DEMO);
        }

        @Test
        void evaluate_twelveMonthsFromFebruary29th_endsOnFebruary28th() {
            License license = serial(1).start("2028-02-29").build();
            Instant end = at("2029-02-28T00:00+01:00[Europe/Berlin]");
            Instant graceEnd = at("2029-03-14T00:00+01:00[Europe/Berlin]");

            assertThat(license.endDate()).isEqualTo(LocalDate.parse("2029-02-28"));
            assertThat(license.end()).isEqualTo(end);
            assertThat(license.graceEnd()).isEqualTo(graceEnd);
            assertThat(statesAround(license, end)).containsExactly(ACTIVE, GRACE, GRACE);
            assertThat(statesAround(license, graceEnd)).containsExactly(GRACE, DEMO, DEMO);
        }
    }
}
