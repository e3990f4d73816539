package com.anycontact.innolicense.store.sqlite;

import com.anycontact.innolicense.seat.AgentId;
import com.anycontact.innolicense.seat.ClaimRequest;
import com.anycontact.innolicense.seat.ClaimResult;
import com.anycontact.innolicense.seat.Denial;
import com.anycontact.innolicense.seat.Lease;
import com.anycontact.innolicense.seat.SeatStore;
import com.anycontact.innolicense.store.StoreException;
import com.anycontact.innolicense.store.StoreUnavailableException;
import com.anycontact.innolicense.time.Ticker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The seat store of the embedded server: an in-memory seat book that arbitrates, made durable by
 * a journal in the SQLite database with group commit. For one server process; a cluster needs a
 * store that lets its database arbitrate.
 *
 * <p>Deciding: every claim, renewal, release and reap is decided under one lock, in one step, on
 * the {@link SeatBook}, with exactly the rules of {@link SeatStore}. Nothing is read from the
 * database to decide, so a decision takes about a microsecond.
 *
 * <p>Group commit: a decision that changes who holds a seat (a claim, a release, a release for
 * reduced capacity, a reap) appends an entry to the open batch, and a denial appends the denial,
 * still under the lock, so batches hold decisions in the order they were made. One writer thread
 * takes the open batch, writes it in one SQLite transaction, and then wakes every caller waiting
 * on it; meanwhile the next batch fills. Finding the next batch empty, the writer yields its
 * processor a few times before it waits, so that the callers it has just woken can fill it: on
 * two busy cores that doubles the claims per transaction and halves the processor time per claim.
 * A caller of {@link #claimAsync} or {@link #releaseAsync} does not wait: its future is completed by the
 * writer after the commit (by a helper thread for half of a large batch's futures, so that what depends
 * on them runs on two processors). A caller is answered only after its batch has committed,
 * and with it every batch before, so an answer never rests on a decision that a crash could
 * undo: a claim that took a seat freed by an earlier release is acked only once that release is
 * durable too.
 *
 * <p>Renewals write nothing: the new expiry lives in memory, and a checkpoint (every {@link
 * #CHECKPOINT_INTERVAL}, when the journal grows long, and at close) writes every lease changed
 * since the last one into the lease table, 64 per transaction between batches so that claims
 * never wait long behind it, and then deletes the journal up to where it started. A
 * renewal of a lease whose claim is not yet committed waits for that commit.
 *
 * <p>Restart: the lease table with the journal replayed over it gives back every lease. After a
 * clean {@link #close()} every expiry is exact. After a crash the renewals since the last
 * checkpoint are lost, so every lease restored is given an expiry of at least the opening time
 * plus the restart grace, and again of at least the time the server begins answering plus the
 * grace ({@link #beginAnswering}), so that a slow start does not eat into the time its agents
 * have to renew: no seat held at the crash is lost, and a lease whose agent vanished meanwhile
 * lingers for at most the start plus that grace.
 *
 * <p>Durability: the database runs in WAL mode with {@code synchronous=NORMAL}, so a committed
 * batch survives a crash of the process ({@code kill -9}) but a power loss may lose the last
 * commits, as with {@link SqliteSeatStore}.
 *
 * <p>Failure: when a write fails (disk full, SQLite's write lock held by another process, a failed
 * commit), the batch stays in flight and is written again after a backoff, in order; its callers are
 * answered once it commits. Meanwhile claims and releases are refused with {@link
 * StoreUnavailableException} before anything is decided, renewals of durable leases that rank within
 * capacity counting every lease are answered, and reaping waits; the outage is logged once when it
 * starts and once when it ends ({@link #unavailableFor()}). Only a failure while closing, a database
 * closed underneath, or an {@link Error} stops the store (fail-stop): every later call then gets a
 * {@link StoreException}, and reopening gives back the committed state.
 *
 * <p>Reads ({@link #leases}, {@link #inUse}, {@link #denials}, {@link #recentDenials}) come from
 * memory and include decisions whose batch is still being committed.
 *
 * <p>One process at a time: opening takes an exclusive lock on a file beside the database, so a
 * second server on the same data directory is refused instead of arbitrating on its own book.
 *
 * <p>The parts: {@link SeatBook} holds the leases the decisions are made on; this class decides and runs
 * the group commit; {@link SeatBatch} answers the callers of a batch once it commits; {@link
 * SeatCheckpoint} writes the changed leases and truncates the journal; {@link SeatJournal} is the SQL.
 *
 * <p>The writer thread writes through {@link SqliteDatabase}'s one writer connection, between the
 * other stores' transactions; so a claim or release must never be made from inside another write
 * transaction on the same database, which would wait for the writer that waits for it.
 */
public final class JournaledSeatStore implements SeatStore, AutoCloseable {

    /** How often renewed expiries are written to the database. */
    public static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(5);

    private static final int RECENT_DENIALS = 1_000;
    private static final int UNREPORTED_LIMIT = 100_000;
    private static final long JOURNAL_LIMIT = 65_536;
    private static final int YIELDS_BEFORE_WAITING = 3;
    private static final long FIRST_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long MAX_RETRY_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final System.Logger LOG = System.getLogger(JournaledSeatStore.class.getName());

    private final SeatJournal journal;
    private final SeatStoreLock directoryLock;
    private final boolean ownsLock;
    private final Ticker ticker;
    private final long checkpointIntervalNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Condition checkpointed = lock.newCondition();
    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong wakeups = new AtomicLong();
    private final Thread writer;
    private final ExecutorService helper = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("innolicense-seat-answers").daemon(true).factory());

    // guarded by lock
    private final SeatBook book;
    private final ArrayDeque<Denial> recentDenials;
    private final ArrayDeque<Held> unreported = new ArrayDeque<>();
    private long denials;
    private long lastPosition;
    private long durablePosition;
    private SeatBatch open = new SeatBatch();
    private SeatBatch inFlight;
    private boolean checkpointRequested;
    private boolean checkpointRunning;
    private long checkpointsDone;
    private boolean closing;
    private volatile StoreException failure;
    private volatile Outage outage;
    private long retryDelayNanos = FIRST_RETRY_NANOS;
    private long retryAtNanos;
    private boolean failedWhileClosing;
    private long pendingRestartGraceMillis = -1;

    // writer thread only
    private SeatCheckpoint checkpoint;
    private boolean finalCheckpointStarted;
    private long lastCheckpointNanos;
    private long truncatedThrough;

    private JournaledSeatStore(
            SeatJournal journal,
            SeatStoreLock directoryLock,
            boolean ownsLock,
            SeatJournal.Contents contents,
            long openedAtMillis,
            long restartGraceMillis,
            Duration checkpointInterval,
            Ticker ticker) {
        this.journal = journal;
        this.directoryLock = directoryLock;
        this.ownsLock = ownsLock;
        this.ticker = ticker;
        this.checkpointIntervalNanos = checkpointInterval.toNanos();
        this.book = new SeatBook(contents.leases(), contents.lastClaimSequence());
        this.recentDenials = new ArrayDeque<>(contents.recentDenials());
        this.denials = contents.denials();
        this.lastPosition = contents.lastPosition();
        this.durablePosition = contents.lastPosition();
        this.truncatedThrough = contents.truncatedThrough();
        this.lastCheckpointNanos = ticker.nanos();
        // the lease table does not hold what the journal says of these agents until a checkpoint writes it; the
        // checkpoint truncates the journal, so it must write them (a released lease would come back otherwise)
        contents.journaled().forEach(book::markChanged);
        if (!contents.closedCleanly()) {
            book.extendAll(Math.addExact(openedAtMillis, restartGraceMillis));
            checkpointRequested = true;
            pendingRestartGraceMillis = restartGraceMillis;
        }
        this.writer = Thread.ofPlatform()
                .name("innolicense-seat-journal")
                .daemon(true)
                .unstarted(this::runWriter);
    }

    /**
     * Opens the store over the database: reads the leases back, locks the data directory against
     * a second process ({@link SeatStoreLock}), and starts the writer thread. Close the store before the database.
     *
     * @param database the database, which the caller opens and closes
     * @param now the trusted time at opening
     * @param restartGrace after a crash, how long past {@code now}, and past the time given to {@link
     *     #beginAnswering}, every restored lease is held at least, because renewals since the last
     *     checkpoint were not written; the lease TTL suits, so that every agent gets a chance to renew
     * @throws StoreException when the database cannot be read or another process has the store
     *     open
     */
    public static JournaledSeatStore open(SqliteDatabase database, Instant now, Duration restartGrace) {
        return open(database, now, restartGrace, CHECKPOINT_INTERVAL, Ticker.system(), null);
    }

    /**
     * Opens the store as {@link #open(SqliteDatabase, Instant, Duration)} does, under a lock on the data directory
     * that the caller took and keeps: closing the store does not release it. For a process that holds the
     * directory longer than the store is open (the embedded server from before it migrates the schema, {@code admin
     * migrate} through its whole copy).
     *
     * @param held the caller's lock on the directory holding the database
     * @throws IllegalArgumentException when {@code held} is released or locks another directory
     */
    public static JournaledSeatStore open(
            SqliteDatabase database, Instant now, Duration restartGrace, SeatStoreLock held) {
        Objects.requireNonNull(held, "held");
        if (!held.guards(database.file())) {
            throw new IllegalArgumentException(
                    "the lock given does not hold the directory of " + database.file() + " (released, or another)");
        }
        return open(database, now, restartGrace, CHECKPOINT_INTERVAL, Ticker.system(), held);
    }

    static JournaledSeatStore open(
            SqliteDatabase database, Instant now, Duration restartGrace, Duration checkpointInterval) {
        return open(database, now, restartGrace, checkpointInterval, Ticker.system(), null);
    }

    static JournaledSeatStore open(
            SqliteDatabase database, Instant now, Duration restartGrace, Duration checkpointInterval, Ticker ticker) {
        return open(database, now, restartGrace, checkpointInterval, ticker, null);
    }

    private static JournaledSeatStore open(
            SqliteDatabase database,
            Instant now,
            Duration restartGrace,
            Duration checkpointInterval,
            Ticker ticker,
            SeatStoreLock held) {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(restartGrace, "restartGrace");
        Objects.requireNonNull(checkpointInterval, "checkpointInterval");
        if (restartGrace.isNegative()) {
            throw new IllegalArgumentException("restart grace is negative: " + restartGrace);
        }
        if (!checkpointInterval.isPositive()) {
            throw new IllegalArgumentException("checkpoint interval must be positive, got " + checkpointInterval);
        }
        SeatStoreLock directoryLock =
                held != null ? held : SeatStoreLock.acquire(database.file().getParent());
        try {
            SeatJournal journal = new SeatJournal(database);
            JournaledSeatStore store = new JournaledSeatStore(
                    journal,
                    directoryLock,
                    held == null,
                    journal.open(RECENT_DENIALS),
                    now.toEpochMilli(),
                    restartGrace.toMillis(),
                    checkpointInterval,
                    Objects.requireNonNull(ticker, "ticker"));
            store.writer.start();
            return store;
        } catch (RuntimeException e) {
            if (held == null) {
                directoryLock.close();
            }
            throw e;
        }
    }

    @Override
    public ClaimResult claim(ClaimRequest request, int capacity, Instant now, Duration ttl) {
        checkClaim(request, capacity, now, ttl);
        return decideAndWait(() -> decideClaim(request, capacity, now.toEpochMilli(), ttl.toMillis()));
    }

    /**
     * Claims or renews as {@link #claim} does; the future completes on the writer thread once the batch
     * holding the decision has committed (at once when there is nothing to wait for), or exceptionally with
     * a {@link StoreException} when the store has stopped.
     */
    @Override
    public CompletableFuture<ClaimResult> claimAsync(ClaimRequest request, int capacity, Instant now, Duration ttl) {
        checkClaim(request, capacity, now, ttl);
        return decideLater(() -> decideClaim(request, capacity, now.toEpochMilli(), ttl.toMillis()));
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

    /** Decides a claim on the book and appends what must be committed; under the lock. */
    private Decision<ClaimResult> decideClaim(ClaimRequest request, int capacity, long nowMillis, long ttlMillis) {
        AgentId agent = request.agent();
        if (outage != null) {
            return renewWithoutWriting(request, capacity, nowMillis, ttlMillis);
        }
        boolean removedExpired = removeExpired(nowMillis);
        Held held = book.find(agent);
        int inUse = book.inUse(nowMillis);
        if (held != null && held.isLiveAt(nowMillis)) {
            if (inUse > capacity && book.ranksBeyond(held, capacity, nowMillis)) {
                book.remove(held);
                return new Decision<>(new ClaimResult.CapacityReduced(capacity, inUse - 1), append(held, true));
            }
            Held renewed = renew(held, request, nowMillis, ttlMillis);
            return new Decision<>(
                    new ClaimResult.Renewed(renewed.toLease()),
                    removedExpired ? open : pendingThrough(held.journalPosition()));
        }
        if (inUse < capacity) {
            Held lease = book.claim(
                    agent,
                    request.node(),
                    request.station(),
                    nowMillis,
                    Math.addExact(nowMillis, ttlMillis),
                    lastPosition + 1);
            return new Decision<>(new ClaimResult.Claimed(lease.toLease(), inUse + 1), append(lease, false));
        }
        Denial denial = new Denial(agent, Instant.ofEpochMilli(nowMillis), capacity, inUse);
        denials++;
        recentDenials.addFirst(denial);
        if (recentDenials.size() > RECENT_DENIALS) {
            recentDenials.removeLast();
        }
        return new Decision<>(new ClaimResult.Denied(capacity, inUse), appendDenial(denial));
    }

    @Override
    public boolean release(AgentId agent, Instant now) {
        Objects.requireNonNull(agent, "agent");
        return decideAndWait(() -> decideRelease(agent, now.toEpochMilli()));
    }

    /** Releases as {@link #release} does; the future completes as {@link #claimAsync}'s does. */
    @Override
    public CompletableFuture<Boolean> releaseAsync(AgentId agent, Instant now) {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(now, "now");
        return decideLater(() -> decideRelease(agent, now.toEpochMilli()));
    }

    /** Decides under the lock, then waits for the batch that makes the decision durable. */
    private <T> T decideAndWait(Supplier<Decision<T>> decide) {
        Decision<T> decision;
        int slot;
        lock.lock();
        try {
            ensureOpen();
            decision = decide.get();
            slot = register(decision.batch());
        } finally {
            lock.unlock();
        }
        awaitCommit(decision.batch(), slot);
        return decision.result();
    }

    /** Decides under the lock; the future completes when the batch that makes the decision durable has. */
    private <T> CompletableFuture<T> decideLater(Supplier<Decision<T>> decide) {
        lock.lock();
        try {
            ensureOpen();
            return decide.get().future();
        } catch (StoreException | StoreUnavailableException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * While writes fail: renews a live lease that is already durable and that ranks within capacity even counting
     * every lease before it, live or expired (so that the answer holds whichever of them a crash brings back);
     * refuses anything else, before changing the book. Under the lock.
     */
    private Decision<ClaimResult> renewWithoutWriting(
            ClaimRequest request, int capacity, long nowMillis, long ttlMillis) {
        Held held = book.find(request.agent());
        if (held == null
                || !held.isLiveAt(nowMillis)
                || held.journalPosition() > durablePosition
                || book.ranksBeyond(held, capacity, Long.MIN_VALUE)) {
            throw unavailable();
        }
        return new Decision<>(
                new ClaimResult.Renewed(
                        renew(held, request, nowMillis, ttlMillis).toLease()),
                null);
    }

    /**
     * Renews a live lease in the book, which the next checkpoint writes; under the lock. A renewal never dates
     * the lease back nor shortens it, whatever instant it was given.
     */
    private Held renew(Held held, ClaimRequest request, long nowMillis, long ttlMillis) {
        long renewedMillis = Math.max(nowMillis, held.claimedAt());
        Held renewed = held.renewed(
                request.node() != null ? request.node() : held.node(),
                request.station() != null ? request.station() : held.station(),
                Math.max(renewedMillis, held.renewedAt()),
                Math.max(Math.addExact(renewedMillis, ttlMillis), held.expiresAt()));
        boolean firstChange = book.changes() == 0;
        book.replace(held, renewed);
        if (firstChange) {
            work.signal(); // the writer sleeps until something is to be checkpointed
        }
        return renewed;
    }

    /** Decides a release on the book; under the lock. */
    private Decision<Boolean> decideRelease(AgentId agent, long nowMillis) {
        if (outage != null) {
            throw unavailable();
        }
        removeExpired(nowMillis);
        Held held = book.find(agent);
        if (held != null && held.isLiveAt(nowMillis)) {
            book.remove(held);
            return new Decision<>(true, append(held, true));
        }
        // nothing to release, but the answer must not overtake a release of it still being committed
        return new Decision<>(false, pendingThrough(lastPosition));
    }

    @Override
    public List<Lease> leases(Instant now) {
        long nowMillis = now.toEpochMilli();
        Held[] all;
        lock.lock();
        try {
            ensureOpen();
            all = book.all();
        } finally {
            lock.unlock();
        }
        List<Lease> live = new ArrayList<>(all.length);
        for (Held lease : all) {
            if (lease.isLiveAt(nowMillis)) {
                live.add(lease.toLease());
            }
        }
        return live;
    }

    @Override
    public int inUse(Instant now) {
        long nowMillis = now.toEpochMilli();
        lock.lock();
        try {
            ensureOpen();
            return book.inUse(nowMillis);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<Lease> reap(Instant now) {
        long nowMillis = now.toEpochMilli();
        List<Held> reaped;
        SeatBatch batch = null;
        int slot;
        lock.lock();
        try {
            ensureOpen();
            if (outage != null) {
                return List.of(); // reaping is a write: it waits until the store can write
            }
            removeExpired(nowMillis);
            reaped = takeUnreported(nowMillis);
            batch = reaped.isEmpty() ? null : pendingThrough(lastPosition);
            slot = register(batch);
        } finally {
            lock.unlock();
        }
        awaitCommit(batch, slot);
        return reaped.stream().map(Held::toLease).toList();
    }

    @Override
    public long denials() {
        lock.lock();
        try {
            ensureOpen();
            return denials;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<Denial> recentDenials(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit is negative: " + limit);
        }
        lock.lock();
        try {
            ensureOpen();
            if (limit <= recentDenials.size() || recentDenials.size() == denials) {
                return recentDenials.stream().limit(limit).toList();
            }
        } finally {
            lock.unlock();
        }
        return journal.recentDenials(limit);
    }

    /**
     * Stops the store: answers the calls already decided, writes a final checkpoint, marks the
     * database closed cleanly, stops the writer thread and unlocks the data directory (unless the lock was
     * the caller's). Later calls
     * fail with {@link StoreException}. The database stays open.
     *
     * @throws StoreException when the final checkpoint cannot be written; the journal still holds
     *     every acked change, and the next opening treats the stop as a crash
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closing) {
                return;
            }
            closing = true;
            work.signal();
        } finally {
            lock.unlock();
        }
        joinUninterruptibly(writer);
        helper.shutdown();
        if (ownsLock) {
            directoryLock.close();
        }
        lock.lock();
        try {
            if (failedWhileClosing) {
                throw new StoreException(failure.getMessage(), failure);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * How long the store has been unable to write: {@link Duration#ZERO} while its writes succeed. While it cannot
     * write, claims and releases are refused with {@link StoreUnavailableException} and renewals of seats already
     * held are answered; the store retries by itself.
     */
    public Duration unavailableFor() {
        Outage current = outage;
        return current == null ? Duration.ZERO : Duration.ofNanos(Math.max(1, ticker.nanos() - current.sinceNanos()));
    }

    /** Why the store cannot write, or empty while it can: the last failure's message, for health and logs. */
    public Optional<String> unavailableBecause() {
        Outage current = outage;
        return current == null ? Optional.empty() : Optional.of(current.cause());
    }

    /**
     * Tells the store that the server begins answering at {@code now}. After a crash, every lease held is then
     * given an expiry of at least {@code now} plus the restart grace the store was opened with, and the next
     * checkpoint writes it: the agents get the whole grace to renew however long the start took since opening.
     * Only the first call after opening counts; after a clean close it does nothing, since every expiry is exact.
     *
     * @param now the time, on the clock the leases are judged by, at which the server begins answering
     * @throws StoreException when the store has failed or is closed
     */
    public void beginAnswering(Instant now) {
        Objects.requireNonNull(now, "now");
        lock.lock();
        try {
            ensureOpen();
            if (pendingRestartGraceMillis < 0) {
                return;
            }
            book.extendAll(Math.addExact(now.toEpochMilli(), pendingRestartGraceMillis));
            pendingRestartGraceMillis = -1;
            checkpointRequested = true;
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    /** The write transactions the writer thread has committed, for tests. */
    long transactions() {
        return transactions.get();
    }

    /** The times the writer thread has waited for work and woken up, for tests. */
    long writerWakeups() {
        return wakeups.get();
    }

    /** Writes a checkpoint now, and returns when it is complete. */
    void checkpoint() {
        lock.lock();
        try {
            ensureOpen();
            long target = checkpointsDone + (checkpointRunning ? 2 : 1);
            checkpointRequested = true;
            work.signal();
            while (checkpointsDone < target) {
                ensureOpen();
                checkpointed.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the store as a crash would, for tests: no final checkpoint, the file not marked closed,
     * renewals since the last checkpoint lost. Unlike a crash, it waits for the batch being
     * written.
     */
    void halt() {
        fail(new StoreException("the seat store was halted", null));
        close();
    }

    /**
     * Removes the leases expired at {@code now} from the book and appends their removals, under the lock; they
     * are reported by the next {@link #reap}. Every decision does this first, so that no decision rests on a
     * lease being dead while a crash could bring it back: a claim granted the seat an expired lease freed, or a
     * renewal ranked within capacity because an earlier lease had expired, is answered only once that lease's
     * removal is durable too.
     *
     * @return whether any lease was removed
     */
    private boolean removeExpired(long nowMillis) {
        if (!book.hasExpired(nowMillis)) {
            return false;
        }
        for (Held lease : book.reap(nowMillis)) {
            append(lease, true);
            if (unreported.size() == UNREPORTED_LIMIT) {
                unreported.removeFirst();
            }
            unreported.addLast(lease);
        }
        return true;
    }

    /** The leases removed for expiry at or before {@code now} and not yet reported, earliest-claimed first. */
    private List<Held> takeUnreported(long nowMillis) {
        List<Held> taken = new ArrayList<>();
        unreported.removeIf(lease -> {
            if (lease.expiresAt() <= nowMillis) {
                taken.add(lease);
                return true;
            }
            return false;
        });
        taken.sort(Comparator.comparingLong(Held::claimSequence));
        return taken;
    }

    private SeatBatch append(Held lease, boolean removed) {
        long position = ++lastPosition;
        if (!removed && lease.journalPosition() != position) {
            throw new IllegalStateException(
                    "claim at journal position " + lease.journalPosition() + " appended at " + position);
        }
        SeatBatch batch = openSeatBatch();
        batch.entries.add(new SeatJournal.Entry(lease, removed));
        return batch;
    }

    private SeatBatch appendDenial(Denial denial) {
        SeatBatch batch = openSeatBatch();
        batch.denials.add(denial);
        return batch;
    }

    private SeatBatch openSeatBatch() {
        if (open.isEmpty()) {
            work.signal();
        }
        return open;
    }

    /** The batch that commits the given journal position, or {@code null} when it is committed. */
    private SeatBatch pendingThrough(long position) {
        if (position <= durablePosition) {
            return null;
        }
        if (inFlight != null && position <= inFlight.lastPosition) {
            return inFlight;
        }
        return open;
    }

    private void ensureOpen() {
        if (failure != null) {
            throw new StoreException(failure.getMessage(), failure);
        }
        if (closing) {
            throw new StoreException("the seat store is closed", null);
        }
    }

    private static int register(SeatBatch batch) {
        return batch == null ? -1 : batch.register(Thread.currentThread());
    }

    private static void awaitCommit(SeatBatch batch, int slot) {
        if (batch != null) {
            batch.await(slot);
        }
    }

    private void runWriter() {
        try {
            while (writeOnce()) {
                // each turn commits one batch and writes one step of a checkpoint, or retries a failed write
            }
        } catch (Throwable t) {
            fail(new StoreException(
                    "the seat store stopped after a failed write; it answers nothing more until"
                            + " reopened, and the database holds every answered change",
                    t));
            if (t instanceof Error error) {
                throw error;
            }
        }
    }

    /** One turn of the writer; {@code false} when the store has stopped. */
    private boolean writeOnce() throws InterruptedException {
        SeatBatch batch;
        boolean finishing;
        lock.lock();
        try {
            awaitWork();
            if (failure != null) {
                return false;
            }
            finishing = closing;
            if (inFlight == null) {
                if (!open.isEmpty()) {
                    inFlight = open;
                    inFlight.lastPosition = lastPosition;
                    open = new SeatBatch();
                }
                // only here, with no decision outside the batch about to be committed, may a checkpoint start
                if (checkpoint == null && (finishing ? !finalCheckpointStarted : checkpointDueInNanos() <= 0)) {
                    checkpoint = new SeatCheckpoint(
                            journal,
                            transactions::incrementAndGet,
                            book.takeChanges(),
                            lastPosition,
                            book.lastClaimSequence(),
                            truncatedThrough);
                    checkpointRequested = false;
                    checkpointRunning = true;
                    finalCheckpointStarted = finishing;
                }
            }
            batch = inFlight;
        } finally {
            lock.unlock();
        }
        try {
            if (batch != null) {
                commit(batch);
            }
            if (checkpoint != null && checkpoint.step(finishing)) {
                truncatedThrough = checkpoint.truncatedThrough();
                checkpoint = null;
                lastCheckpointNanos = ticker.nanos();
                lock.lock();
                try {
                    checkpointRunning = false;
                    checkpointsDone++;
                    checkpointed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        } catch (RuntimeException e) {
            if (finishing || journal.isClosed()) {
                // closing, or the database closed underneath: give up (fail-stop); the journal holds every
                // acked change, and the next opening recovers
                throw e;
            }
            writeFailed(e);
            return true;
        }
        writeSucceeded();
        if (finishing && batch == null && checkpoint == null && finalCheckpointStarted) {
            journal.markClosed();
            transactions.incrementAndGet();
            return false;
        }
        return true;
    }

    /**
     * Waits, under the lock, until there is something to write: a batch, a checkpoint due or under way, the
     * store closing, or, while writes fail, the next retry. Sleeps without a timeout when nothing has changed
     * since the last checkpoint; a decision or renewal wakes it.
     */
    private void awaitWork() throws InterruptedException {
        int yields = YIELDS_BEFORE_WAITING;
        while (failure == null && !closing) {
            long waitNanos;
            if (outage != null) {
                waitNanos = retryAtNanos - ticker.nanos();
            } else if (!open.isEmpty() || checkpoint != null) {
                return;
            } else {
                waitNanos = checkpointDueInNanos();
            }
            if (waitNanos <= 0) {
                return;
            }
            if (outage == null && yields-- > 0) {
                lock.unlock();
                try {
                    Thread.yield();
                } finally {
                    lock.lock();
                }
                continue;
            }
            wakeups.incrementAndGet();
            if (waitNanos == Long.MAX_VALUE) {
                work.await();
            } else {
                work.awaitNanos(waitNanos);
            }
        }
    }

    /** How long until a checkpoint is due: 0 or less when due now, {@code Long.MAX_VALUE} when nothing changed. */
    private long checkpointDueInNanos() {
        if (checkpointRequested) {
            return 0;
        }
        long journaled = lastPosition - truncatedThrough;
        if (journaled >= JOURNAL_LIMIT) {
            return 0;
        }
        if (journaled == 0 && book.changes() == 0) {
            return Long.MAX_VALUE;
        }
        return lastCheckpointNanos + checkpointIntervalNanos - ticker.nanos();
    }

    private void commit(SeatBatch batch) {
        journal.append(batch.lastPosition, batch.entries, batch.denials);
        transactions.incrementAndGet();
        lock.lock();
        try {
            durablePosition = batch.lastPosition;
            inFlight = null;
            batch.complete(null);
        } finally {
            lock.unlock();
        }
        batch.wakeFirst();
        batch.completeFutures(helper);
    }

    /**
     * A write failed: the batch stays in flight and the checkpoint where it was, and the writer tries again after
     * a backoff; meanwhile claims and releases are refused. Logged once, when the outage starts.
     */
    private void writeFailed(RuntimeException cause) {
        long now = ticker.nanos();
        boolean started;
        lock.lock();
        try {
            started = outage == null;
            if (started) {
                outage = new Outage(now, describe(cause));
                retryDelayNanos = FIRST_RETRY_NANOS;
            } else {
                outage = new Outage(outage.sinceNanos(), describe(cause));
                retryDelayNanos = Math.min(retryDelayNanos * 2, MAX_RETRY_NANOS);
            }
            retryAtNanos = now + retryDelayNanos;
        } finally {
            lock.unlock();
        }
        if (started) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "the seat store cannot write to the database " + journal.file() + ": " + outage.cause()
                            + "; claims and releases are refused (HTTP 503) and renewals of seats already held are"
                            + " answered until it can; decisions made before are kept and retried, never lost",
                    cause);
        }
    }

    /** A turn wrote all it had to: an outage, if any, is over. Logged once. */
    private void writeSucceeded() {
        if (outage == null) {
            return;
        }
        Outage ended;
        lock.lock();
        try {
            ended = outage;
            outage = null;
        } finally {
            lock.unlock();
        }
        if (ended != null) {
            LOG.log(
                    System.Logger.Level.INFO,
                    "the seat store writes to the database again after "
                            + Duration.ofNanos(ticker.nanos() - ended.sinceNanos())
                                    .toMillis()
                            + " ms; claims and releases are answered again");
        }
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }

    /** The refusal of a decision that would have to be written while the store cannot write. */
    private StoreUnavailableException unavailable() {
        long retryAfterSeconds =
                Math.max(1, TimeUnit.NANOSECONDS.toSeconds(retryDelayNanos + TimeUnit.SECONDS.toNanos(1) - 1));
        return new StoreUnavailableException(
                "the seat store cannot write to the database (" + outage.cause()
                        + "); claims and releases are refused until it can",
                Duration.ofSeconds(retryAfterSeconds));
    }

    /**
     * Since when, on the store's ticker, and why writes fail.
     *
     * @param sinceNanos the ticker reading at the first failure
     * @param cause the last failure's message
     */
    private record Outage(long sinceNanos, String cause) {}

    private void fail(StoreException cause) {
        SeatBatch writing;
        SeatBatch waiting;
        lock.lock();
        try {
            if (failure != null) {
                return;
            }
            failure = cause;
            failedWhileClosing = closing;
            writing = inFlight;
            waiting = open;
            inFlight = null;
            open = new SeatBatch();
            if (writing != null) {
                writing.complete(cause);
            }
            waiting.complete(cause);
            work.signal();
            checkpointed.signalAll();
        } finally {
            lock.unlock();
        }
        if (writing != null) {
            writing.wakeFirst();
            writing.completeFutures();
        }
        waiting.wakeFirst();
        waiting.completeFutures();
    }

    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A decision made on the book, and the batch that must commit before it is answered ({@code null} when
     * nothing is pending).
     */
    private record Decision<T>(T result, SeatBatch batch) {

        /** A future of the result, completed now or when the batch commits; under the store's lock. */
        CompletableFuture<T> future() {
            if (batch == null) {
                return CompletableFuture.completedFuture(result);
            }
            CompletableFuture<T> future = new CompletableFuture<>();
            batch.register(future, result);
            return future;
        }
    }
}
