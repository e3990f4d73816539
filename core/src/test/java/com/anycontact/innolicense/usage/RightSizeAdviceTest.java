package com.anycontact.innolicense.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The right-size arithmetic against the hand-computed case of docs/reports.md, and its properties. */
class RightSizeAdviceTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    /** 10:00 in Berlin. */
    private static final Instant DAY_1 = Instant.parse("2027-01-15T09:00:00Z");
    /** 10:00 in Berlin, the next day. */
    private static final Instant DAY_2 = Instant.parse("2027-01-16T09:00:00Z");

    /**
     * The worked example of docs/reports.md: demands 3, 7, 0, 4 on the first day and 6 on the second, with 5
     * seats licensed.
     */
    private static final List<UsageMinute> EXAMPLE = List.of(
            new UsageMinute(DAY_1, 3, 5, 3, 0, 0),
            new UsageMinute(DAY_1.plusSeconds(60), 5, 5, 2, 4, 2),
            new UsageMinute(DAY_1.plusSeconds(120), 0, 5, 0, 0, 0),
            new UsageMinute(DAY_1.plusSeconds(180), 4, 5, 0, 0, 0),
            new UsageMinute(DAY_2, 5, 5, 1, 1, 1));

    @Test
    void theWorkedExample_givesTheHandComputedRows() {
        RightSizeAdvice advice = RightSizeAdvice.of(EXAMPLE, BERLIN, 5, 0.75);

        assertThat(advice.minutesRecorded()).isEqualTo(5);
        assertThat(advice.workingMinutes()).isEqualTo(4);
        assertThat(advice.peakDemand()).isEqualTo(7);
        assertThat(advice.recommendedSeats()).isEqualTo(6);
        assertThat(advice.row(3)).contains(new RightSizeAdvice.Row(3, 3, 8, 2, 0.25));
        assertThat(advice.row(4)).contains(new RightSizeAdvice.Row(4, 2, 5, 2, 0.5));
        assertThat(advice.row(5)).contains(new RightSizeAdvice.Row(5, 2, 3, 2, 0.5));
        assertThat(advice.row(6)).contains(new RightSizeAdvice.Row(6, 1, 1, 1, 0.75));
        assertThat(advice.row(7)).contains(new RightSizeAdvice.Row(7, 0, 0, 0, 1.0));
        assertThat(advice.rows())
                .extracting(RightSizeAdvice.Row::seats)
                .startsWith(0)
                .endsWith(11);
    }

    @Test
    void theRecommendation_isTheFewestSeatsReachingTheServiceLevel() {
        assertThat(RightSizeAdvice.of(EXAMPLE, BERLIN, 5, 1.0).recommendedSeats())
                .isEqualTo(7);
        assertThat(RightSizeAdvice.of(EXAMPLE, BERLIN, 5, 0.5).recommendedSeats())
                .isEqualTo(4);
        assertThat(RightSizeAdvice.of(EXAMPLE, BERLIN, 5, 0.25).recommendedSeats())
                .isEqualTo(3);
    }

    @Test
    void aServiceLevelOf999PerMille_isReachedByExactly999GoodMinutesInAThousand() {
        List<UsageMinute> minutes = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            minutes.add(new UsageMinute(DAY_1.plus(Duration.ofMinutes(i)), i == 0 ? 10 : 2, 10, 0, 0, 0));
        }

        RightSizeAdvice advice = RightSizeAdvice.of(minutes, BERLIN, 10, 99.9 / 100);

        assertThat(advice.recommendedSeats()).isEqualTo(2);
        assertThat(advice.row(2).orElseThrow().minutesWithDenial()).isEqualTo(1);
    }

    @Test
    void theSummary_saysTheSeatsTheMinutesAndTheDays() {
        assertThat(RightSizeAdvice.of(EXAMPLE, BERLIN, 5, 0.75).summary("in the last 90 days"))
                .isEqualTo("With 6 seats instead of 5 you would have been full for 1 minute in the last 90 days,"
                        + " on 1 day (1 agent-minute refused); 6 is the fewest seats with no denial in 75 % of"
                        + " working minutes (peak demand 7).");
        assertThat(RightSizeAdvice.of(EXAMPLE, BERLIN, 7, 1.0).summary("in January 2027"))
                .isEqualTo("With the 7 seats you have, no agent would have been refused in January 2027; 7 is the"
                        + " fewest seats with no denial in 100 % of working minutes (peak demand 7).");
        assertThat(RightSizeAdvice.of(List.of(), BERLIN, 7, 1.0).summary("in January 2027"))
                .isEqualTo("No seat was in use or wanted in January 2027: there is nothing to size by.");
    }

    @Test
    void aServiceLevelOutsideItsRange_isRefused() {
        assertThatThrownBy(() -> RightSizeAdvice.of(EXAMPLE, BERLIN, 5, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RightSizeAdvice.of(EXAMPLE, BERLIN, 5, 1.01))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Property(tries = 200)
    void everyRow_matchesTheDefinitionComputedMinuteByMinute(
            @ForAll @Size(max = 60) List<@IntRange(max = 30) Integer> inUse,
            @ForAll @Size(max = 60) List<@IntRange(max = 4) Integer> denied,
            @ForAll @IntRange(max = 40) int current,
            @ForAll @IntRange(min = 1, max = 100) int percent) {
        List<UsageMinute> minutes = new ArrayList<>();
        for (int i = 0; i < inUse.size(); i++) {
            int refused = i < denied.size() ? denied.get(i) : 0;
            minutes.add(
                    new UsageMinute(DAY_1.plus(Duration.ofMinutes(37L * i)), inUse.get(i), 30, 0, refused, refused));
        }
        double target = percent / 100.0;

        RightSizeAdvice advice = RightSizeAdvice.of(minutes, BERLIN, current, target);

        long working = minutes.stream().filter(m -> m.demand() > 0).count();
        for (RightSizeAdvice.Row row : advice.rows()) {
            long above = minutes.stream().filter(m -> m.demand() > row.seats()).count();
            long refused = minutes.stream()
                    .mapToLong(m -> Math.max(0, m.demand() - row.seats()))
                    .sum();
            assertThat(row.minutesWithDenial()).isEqualTo(above);
            assertThat(row.refusedAgentMinutes()).isEqualTo(refused);
            assertThat(row.serviceLevel()).isEqualTo(working == 0 ? 1.0 : (double) (working - above) / working);
        }
        int seats = advice.recommendedSeats();
        assertThat((working - advice.row(seats).orElseThrow().minutesWithDenial()) * 100)
                .isGreaterThanOrEqualTo(percent * working);
        if (seats > 0) {
            long aboveFewer =
                    minutes.stream().filter(m -> m.demand() > seats - 1).count();
            assertThat((working - aboveFewer) * 100).isLessThan(percent * working);
        }
        assertThat(seats).isLessThanOrEqualTo(advice.peakDemand());
        assertThat(advice.rows()).extracting(RightSizeAdvice.Row::seats).contains(seats, current);
    }
}
