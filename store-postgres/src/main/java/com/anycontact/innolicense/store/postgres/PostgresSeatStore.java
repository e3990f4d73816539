package com.anycontact.innolicense.store.postgres;

import com.anycontact.innolicense.seat.AgentId;
import com.anycontact.innolicense.seat.ClaimRequest;
import com.anycontact.innolicense.seat.ClaimResult;
import com.anycontact.innolicense.seat.Denial;
import com.anycontact.innolicense.seat.Lease;
import com.anycontact.innolicense.seat.SeatStore;
import com.anycontact.innolicense.store.StoreException;
import com.anycontact.innolicense.store.StoreUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seat store in the cluster database, shared by every server node: PostgreSQL is the one arbiter of the
 * seat cap.
 *
 * <p>Batches. A node sends its seat calls in batches: the claims, renewals and releases that arrive while a
 * batch is in the database wait and go together in the next one (at most {@link #MAX_BATCHES_IN_FLIGHT} batches
 * of a node at once, each of at most {@link #MAX_BATCH} calls), one call of {@code seat_calls} (migration V16),
 * one transaction. It carries the calls out in their order, each as it would be alone: a claim by {@code
 * claim_seat}, a release by deleting the agent's live lease. So a batch decides what its calls one after another
 * would, and the cost of a round trip, a commit and the claim lock is shared by the batch. Nothing waits to fill
 * a batch: a call that finds no batch at work is sent at once, alone. A batch takes effect by its {@link
 * SeatCallDeadline} on the database's clock or not at all (migration V19), so that a batch the network held, and
 * delivered after its node and the agent's SDK gave up on it, cannot undo what was done since through another node.
 *
 * <p>How the cap holds across nodes. A claim is one call of the database function {@code claim_seat} (migration
 * V1, replaced by V13 and V14), in the transaction of its batch. Its first statement locks the one row of {@code seat_counter} ({@code
 * SELECT ... FOR UPDATE}); only then does it read the agent's lease and count the live leases, each in a
 * statement of its own, and insert. So claims, from any thread of any node, decide one after another, and each
 * decides on the leases of every claim before it: under READ COMMITTED a statement sees every transaction
 * committed before the statement began (a VOLATILE function takes a fresh snapshot per statement), and the
 * previous holder of the lock committed, or rolled back, before the lock was granted, so before the counting
 * statement began. Releases and reaps take no lock: they only remove leases, so a claim that misses one counts
 * a seat as held that was just freed, which is the decision it would have made a moment earlier, never one
 * beyond the cap. Nothing else creates a live lease. The count is not a scan of the live leases: triggers keep a
 * tally of the leases not freed as every writer changes them, one row per backend (migration V17), and the count
 * is its sum less the leases expired and not yet freed, read in one statement, so a claim costs the same with ten
 * agents logged in as with ten thousand. {@link #reap} also folds the tally rows of backends that are gone, and
 * renews the planner's statistics of the lease table when it has outgrown them ({@link #statisticsOutgrown}).
 *
 * <p>Why the order of statements matters. READ COMMITTED does not make a guarded insert safe by itself: {@code
 * INSERT ... SELECT ... WHERE (SELECT count(*) ...) < capacity} counts in the snapshot taken when the statement
 * began, so two of them from two nodes both count {@code capacity - 1} live leases and both insert (their agent
 * IDs differ, so no unique constraint stops them). Locking and counting in one statement fails the same way: a
 * {@code SELECT ... FOR UPDATE} that waits for the lock re-reads the locked row when it gets it, but a subquery
 * in it still counts in the snapshot from before the wait. The count must be a later statement than the lock.
 * SERIALIZABLE would catch the conflict too, at the price of retrying the aborted claims.
 *
 * <p>Renewals of a live lease take no claim lock: they add no lease. The renewing {@code UPDATE} re-checks
 * on the newest row version that the lease is still live and still the same claim, so it never revives a lease
 * that was released, reaped or replaced; when the check fails the call takes the locked path. When capacity has
 * dropped, a renewal ranks its lease among the live leases claimed before it (later claims cannot rank before
 * it). To learn whether it has, a renewal first reads {@code seat_counter.live_bound} (migration V14): the claims
 * holding the lock keep it at or above the number of leases not freed, which is all any node can count live, so
 * while it is within capacity no lease can rank beyond it and the renewal neither locks, counts nor ranks. On the
 * locked path the lease rows are locked after the counter row; on both paths the lease rows (the agent's and the
 * expired ones) are locked by one statement in {@code agent_id} order, so claims and renewals cannot deadlock; a
 * release locks only its lease row.
 *
 * <p>Cost: the claim lock is held for the batch's function only. A batch commits without waiting for the disk
 * (migrations V14 and V20), and what must be durable (grants, renewals, releases) is acknowledged only after a
 * barrier: a synchronous commit of a transaction of its own, begun after the batch's commit returned ({@link
 * #awaitDurable}), run by the store's barrier thread while its sender decides the next batch. So acknowledged
 * calls are as durable as synchronous commits, neither the claim lock nor the sender waits for the disk, and one
 * flush covers every batch committed before its barrier. A denial changes no lease, so it is answered without a
 * barrier: a crash of PostgreSQL can lose the denial records of its last fraction of a second, never an
 * acknowledged lease or release. Measuring it beside the peers is the cluster benchmark's job (docs/cluster.md).
 *
 * <p>Threads: {@link #claimAsync} and {@link #releaseAsync} queue the call and return; a batch is sent by the
 * store's sender thread, which completes the futures of its calls once the batch is committed when none must be
 * durable, and otherwise hands the batch to the barrier thread, which completes them after its barrier; so a
 * server answering seat calls on its selector thread never waits for the database there. {@link #claim} and
 * {@link #release} wait for their answer. When a batch fails (the database cannot be reached), each of its calls
 * fails with that failure, and so do the calls of the batches a failed barrier was to cover; when PostgreSQL
 * aborts a batch to break a deadlock (which V16 explains how a batch can meet), the batch is run again.
 *
 * <p>Time: instants are stored as epoch milliseconds and every one is a parameter; no query reads the
 * database's clock. Nodes agree on time within a bound that the server checks (docs/cluster.md, "Clock skew"),
 * and each judges leases by its own instant, so a lease may look expired to a node ahead while a node behind
 * still sees it live. Whenever {@code claim_seat} relies on leases being expired (before it counts, on both
 * paths) it marks them freed ({@code freed_at}, migration V13); a freed lease is dead for every node: it is not
 * renewed, counted, listed or released, and {@link #reap} removes and reports it whatever the reaping node's
 * clock. So a node behind can neither renew a lease whose seat a node ahead gave away nor count it against the
 * seat's new holder. A renewal given a {@code now} before the lease's claim is dated at the claim, and one given
 * a {@code now} before the lease's last renewal (a call held up in the network and delivered late) neither dates
 * it back nor shortens it (migration V18).
 */
public final class PostgresSeatStore implements SeatStore {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresSeatStore.class);

    /**
     * One batch of claims, renewals and releases (migration V16), by a deadline (V19), committed without waiting
     * for the disk (V20): what must be durable is acknowledged after the next {@link #DURABLE_BARRIER}.
     */
    private static final String SEAT_CALLS = "SELECT * FROM seat_calls(?, ?, ?, ?, ?, ?, ?, ?, true)";

    /** What seat_calls raises when it ran after its deadline (migration V19). */
    private static final String TOO_LATE_STATE = "IL001";

    /** The most calls in one batch. */
    static final int MAX_BATCH = 256;

    /**
     * The most batches of one store in the database at once. One, by measurement (2026-12-03, one node beside the
     * PostgreSQL peer at 8 and 64 clients, 2 rounds each; docs/benchmarks.md): with the barrier on a thread of its
     * own, one batch at a time did 3,076 and 4,225 pairs/s, two 2,072 and 3,554; with the barrier on the sender's
     * connection (before V20), one, two, four and eight did 2,262, 2,087 to 2,284, 1,813 and 1,647 pairs/s at 8
     * clients. A node's batches in the database at once wait for each other's claim lock, and every wait costs
     * PostgreSQL a sleep and a wake-up on the machine's few cores; one at a time takes whatever arrives meanwhile
     * into the next batch instead.
     */
    static final int MAX_BATCHES_IN_FLIGHT = 1;

    /** How often a batch is tried that PostgreSQL aborted to break a deadlock. */
    private static final int DEADLOCK_ATTEMPTS = 5;

    private static final String DEADLOCK_STATE = "40P01";

    /** A release's answer until the batch's count of the rest is known. */
    private static final Object RELEASED = new Object();

    /** The live leases, from the tally of the leases not freed (migration V17), without reading the live ones. */
    private static final String LIVE_COUNT = "SELECT live_leases(?)";

    /** Folds the tally rows of backends that are gone into one (migration V17), so the tally stays a few rows. */
    private static final String FOLD_TALLY = "SELECT fold_lease_tally()";

    /** The triggers that keep {@code lease_tally} (migration V17). */
    private static final List<String> TALLY_TRIGGERS = List.of(
            "lease_tally_deleted",
            "lease_tally_freed",
            "lease_tally_inserted",
            "lease_tally_truncated",
            "lease_tally_unfreed");

    private static final String TALLY_TRIGGER_STATES =
            "SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = 'lease'::regclass AND NOT tgisinternal";

    /**
     * Recounts the leases not freed and puts what the tally misses into its row 0, in one statement, so in one
     * snapshot: every writer changes leases and the tally in one transaction, so in any snapshot the two agree
     * unless something outside the triggers changed either. The difference is a delta, so adding it to row 0 is
     * right even when a fold changes row 0 meanwhile. Answers the difference and the leases not freed.
     */
    private static final String RECOUNT_TALLY = """
            WITH counted AS (
                SELECT (SELECT count(*) FROM lease WHERE freed_at IS NULL) AS leases,
                       (SELECT coalesce(sum(unfreed), 0) FROM lease_tally)::BIGINT AS tallied),
            corrected AS (
                INSERT INTO lease_tally AS t (backend, unfreed)
                SELECT 0, leases - tallied FROM counted WHERE leases <> tallied
                ON CONFLICT (backend) DO UPDATE SET unfreed = t.unfreed + excluded.unfreed
                RETURNING 1)
            SELECT leases, tallied FROM counted""";

    /**
     * The leases the planner's statistics of {@code lease} were made on, and the leases there now (the statistics
     * system's count, at most about a second behind).
     */
    private static final String LEASE_STATISTICS =
            "SELECT c.reltuples, pg_stat_get_live_tuples(c.oid) FROM pg_class c WHERE c.oid = 'lease'::regclass";

    /** New statistics of the lease table, unless autovacuum is at it (then the next reap looks again). */
    private static final String ANALYZE_LEASES = "ANALYZE (SKIP_LOCKED) lease";

    /** Below this many leases no plan is slow enough to matter, whatever statistics it was made on. */
    static final long ANALYZE_FROM_LEASES = 200;

    private static final String LEASE_COLUMNS =
            "agent_id, node, station, claimed_at, renewed_at, expires_at, claim_seq";

    private static final String LIVE_LEASES =
            "SELECT " + LEASE_COLUMNS + " FROM lease WHERE expires_at > ? AND freed_at IS NULL ORDER BY claim_seq";

    private static final String REAP =
            "DELETE FROM lease WHERE expires_at <= ? OR freed_at IS NOT NULL RETURNING " + LEASE_COLUMNS;

    private static final String DENIALS = "SELECT denials FROM seat_counter WHERE id = 1";

    /**
     * A transaction that writes to the log (a transactional logical message, which takes a transaction ID and is
     * a record of its own) and commits synchronously: once it returns, the log is flushed, and replicated to a
     * synchronous standby, up to its commit, so every commit that returned before it began, on any connection, is
     * as durable as a synchronous one (migrations V14 and V20). It must write a record: PostgreSQL commits a
     * transaction that wrote none without waiting for the disk or the standby whatever {@code synchronous_commit}
     * says, and {@code SELECT txid_current()}, the barrier until 2026-12-03, takes a transaction ID but writes no
     * record, so it waited for nothing (the cluster fault run's failover round lost a grant acknowledged 2 ms
     * before the primary died).
     */
    private static final String DURABLE_BARRIER = "SELECT pg_logical_emit_message(true, 'innolicense', 'durable')";

    private static final String RECENT_DENIALS =
            "SELECT agent_id, denied_at, capacity, in_use FROM denial ORDER BY id DESC LIMIT ?";

    private final PostgresDatabase database;

    /**
     * Sends the batches: at most {@link #MAX_BATCHES_IN_FLIGHT} platform threads, kept while idle. Platform rather
     * than virtual threads: a sender spends its time waiting for PostgreSQL's answer on a socket, and a virtual
     * thread's every such wait parks it and wakes it through the JDK's poller and the carrier pool, which a profile
     * of a node under load showed costing more than the batch's own work.
     */
    private final ExecutorService senders = Executors.newFixedThreadPool(
            MAX_BATCHES_IN_FLIGHT,
            Thread.ofPlatform().name("innolicense-seat-batch-", 0).daemon().factory());

    /** The calls waiting for a batch, in the order they came; guards {@link #sendersAtWork} too. */
    private final ArrayDeque<SeatCall> waiting = new ArrayDeque<>();

    private int sendersAtWork;

    /**
     * Runs the barriers: one platform thread, kept while idle, which acknowledges the batches committed before
     * each barrier once it returns, while the sender goes on deciding the next ones.
     */
    private final ExecutorService barriers = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("innolicense-seat-durable").daemon().factory());

    /**
     * The batches committed, in the order they were, that wait for a barrier to be acknowledged; guards {@link
     * #barrierAtWork} too.
     */
    private final ArrayDeque<Decided> notYetDurable = new ArrayDeque<>();

    private boolean barrierAtWork;

    private final SeatCallDeadline deadline;

    /** A store in the given database, which the caller opens and closes; its batches have no deadline. */
    public PostgresSeatStore(PostgresDatabase database) {
        this(database, SeatCallDeadline.NONE);
    }

    /**
     * A store in the given database, which the caller opens and closes, whose batches take effect by the
     * deadline given, or not at all: a call of a batch that reached the database too late fails with {@link
     * StoreUnavailableException}, and nothing of its batch happened.
     */
    public PostgresSeatStore(PostgresDatabase database, SeatCallDeadline deadline) {
        this.database = Objects.requireNonNull(database, "database");
        this.deadline = Objects.requireNonNull(deadline, "deadline");
    }

    @Override
    public ClaimResult claim(ClaimRequest request, int capacity, Instant now, Duration ttl) {
        return answer(claimAsync(request, capacity, now, ttl));
    }

    /**
     * Claims as {@link #claim} does, in this store's next batch: the future completes on the batch's sender thread
     * once the decision is committed (the database decides it, so it is made after this method returns), or
     * exceptionally when the database fails.
     */
    @Override
    public CompletableFuture<ClaimResult> claimAsync(ClaimRequest request, int capacity, Instant now, Duration ttl) {
        checkClaim(request, capacity, now, ttl);
        SeatCall.Claim call = new SeatCall.Claim(request, capacity, now.toEpochMilli(), ttl.toMillis());
        submit(call);
        return call.answer();
    }

    @Override
    public boolean release(AgentId agent, Instant now) {
        return answer(releaseAsync(agent, now));
    }

    /** Releases as {@link #release} does, in this store's next batch; see {@link #claimAsync}. */
    @Override
    public CompletableFuture<Boolean> releaseAsync(AgentId agent, Instant now) {
        return releaseCountedAsync(agent, now).thenApply(OptionalInt::isPresent);
    }

    /**
     * Releases in this store's next batch, answering with the release the live leases once the batch is done (at
     * the instant of its last release), which the batch counts once for all its releases.
     */
    @Override
    public CompletableFuture<OptionalInt> releaseCountedAsync(AgentId agent, Instant now) {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(now, "now");
        SeatCall.Release call = new SeatCall.Release(agent, now.toEpochMilli());
        submit(call);
        return call.answer();
    }

    private static void checkClaim(ClaimRequest request, int capacity, Instant now, Duration ttl) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(ttl, "ttl");
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity is negative: " + capacity);
        }
        if (ttl.toMillis() <= 0) {
            throw new IllegalArgumentException("lease TTL must be at least 1 ms, got " + ttl);
        }
    }

    /** What a call answered, waited for; its failure rethrown as it was thrown in the batch. */
    private static <T> T answer(CompletableFuture<T> answer) {
        try {
            return answer.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /**
     * Queues the call for the next batch, and starts a batch sender when fewer than {@link #MAX_BATCHES_IN_FLIGHT}
     * are at work (one at work takes the call with whatever else is waiting when its batch is done).
     */
    private void submit(SeatCall call) {
        boolean startSender;
        synchronized (waiting) {
            waiting.add(call);
            startSender = sendersAtWork < MAX_BATCHES_IN_FLIGHT;
            if (startSender) {
                sendersAtWork++;
            }
        }
        if (startSender) {
            senders.execute(this::sendBatches);
        }
    }

    /** Sends the waiting calls in batches of at most {@link #MAX_BATCH}, until none is waiting. */
    private void sendBatches() {
        while (true) {
            List<SeatCall> batch;
            synchronized (waiting) {
                if (waiting.isEmpty()) {
                    sendersAtWork--;
                    return;
                }
                batch = new ArrayList<>(Math.min(waiting.size(), MAX_BATCH));
                while (!waiting.isEmpty() && batch.size() < MAX_BATCH) {
                    batch.add(waiting.poll());
                }
            }
            send(batch);
        }
    }

    /**
     * Decides a batch and answers its calls, once durable where they must be. While the database refuses writes
     * for want of room (its disk full: {@link PostgresDatabase#refusesWritesForWantOfRoom}), a batch it refuses is
     * decided again call by call, in the same order, so that the one call that needs room it does not have (a new
     * lease) does not take down the releases and renewals beside it, which need none; each of those is a batch of
     * its own then, with its own deadline, as if it had been sent alone.
     */
    void send(List<SeatCall> batch) {
        try {
            answer(decide(batch));
        } catch (StoreUnavailableException e) {
            if (batch.size() == 1 || !database.refusesWritesForWantOfRoom()) {
                batch.forEach(call -> call.fail(e));
                return;
            }
            for (SeatCall call : batch) {
                try {
                    answer(decide(List.of(call)));
                } catch (RuntimeException | Error alone) {
                    call.fail(alone);
                }
            }
        } catch (RuntimeException | Error e) {
            batch.forEach(call -> call.fail(e));
        }
    }

    private void answer(Decided decided) {
        if (decided.mustBeDurable()) {
            completeWhenDurable(decided);
        } else {
            decided.complete();
        }
    }

    /**
     * Queues a committed batch for the next barrier, and starts the barrier thread when it is not at work (at
     * work, it takes the batch with whatever else is queued when its barrier is done).
     */
    private void completeWhenDurable(Decided decided) {
        boolean startBarrier;
        synchronized (notYetDurable) {
            notYetDurable.add(decided);
            startBarrier = !barrierAtWork;
            barrierAtWork = true;
        }
        if (startBarrier) {
            barriers.execute(this::runBarriers);
        }
    }

    /**
     * Runs a barrier for the batches queued, and acknowledges them when it returns, until none is queued. A barrier
     * that fails fails every call of its batches: they were committed, but nobody can tell whether they are
     * durable, so none is acknowledged (a claim or a release sent again is answered as it was decided: the agent's
     * lease, or none).
     */
    private void runBarriers() {
        while (true) {
            List<Decided> committed;
            synchronized (notYetDurable) {
                if (notYetDurable.isEmpty()) {
                    barrierAtWork = false;
                    return;
                }
                committed = new ArrayList<>(notYetDurable);
                notYetDurable.clear();
            }
            try {
                database.autoCommit(connection -> {
                    awaitDurable(connection);
                    return null;
                });
            } catch (RuntimeException | Error e) {
                committed.forEach(decided -> decided.fail(e));
                continue;
            }
            committed.forEach(Decided::complete);
        }
    }

    /**
     * A batch decided and committed: its calls, their answers in the same order, and whether they may be
     * acknowledged only after a barrier (anything but denials and releases of no lease).
     */
    record Decided(List<SeatCall> batch, List<Object> answers, boolean mustBeDurable) {

        void complete() {
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).complete(answers.get(i));
            }
        }

        void fail(Throwable failure) {
            batch.forEach(call -> call.fail(failure));
        }
    }

    /**
     * Decides the calls of one batch, in their order, in one transaction ({@code seat_calls}, migration V16),
     * committed without waiting for the disk (V20); runs the batch again when PostgreSQL aborted it to break a
     * deadlock (which the migration explains). Answers one result per call, in the same order: a {@link
     * ClaimResult}, or for a release the live leases after its batch when it removed a lease, empty when there was
     * none; and whether they must wait for a barrier before they are acknowledged.
     */
    Decided decide(List<SeatCall> batch) {
        OptionalLong notAfter = deadline.notAfter(
                batch.stream().mapToLong(SeatCall::nowMillis).min().orElseThrow());
        for (int attempt = 1; ; attempt++) {
            try {
                return database.autoCommitWrite(connection -> decide(connection, batch, notAfter));
            } catch (StoreException e) {
                if (hasState(e, TOO_LATE_STATE)) {
                    throw new StoreUnavailableException(
                            "the seat calls reached the cluster database too late to take effect (the database is"
                                    + " slow or was out of reach); nothing was changed, try again",
                            Duration.ofSeconds(1));
                }
                if (attempt >= DEADLOCK_ATTEMPTS || !hasState(e, DEADLOCK_STATE)) {
                    throw e;
                }
            }
        }
    }

    private static Decided decide(Connection connection, List<SeatCall> batch, OptionalLong notAfter)
            throws SQLException {
        int size = batch.size();
        String[] kinds = new String[size];
        String[] agents = new String[size];
        String[] nodes = new String[size];
        String[] stations = new String[size];
        Long[] nows = new Long[size];
        Long[] ttls = new Long[size];
        Integer[] capacities = new Integer[size];
        for (int i = 0; i < size; i++) {
            switch (batch.get(i)) {
                case SeatCall.Claim claim -> {
                    kinds[i] = "claim";
                    agents[i] = claim.request().agent().value();
                    nodes[i] = claim.request().node();
                    stations[i] = claim.request().station();
                    nows[i] = claim.nowMillis();
                    ttls[i] = claim.ttlMillis();
                    capacities[i] = claim.capacity();
                }
                case SeatCall.Release release -> {
                    kinds[i] = "release";
                    agents[i] = release.agent().value();
                    nows[i] = release.nowMillis();
                    ttls[i] = 0L;
                    capacities[i] = 0;
                }
            }
        }
        List<Object> answers = new ArrayList<>(size);
        OptionalInt countedAfter = OptionalInt.empty();
        boolean mustBeDurable = false;
        try (PreparedStatement calls = connection.prepareStatement(SEAT_CALLS)) {
            calls.setArray(1, connection.createArrayOf("text", kinds));
            calls.setArray(2, connection.createArrayOf("text", agents));
            calls.setArray(3, connection.createArrayOf("text", nodes));
            calls.setArray(4, connection.createArrayOf("text", stations));
            calls.setArray(5, connection.createArrayOf("bigint", nows));
            calls.setArray(6, connection.createArrayOf("bigint", ttls));
            calls.setArray(7, connection.createArrayOf("integer", capacities));
            if (notAfter.isPresent()) {
                calls.setLong(8, notAfter.getAsLong());
            } else {
                calls.setNull(8, Types.BIGINT);
            }
            try (ResultSet rows = calls.executeQuery()) {
                while (rows.next()) {
                    int index = rows.getInt(1) - 1;
                    if (index == size && rows.getString(2).equals("COUNTED")) {
                        countedAfter = OptionalInt.of(Math.toIntExact(rows.getLong(9)));
                        continue;
                    }
                    if (index != answers.size()) {
                        throw new IllegalStateException(
                                "seat_calls answered call " + (index + 1) + " in place of " + (answers.size() + 1));
                    }
                    String outcome = rows.getString(2);
                    // a denial's record may be lost with the database's last fraction of a second (V1), and a
                    // release of no lease changed nothing
                    mustBeDurable |= !outcome.equals("DENIED") && !outcome.equals("NOT_HELD");
                    answers.add(answer(batch.get(index), outcome, rows));
                }
            }
        }
        if (answers.size() != size) {
            throw new IllegalStateException("seat_calls answered " + answers.size() + " of " + size + " calls");
        }
        for (int i = 0; i < size; i++) {
            if (answers.get(i) == RELEASED) {
                if (countedAfter.isEmpty()) {
                    throw new IllegalStateException("seat_calls released a lease and did not count the rest");
                }
                answers.set(i, countedAfter);
            }
        }
        return new Decided(batch, answers, mustBeDurable);
    }

    private static Object answer(SeatCall call, String outcome, ResultSet row) throws SQLException {
        return switch (call) {
            case SeatCall.Claim claim -> {
                AgentId agent = claim.request().agent();
                yield switch (outcome) {
                    case "CLAIMED" -> new ClaimResult.Claimed(lease(agent, row), Math.toIntExact(row.getLong(9)));
                    case "RENEWED" -> new ClaimResult.Renewed(lease(agent, row));
                    case "DENIED" -> new ClaimResult.Denied(claim.capacity(), Math.toIntExact(row.getLong(9)));
                    case "CAPACITY_REDUCED" ->
                        new ClaimResult.CapacityReduced(claim.capacity(), Math.toIntExact(row.getLong(9)));
                    default -> throw new IllegalStateException("claim_seat answered " + outcome);
                };
            }
            case SeatCall.Release release ->
                switch (outcome) {
                    case "RELEASED" -> RELEASED;
                    case "NOT_HELD" -> OptionalInt.empty();
                    default -> throw new IllegalStateException("seat_calls answered " + outcome + " to a release");
                };
        };
    }

    private static boolean hasState(Throwable failure, String state) {
        return SqlStates.find(failure, state::equals).isPresent();
    }

    /**
     * Waits until every commit that returned before this began, on any connection, is on the disk (and on the
     * synchronous standby): the log is flushed and replicated in order, so a synchronous commit that follows those
     * commits in the log covers them. A batch commits without waiting for the disk, so that neither the claim lock
     * nor the batch sender is held through the flush (migrations V14 and V20), and is acknowledged only after this.
     */
    private static void awaitDurable(Connection connection) throws SQLException {
        try (Statement barrier = connection.createStatement();
                ResultSet ignored = barrier.executeQuery(DURABLE_BARRIER)) {
            // The statement's synchronous commit is the wait. PostgreSQL ends a wait for the synchronous standby
            // that is cancelled (pg_cancel_backend) with a warning, "canceling wait for synchronous replication", and
            // then answers as if the commit had been replicated; the barrier writes nothing else that warns.
            SQLWarning warning = barrier.getWarnings();
            if (warning != null) {
                LOG.warn(
                        "the durability barrier's commit was not confirmed, so its seat calls are not acknowledged:"
                                + " {}",
                        warning.getMessage());
                throw new StoreUnavailableException(
                        "the cluster database did not confirm that the seat calls are durable (" + warning.getMessage()
                                + "); they may have taken effect, try again",
                        Duration.ofSeconds(1));
            }
        }
    }

    @Override
    public List<Lease> leases(Instant now) {
        long nowMillis = now.toEpochMilli();
        return database.autoCommit(connection -> {
            try (PreparedStatement select = connection.prepareStatement(LIVE_LEASES)) {
                select.setLong(1, nowMillis);
                return leases(select);
            }
        });
    }

    @Override
    public int inUse(Instant now) {
        long nowMillis = now.toEpochMilli();
        return database.autoCommit(connection -> Math.toIntExact(liveCount(connection, nowMillis)));
    }

    @Override
    public List<Lease> reap(Instant now) {
        long nowMillis = now.toEpochMilli();
        List<Lease> reaped = database.autoCommit(connection -> {
            try (PreparedStatement delete = connection.prepareStatement(REAP)) {
                delete.setLong(1, nowMillis);
                return leases(delete);
            }
        });
        keepUp();
        reaped.sort(Comparator.comparingLong(Lease::claimSequence));
        return reaped;
    }

    /**
     * The upkeep of the lease table that the reaping node does after each reap: folds the tally rows of backends
     * that are gone, and gives the planner new statistics of the table when it has outgrown the ones its plans
     * were made on ({@link #statisticsOutgrown}). Neither may lose the report of the leases just reaped, so a
     * failure is logged and the next reap tries again (the tally's sum is right either way; folding only keeps it
     * a few rows, and old statistics only make claims slower).
     */
    private void keepUp() {
        try {
            database.autoCommit(connection -> {
                try (Statement fold = connection.createStatement();
                        ResultSet ignored = fold.executeQuery(FOLD_TALLY)) {
                    return null;
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("could not fold the lease tally ({}); the next reap tries again", e.getMessage());
        }
        try {
            database.autoCommit(connection -> {
                try (Statement statement = connection.createStatement()) {
                    double analyzed;
                    long there;
                    try (ResultSet row = statement.executeQuery(LEASE_STATISTICS)) {
                        row.next();
                        analyzed = row.getDouble(1);
                        there = row.getLong(2);
                    }
                    if (statisticsOutgrown(analyzed, there)) {
                        statement.execute(ANALYZE_LEASES);
                    }
                    return null;
                }
            });
        } catch (RuntimeException e) {
            LOG.warn(
                    "could not renew the statistics of the lease table ({}); the next reap tries again",
                    e.getMessage());
        }
    }

    /**
     * Checks that the count of seats held that every claim relies on agrees with the leases, and repairs it when
     * not. Claims count the live leases from a tally that triggers keep ({@code lease_tally}, migration V17), not
     * from the leases themselves; whoever can write the cluster database could lower the tally, or disable its
     * triggers, and every claim would then grant seats beyond the license. So the reaping node checks: triggers of
     * the tally that were disabled are enabled again, then the leases not freed are recounted and the tally set to
     * their number. Nothing the server does makes them disagree, so a finding means the database was changed
     * outside it (or a defect); the caller audits it. A trigger dropped cannot be made again here: that is
     * reported, and the recount still corrects the tally each time.
     *
     * @return what was wrong and has been repaired, for the audit log; empty when everything agreed
     * @throws StoreException when the database cannot be read or written
     */
    public Optional<String> repairSeatCount() {
        return database.autoCommit(connection -> {
            List<String> findings = new ArrayList<>();
            List<String> disabled = new ArrayList<>();
            List<String> missing = new ArrayList<>(TALLY_TRIGGERS);
            try (Statement statement = connection.createStatement();
                    ResultSet triggers = statement.executeQuery(TALLY_TRIGGER_STATES)) {
                while (triggers.next()) {
                    String name = triggers.getString(1);
                    if (missing.remove(name) && "D".equals(triggers.getString(2))) {
                        disabled.add(name);
                    }
                }
            }
            List<String> notEnabled = new ArrayList<>();
            for (String trigger : disabled) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("ALTER TABLE lease ENABLE TRIGGER " + trigger);
                } catch (SQLException e) {
                    notEnabled.add(trigger + ": " + e.getMessage());
                }
            }
            if (!disabled.isEmpty()) {
                findings.add("the triggers that count the seats held were disabled (" + String.join(", ", disabled)
                        + "); "
                        + (notEnabled.isEmpty()
                                ? "enabled again"
                                : "enabling them failed (" + String.join("; ", notEnabled)
                                        + "), enable them as the owner of the schema"));
            }
            if (!missing.isEmpty()) {
                findings.add("triggers that count the seats held are missing (" + String.join(", ", missing)
                        + "): the schema was changed outside innolicense; restore it from a backup");
            }
            try (Statement statement = connection.createStatement();
                    ResultSet counted = statement.executeQuery(RECOUNT_TALLY)) {
                counted.next();
                long leases = counted.getLong(1);
                long tallied = counted.getLong(2);
                if (leases != tallied) {
                    findings.add(String.format(
                            Locale.ROOT,
                            "the count of seats held was %,d where %,d leases are held (%,d %s): changed outside"
                                    + " innolicense; set to %,d, which claims count from now on",
                            tallied,
                            leases,
                            Math.abs(leases - tallied),
                            tallied < leases ? "too few, seats beyond the license could be granted" : "too many",
                            leases));
                }
            }
            return findings.isEmpty() ? Optional.<String>empty() : Optional.of(String.join("; ", findings));
        });
    }

    /**
     * Whether the lease table has outgrown the statistics its plans were made on: at least {@link
     * #ANALYZE_FROM_LEASES} leases, and more than twice as many as when it was last analyzed. PL/pgSQL keeps a
     * generic plan of each statement of {@code claim_seat} and {@code seat_calls} made on the statistics at the
     * time, and a plan made while the table was empty (a new installation, or a night after every agent logged
     * out) scans the whole table where an index would find one row: a login storm into it ran about 3× slower
     * (docs/benchmarks.md, "Where the time goes") until autovacuum's {@code ANALYZE}, a minute or more later, made
     * every backend plan again. Doubling as the trigger analyzes a table growing to {@code n} leases about
     * {@code log2(n / 200)} times; renewals, which only update, never trigger it.
     *
     * @param analyzed the leases when the table was last analyzed ({@code pg_class.reltuples}; negative when it
     *     never was)
     * @param there the leases there now
     */
    static boolean statisticsOutgrown(double analyzed, long there) {
        return there >= ANALYZE_FROM_LEASES && there > 2 * Math.max(analyzed, 0);
    }

    @Override
    public long denials() {
        return database.autoCommit(connection -> {
            try (PreparedStatement select = connection.prepareStatement(DENIALS);
                    ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        });
    }

    @Override
    public List<Denial> recentDenials(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit is negative: " + limit);
        }
        return database.autoCommit(connection -> {
            List<Denial> denials = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(RECENT_DENIALS)) {
                select.setInt(1, limit);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        denials.add(new Denial(
                                new AgentId(rows.getString(1)),
                                Instant.ofEpochMilli(rows.getLong(2)),
                                rows.getInt(3),
                                rows.getInt(4)));
                    }
                }
            }
            return denials;
        });
    }

    private static long liveCount(Connection connection, long nowMillis) throws SQLException {
        try (PreparedStatement count = connection.prepareStatement(LIVE_COUNT)) {
            count.setLong(1, nowMillis);
            try (ResultSet row = count.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static List<Lease> leases(PreparedStatement select) throws SQLException {
        List<Lease> leases = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                leases.add(lease(
                        new AgentId(rows.getString(1)),
                        rows.getString(2),
                        rows.getString(3),
                        rows.getLong(4),
                        rows.getLong(5),
                        rows.getLong(6),
                        rows.getLong(7)));
            }
        }
        return leases;
    }

    /** The lease in a row of {@code seat_calls}: the claim's node, station, instants and sequence number. */
    private static Lease lease(AgentId agent, ResultSet row) throws SQLException {
        return lease(
                agent,
                row.getString(3),
                row.getString(4),
                row.getLong(5),
                row.getLong(6),
                row.getLong(7),
                row.getLong(8));
    }

    private static Lease lease(
            AgentId agent, String node, String station, long claimedAt, long renewedAt, long expiresAt, long claimSeq) {
        return new Lease(
                agent,
                node,
                station,
                Instant.ofEpochMilli(claimedAt),
                Instant.ofEpochMilli(renewedAt),
                Instant.ofEpochMilli(expiresAt),
                claimSeq);
    }

    static void setNullable(PreparedStatement statement, int index, String value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value);
        }
    }
}
