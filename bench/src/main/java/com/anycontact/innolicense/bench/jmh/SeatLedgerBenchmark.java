package com.anycontact.innolicense.bench.jmh;

import com.anycontact.innolicense.seat.AgentId;
import com.anycontact.innolicense.seat.ClaimRequest;
import com.anycontact.innolicense.seat.ClaimResult;
import com.anycontact.innolicense.seat.SeatLedger;
import com.anycontact.innolicense.seat.SeatStore;
import com.anycontact.innolicense.store.sqlite.JournaledSeatStore;
import com.anycontact.innolicense.store.sqlite.SqliteDatabase;
import com.anycontact.innolicense.store.sqlite.SqliteSeatStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The seat ledger used as a library: {@link SeatLedger} on a real SQLite store, in a fresh file in a
 * temporary directory (WAL, {@code synchronous=NORMAL}: every acked claim survives a crash of the
 * process), for each {@code store}: {@code journaled} ({@link JournaledSeatStore}, the server's
 * store: decisions in memory, claims and releases group-committed to a journal, renewals written only
 * at checkpoints) and {@code sqlite} ({@link SqliteSeatStore}: one write transaction per claim,
 * release and renewal). Each thread is its own agent; the capacity is far above the number of
 * threads, so no claim is denied and the threads meet only at the store.
 *
 * <ul>
 *   <li>{@code claimAndRelease}, {@code claimAndRelease8}: an agent logs in and out — two write
 *       transactions — with 1 and 8 threads. The score counts pairs.
 *   <li>{@code renew}, {@code renew8}: an agent that holds a lease renews it (a heartbeat) — one
 *       write transaction — with 1 and 8 threads, to compare a renewal with a claim.
 * </ul>
 *
 * <p>Run all: {@code java -jar bench/target/benchmarks.jar SeatLedgerBenchmark}; one: {@code java
 * -jar bench/target/benchmarks.jar 'SeatLedgerBenchmark.claimAndRelease$'} (likewise {@code
 * claimAndRelease8}, {@code 'renew$'}, {@code renew8}). Build first with {@code ./mvnw -B -pl bench
 * -am package -DskipTests}. One store only: add {@code -p store=journaled}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class SeatLedgerBenchmark {

    /** Far more seats than threads: the benchmark measures the store, not denials. */
    static final int CAPACITY = 100_000;

    /** The server's default lease TTL. */
    static final Duration TTL = Duration.ofSeconds(60);

    /** The store under the ledger: {@code journaled} or {@code sqlite}. */
    @Param({"journaled", "sqlite"})
    public String store = "journaled";

    private Path directory;
    private SqliteDatabase database;
    private JournaledSeatStore journaled;
    SeatLedger ledger;

    /** Opens the store on a fresh database in a temporary directory. */
    @Setup(Level.Trial)
    public void open() throws IOException {
        directory = Files.createTempDirectory("innolicense-jmh-");
        database = SqliteDatabase.open(directory);
        SeatStore seats = switch (store) {
            case "journaled" -> journaled = JournaledSeatStore.open(database, Instant.now(), TTL);
            case "sqlite" -> new SqliteSeatStore(database);
            default -> throw new IllegalArgumentException("unknown store '" + store + "'");
        };
        ledger = new SeatLedger(seats, InstantSource.system(), () -> CAPACITY, TTL);
    }

    /** Closes the store and the database and deletes the directory. */
    @TearDown(Level.Trial)
    public void close() throws IOException {
        if (journaled != null) {
            journaled.close();
        }
        database.close();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> {
                try {
                    Files.delete(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** One agent per benchmark thread, holding no lease between invocations. */
    @State(Scope.Thread)
    public static class Agent {
        private static final AtomicInteger NEXT = new AtomicInteger();

        AgentId id;
        ClaimRequest request;

        /** Names the agent: {@code agent-1}, {@code agent-2}, … across all threads. */
        @Setup(Level.Trial)
        public void name() {
            id = new AgentId("agent-" + NEXT.incrementAndGet());
            request = new ClaimRequest(id, "acd-node-1", "desk-" + id.value());
        }
    }

    /**
     * One agent per benchmark thread that holds a lease for the whole trial. It is not released at
     * the end: JMH may tear the shared database down before the last thread's own state, and the
     * database is deleted anyway.
     */
    @State(Scope.Thread)
    public static class Holder {
        private static final AtomicInteger NEXT = new AtomicInteger();

        AgentId id;
        ClaimRequest request;

        /** Claims the agent's seat. */
        @Setup(Level.Trial)
        public void claim(SeatLedgerBenchmark bench) {
            id = new AgentId("holder-" + NEXT.incrementAndGet());
            request = new ClaimRequest(id, "acd-node-1", "desk-" + id.value());
            if (!(bench.ledger.claim(request) instanceof ClaimResult.Claimed)) {
                throw new IllegalStateException("the holder's first claim was not granted");
            }
        }
    }

    /** An agent logs in and out, on one thread. */
    @Benchmark
    @Threads(1)
    public boolean claimAndRelease(Agent agent) {
        return claimThenRelease(agent);
    }

    /** An agent logs in and out, on each of 8 threads. */
    @Benchmark
    @Threads(8)
    public boolean claimAndRelease8(Agent agent) {
        return claimThenRelease(agent);
    }

    /** An agent renews its lease, on one thread. */
    @Benchmark
    @Threads(1)
    public ClaimResult renew(Holder holder) {
        return renewHeld(holder);
    }

    /** An agent renews its lease, on each of 8 threads. */
    @Benchmark
    @Threads(8)
    public ClaimResult renew8(Holder holder) {
        return renewHeld(holder);
    }

    private boolean claimThenRelease(Agent agent) {
        if (!(ledger.claim(agent.request) instanceof ClaimResult.Claimed)) {
            throw new IllegalStateException("a claim with seats free was not granted");
        }
        return ledger.release(agent.id);
    }

    private ClaimResult renewHeld(Holder holder) {
        ClaimResult result = ledger.claim(holder.request);
        if (!(result instanceof ClaimResult.Renewed)) {
            throw new IllegalStateException("a held lease was not renewed: " + result);
        }
        return result;
    }
}
