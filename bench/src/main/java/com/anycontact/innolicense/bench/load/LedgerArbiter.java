package com.anycontact.innolicense.bench.load;

import com.anycontact.innolicense.seat.AgentId;
import com.anycontact.innolicense.seat.ClaimRequest;
import com.anycontact.innolicense.seat.ClaimResult;
import com.anycontact.innolicense.seat.SeatLedger;
import com.anycontact.innolicense.seat.SeatStore;
import com.anycontact.innolicense.store.sqlite.JournaledSeatStore;
import com.anycontact.innolicense.store.sqlite.SqliteDatabase;
import com.anycontact.innolicense.store.sqlite.SqliteSeatStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ours, in process: the {@link SeatLedger} used as a library on a real SQLite store, in a database
 * in the given directory. With {@link JournaledSeatStore} (the server's store, {@code ours-inproc})
 * a claim or release is acked after the group commit that holds it reached the write-ahead log, and
 * a renewal writes nothing until the next checkpoint; with {@link SqliteSeatStore} ({@code
 * ours-inproc-sqlite}) every claim, release and renewal is its own write transaction.
 */
final class LedgerArbiter implements SeatArbiter {

    static final String JOURNALED = "ours-inproc";
    static final String SQLITE = "ours-inproc-sqlite";

    private final String name;
    private final SqliteDatabase database;
    private final JournaledSeatStore journaled;
    private final AtomicInteger capacity = new AtomicInteger();
    private final SeatLedger ledger;

    /**
     * Opens a fresh store.
     *
     * @param name {@link #JOURNALED} or {@link #SQLITE}
     * @param dataDirectory where the database goes
     */
    LedgerArbiter(String name, Path dataDirectory) {
        this.name = name;
        this.database = SqliteDatabase.open(dataDirectory);
        Duration ttl = Duration.ofMillis(LEASE_TTL_MILLIS);
        SeatStore store;
        switch (name) {
            case JOURNALED -> {
                journaled = JournaledSeatStore.open(database, Instant.now(), ttl);
                store = journaled;
            }
            case SQLITE -> {
                journaled = null;
                store = new SqliteSeatStore(database);
            }
            default -> {
                database.close();
                throw new IllegalArgumentException("unknown in-process arbiter '" + name + "'");
            }
        }
        this.ledger = new SeatLedger(store, InstantSource.system(), capacity::get, ttl);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Durability durability() {
        return new Durability(
                Durability.Survives.PROCESS_CRASH,
                journaled != null
                        ? "group commit to a SQLite journal (WAL, synchronous=NORMAL); renewals at checkpoints"
                        : "SQLite WAL, synchronous=NORMAL, a transaction per operation");
    }

    @Override
    public void reset(int seats) {
        capacity.set(seats);
    }

    @Override
    public boolean claim(String agent) {
        return switch (ledger.claim(ClaimRequest.of(new AgentId(agent)))) {
            case ClaimResult.Claimed claimed -> true;
            case ClaimResult.Renewed renewed -> true;
            case ClaimResult.Denied denied -> false;
            case ClaimResult.CapacityReduced reduced -> false;
        };
    }

    @Override
    public boolean renew(String agent) {
        return ledger.claim(ClaimRequest.of(new AgentId(agent))) instanceof ClaimResult.Renewed;
    }

    @Override
    public void release(String agent) {
        ledger.release(new AgentId(agent));
    }

    @Override
    public void close() {
        if (journaled != null) {
            journaled.close();
        }
        database.close();
    }
}
