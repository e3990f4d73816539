package com.anycontact.innolicense.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anycontact.innolicense.store.DatabaseUnreachableException;
import com.anycontact.innolicense.store.StoreException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The circuit in front of the cluster database, with a scripted probe instead of PostgreSQL. */
class DatabaseCircuitTest {

    private static final PostgresUrl URL =
            PostgresUrl.parse("jdbc:postgresql://db.example:5432/innolicense", Optional.empty());

    private final AtomicBoolean databaseUp = new AtomicBoolean(false);
    private final AtomicInteger probes = new AtomicInteger();
    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();
    private final DatabaseCircuit circuit = new DatabaseCircuit(
            URL,
            () -> {
                probes.incrementAndGet();
                if (!databaseUp.get()) {
                    throw new SQLException("Connection refused", "08001");
                }
            },
            System::nanoTime,
            opened::incrementAndGet,
            closed::incrementAndGet);

    @Test
    void connectionFailures_areTheStatesOfAServerThatCannotServe_notThoseOfABadStatement() {
        assertThat(DatabaseCircuit.isConnectionFailure(new SQLException("refused", "08001")))
                .isTrue();
        assertThat(DatabaseCircuit.isConnectionFailure(new SQLException("I/O error", "08006")))
                .isTrue();
        assertThat(DatabaseCircuit.isConnectionFailure(new SQLException("admin shutdown", "57P01")))
                .isTrue();
        assertThat(DatabaseCircuit.isConnectionFailure(new SQLException("starting up", "57P03")))
                .isTrue();
        assertThat(DatabaseCircuit.isConnectionFailure(new SQLTransientConnectionException(
                        "pool timeout", "08001", new SQLException("refused", "08001"))))
                .isTrue();
        assertThat(DatabaseCircuit.isConnectionFailure(new SQLException("syntax error", "42601")))
                .isFalse();
        assertThat(DatabaseCircuit.isConnectionFailure(new SQLException("unique violation", "23505")))
                .isFalse();
        assertThat(DatabaseCircuit.isConnectionFailure(new SQLTransientConnectionException("every connection busy")))
                .as("a pool timeout while the database answers")
                .isFalse();
    }

    @Test
    void aStatementCancelledForItsTimeout_isRefusedForRetry_butLeavesTheCircuitClosed() {
        RuntimeException thrown = circuit.failed(
                new SQLException("ERROR: canceling statement due to statement timeout", "57014"),
                new StoreException("other", null));

        assertThat(thrown).isInstanceOf(DatabaseUnreachableException.class);
        assertThat(((DatabaseUnreachableException) thrown).retryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(circuit.isClosed())
                .as("the server answers: other calls go through")
                .isTrue();
    }

    @Test
    void everyConnectionBusyForTheWholeWait_isRefusedForRetry_butLeavesTheCircuitClosed() {
        RuntimeException thrown = circuit.failed(
                new SQLTransientConnectionException(
                        "innolicense-postgres - Connection is not available, request timed out after 250ms"),
                new StoreException("other", null));

        assertThat(thrown).isInstanceOf(DatabaseUnreachableException.class).hasMessageContaining("answers too slowly");
        assertThat(((DatabaseUnreachableException) thrown).retryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(circuit.isClosed())
                .as("the server answers: other calls go through")
                .isTrue();
        assertThat(opened.get()).isZero();
    }

    @Test
    void aConnectionFailure_opensTheCircuit_whichRefusesAtOnce_untilAProbeGetsThrough() throws Exception {
        StoreException other = new StoreException("other", null);
        assertThat(circuit.failed(new SQLException("syntax error", "42601"), other))
                .isSameAs(other);
        assertThat(circuit.isClosed()).isTrue();
        assertThat(opened.get())
                .as("owner told of an opening, after a bad statement")
                .isZero();

        RuntimeException refused = circuit.failed(new SQLException("Connection refused", "08001"), other);
        circuit.failed(new SQLException("I/O error", "08006"), other);

        assertThat(opened.get()).as("owner told once, when the circuit opened").isEqualTo(1);
        assertThat(refused).isInstanceOf(DatabaseUnreachableException.class);
        assertThat(((DatabaseUnreachableException) refused).retryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(circuit.isClosed()).isFalse();
        assertThatThrownBy(circuit::check)
                .isInstanceOf(DatabaseUnreachableException.class)
                .hasMessageContaining("db.example")
                .hasMessageContaining("Connection refused");
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (probes.get() < 2 && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(probes.get()).as("probes while the database is down").isGreaterThanOrEqualTo(2);
        assertThat(circuit.isClosed()).isFalse();
        assertThat(closed.get()).isZero();

        databaseUp.set(true);
        until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!circuit.isClosed() && System.nanoTime() < until) {
            Thread.sleep(20);
        }

        assertThat(circuit.isClosed()).isTrue();
        circuit.check();
        until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (closed.get() == 0 && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(closed.get())
                .as("the owner told once that the database answers again")
                .isEqualTo(1);
        int probesWhenClosed = probes.get();
        Thread.sleep(DatabaseCircuit.PROBE_INTERVAL.multipliedBy(2).toMillis());
        assertThat(probes.get()).as("no probes while the database answers").isEqualTo(probesWhenClosed);
        circuit.close();
    }
}
