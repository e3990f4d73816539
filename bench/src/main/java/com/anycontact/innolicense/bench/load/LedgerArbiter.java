package com.anycontact.innolicense.bench.load;

import com.anycontact.innolicense.seat.AgentId;
import com.anycontact.innolicense.seat.ClaimRequest;
import com.anycontact.innolicense.seat.ClaimResult;
import com.anycontact.innolicense.seat.SeatLedger;
import com.anycontact.innolicense.store.sqlite.SqliteDatabase;
import com.anycontact.innolicense.store.sqlite.SqliteSeatStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ours, in process: the {@link SeatLedger} used as a library on the real SQLite store, in a database
 * in the given directory. A claim is acked after its transaction committed to the write-ahead log.
 */
final class LedgerArbiter implements SeatArbiter {

    static final String NAME = "ours-inproc";

    private final SqliteDatabase database;
    private final AtomicInteger capacity = new AtomicInteger();
    private final SeatLedger ledger;

    LedgerArbiter(Path dataDirectory) {
        this.database = SqliteDatabase.open(dataDirectory);
        this.ledger = new SeatLedger(
                new SqliteSeatStore(database),
                InstantSource.system(),
                capacity::get,
                Duration.ofMillis(LEASE_TTL_MILLIS));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Durability durability() {
        return new Durability(Durability.Survives.PROCESS_CRASH, "SQLite WAL, synchronous=NORMAL");
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
        database.close();
    }
}
