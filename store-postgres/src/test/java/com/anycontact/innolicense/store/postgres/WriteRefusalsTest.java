package com.anycontact.innolicense.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.store.StoreUnavailableException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What counts as the database refusing a write, and when such refusals end, on a fake clock. */
class WriteRefusalsTest {

    private static final PostgresUrl URL =
            PostgresUrl.parse("jdbc:postgresql://db.example:5432/innolicense", Optional.empty());

    private final AtomicLong nanos = new AtomicLong(1_000);
    private final WriteRefusals refusals = new WriteRefusals(URL, nanos::get);

    @Test
    void refusals_areTheStatesOfAServerThatCannotWriteNow_notThoseOfABadStatementOrAnUnreachableServer() {
        assertThat(WriteRefusals.refusingState(new SQLException("could not extend file: No space left", "53100")))
                .contains("53100");
        assertThat(WriteRefusals.refusingState(new SQLException("out of memory", "53200")))
                .contains("53200");
        assertThat(WriteRefusals.refusingState(new SQLException("too many clients already", "53300")))
                .contains("53300");
        assertThat(WriteRefusals.refusingState(new SQLException("could not write to file", "58030")))
                .contains("58030");
        assertThat(WriteRefusals.refusingState(
                        new SQLException("cannot execute INSERT in a read-only transaction", "25006")))
                .contains("25006");
        assertThat(WriteRefusals.refusingState(new SQLTransientConnectionException(
                        "pool timeout", null, new SQLException("too many clients already", "53300"))))
                .as("found among the causes")
                .contains("53300");
        SQLException batch = new SQLException("batch entry 0 failed", "XX000");
        batch.setNextException(new SQLException("No space left on device", "53100"));
        assertThat(WriteRefusals.refusingState(batch))
                .as("found among the next exceptions")
                .contains("53100");

        assertThat(WriteRefusals.refusingState(new SQLException("refused", "08001")))
                .as("unreachable: the circuit's")
                .isEmpty();
        assertThat(WriteRefusals.refusingState(new SQLException("unique violation", "23505")))
                .isEmpty();
        assertThat(WriteRefusals.refusingState(new SQLException("syntax error", "42601")))
                .isEmpty();
        assertThat(WriteRefusals.refusingState(new SQLException("no state"))).isEmpty();
    }

    @Test
    void aRefusal_isAnsweredAsTheStoreBeingUnavailable_sayingWhy_andNothingOfTheCallHappened() {
        StoreUnavailableException refused =
                refusals.refused(new SQLException("ERROR: could not extend file: No space left", "53100"), "53100");

        assertThat(refused.getMessage())
                .contains("No space left")
                .contains("SQLSTATE 53100")
                .contains("nothing was changed");
        assertThat(refused.retryAfter()).isEqualTo(WriteRefusals.RETRY_AFTER);
        assertThat(refused.getStackTrace())
                .as("no stack trace: it is an answer, not a bug")
                .isEmpty();
        assertThat(refusals.refusing()).isTrue();
    }

    @Test
    void refusalsEnd_atTheFirstWriteTakenOnceNoneWasRefusedForTheQuietTime() {
        assertThat(refusals.refusing()).isFalse();
        refusals.wrote();
        assertThat(refusals.refusing())
                .as("a write while nothing was refused changes nothing")
                .isFalse();

        refusals.refused(new SQLException("disk full", "53100"), "53100");
        advance(WriteRefusals.QUIET.toMillis() - 1);
        refusals.wrote();
        assertThat(refusals.refusing())
                .as("a write taken while others are still refused (a renewal beside a refused claim)")
                .isTrue();

        refusals.refused(new SQLException("disk full", "53100"), "53100");
        advance(WriteRefusals.QUIET.toMillis() - 1);
        refusals.wrote();
        assertThat(refusals.refusing())
                .as("the quiet time counts from the latest refusal")
                .isTrue();

        advance(1);
        refusals.wrote();
        assertThat(refusals.refusing()).isFalse();

        refusals.refused(new SQLException("read-only", "25006"), "25006");
        assertThat(refusals.refusing()).as("refusals that begin again").isTrue();
    }

    @Test
    void onlyAFullDisk_refusesForWantOfRoom_whichTheCallsThatNeedNoneGetPast() {
        refusals.refused(new SQLException("disk full", "53100"), "53100");
        assertThat(refusals.refusingForWantOfRoom()).isTrue();

        refusals.refused(new SQLException("read-only", "25006"), "25006");
        assertThat(refusals.refusingForWantOfRoom())
                .as("read-only: every write is refused alike, the latest refusal counts")
                .isFalse();
        refusals.refused(new SQLException("too many clients already", "53300"), "53300");
        assertThat(refusals.refusingForWantOfRoom()).isFalse();
        assertThat(refusals.refusing()).isTrue();
    }

    private void advance(long millis) {
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }
}
