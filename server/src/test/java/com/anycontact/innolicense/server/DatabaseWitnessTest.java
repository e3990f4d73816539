package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.cluster.ClockReading;
import com.anycontact.innolicense.cluster.DatabaseClock;
import com.anycontact.innolicense.server.LicenseServer.DatabaseWitness;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The cluster database's clock as a cluster node reads it once at its start, to start its trusted clock near it
 * when its own clock is far off: the reading of the shortest round trip, carried on by the ticker.
 */
class DatabaseWitnessTest {

    private static final Instant DATABASE = Instant.parse("2026-12-05T01:00:00Z");

    private final AtomicLong ticks = new AtomicLong(1_000_000_000L);

    @Test
    void read_keepsTheReadingOfTheShortestRoundTrip_andStopsOnceOneIsTight() {
        // a process that has just started: its first queries slow both ways, then quick ones
        ScriptedClock database = new ScriptedClock(List.of(
                Duration.ofMillis(5), Duration.ofMillis(3), Duration.ofNanos(200_000), Duration.ofNanos(100_000)));

        DatabaseWitness witness =
                DatabaseWitness.read(database, () -> DATABASE, ticks::get).orElseThrow();

        assertThat(witness.reading().roundTrip()).isEqualTo(Duration.ofNanos(200_000));
        assertThat(database.readings)
                .as("readings taken: it stopped at the first tight one")
                .isEqualTo(3);
    }

    @Test
    void read_neverTight_takesAtMostFiveReadings_andKeepsTheShortest() {
        ScriptedClock database = new ScriptedClock(List.of(
                Duration.ofMillis(9),
                Duration.ofMillis(2),
                Duration.ofMillis(4),
                Duration.ofMillis(3),
                Duration.ofMillis(6),
                Duration.ofMillis(1)));

        DatabaseWitness witness =
                DatabaseWitness.read(database, () -> DATABASE, ticks::get).orElseThrow();

        assertThat(database.readings).isEqualTo(DatabaseWitness.READINGS);
        assertThat(witness.reading().roundTrip()).isEqualTo(Duration.ofMillis(2));
    }

    @Test
    void read_whenTheDatabaseCannotBeRead_isEmpty() {
        DatabaseClock unreachable = local -> {
            throw new IllegalStateException("connection refused");
        };

        assertThat(DatabaseWitness.read(unreachable, () -> DATABASE, ticks::get))
                .isEmpty();
    }

    @Test
    void read_whenTheDatabaseGoesAwayAfterAReading_keepsThatReading() {
        ScriptedClock first = new ScriptedClock(List.of(Duration.ofMillis(4)));
        DatabaseClock goingAway = local -> {
            if (first.readings == 0) {
                return first.read(local);
            }
            throw new IllegalStateException("connection reset");
        };

        DatabaseWitness witness =
                DatabaseWitness.read(goingAway, () -> DATABASE, ticks::get).orElseThrow();

        assertThat(witness.reading().roundTrip()).isEqualTo(Duration.ofMillis(4));
    }

    @Test
    void databaseNow_isTheMiddleOfTheRoundTrip_carriedOnByTheTicker() {
        ScriptedClock database = new ScriptedClock(List.of(Duration.ofNanos(400_000)));
        DatabaseWitness witness =
                DatabaseWitness.read(database, () -> DATABASE, ticks::get).orElseThrow();

        assertThat(witness.databaseNow(ticks::get))
                .as("read just now: the database's clock plus half the round trip")
                .isEqualTo(DATABASE.plus(Duration.ofNanos(200_000)));
        ticks.addAndGet(Duration.ofMillis(20).toNanos()); // the floor's queries, say, before the clock starts
        assertThat(witness.databaseNow(ticks::get))
                .isEqualTo(DATABASE.plus(Duration.ofMillis(20).plusNanos(200_000)));
    }

    @Test
    void systemOffset_isTheNodesClockMinusTheDatabases() {
        Instant local = DATABASE.minus(Duration.ofDays(400));
        ScriptedClock database = new ScriptedClock(List.of(Duration.ZERO));

        DatabaseWitness witness =
                DatabaseWitness.read(database, () -> local, ticks::get).orElseThrow();

        assertThat(witness.systemOffset()).isEqualTo(Duration.ofDays(-400));
    }

    /** A database whose clock reads {@link #DATABASE} in the middle of each round trip, of the given lengths. */
    private static final class ScriptedClock implements DatabaseClock {
        private final Deque<Duration> roundTrips;
        int readings;

        ScriptedClock(List<Duration> roundTrips) {
            this.roundTrips = new ArrayDeque<>(roundTrips);
        }

        @Override
        public ClockReading read(InstantSource local) {
            readings++;
            Duration trip = roundTrips.removeFirst();
            Instant sent = local.instant().minus(trip.dividedBy(2));
            return new ClockReading(sent, DATABASE, sent.plus(trip));
        }
    }
}
