package com.anycontact.innolicense.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The deadline of a batch on the database's clock, from the node's measured offset (migration V19). */
class SeatCallDeadlineTest {

    private final AtomicReference<Optional<Duration>> offset = new AtomicReference<>(Optional.empty());
    private final SeatCallDeadline deadline = SeatCallDeadline.within(Duration.ofSeconds(2), offset::get);

    @Test
    void aNodeAhead_givesADeadlineThatMuchEarlierOnTheDatabasesClock() {
        offset.set(Optional.of(Duration.ofMillis(300)));

        assertThat(deadline.notAfter(1_000_000)).isEqualTo(OptionalLong.of(1_000_000 - 300 + 2_000));
    }

    @Test
    void aNodeBehind_givesALaterOne_andTheNewestOffsetCounts() {
        offset.set(Optional.of(Duration.ofMillis(300)));
        deadline.notAfter(1_000_000);
        offset.set(Optional.of(Duration.ofMillis(-1_500)));

        assertThat(deadline.notAfter(1_000_000)).isEqualTo(OptionalLong.of(1_000_000 + 1_500 + 2_000));
    }

    @Test
    void withTheOffsetUnknown_thereIsNoDeadline() {
        assertThat(deadline.notAfter(1_000_000)).isEmpty();
        assertThat(SeatCallDeadline.NONE.notAfter(1_000_000)).isEmpty();
    }
}
