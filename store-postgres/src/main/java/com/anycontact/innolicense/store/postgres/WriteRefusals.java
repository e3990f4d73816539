package com.anycontact.innolicense.store.postgres;

import com.anycontact.innolicense.store.StoreUnavailableException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a cluster database that answers but cannot take a write right now — its disk is full, it is out of memory
 * or connections, it was made read-only (as managed PostgreSQL services do when their storage fills), it failed to
 * write a file — from a statement that is wrong, and says so once: a warning when such refusals begin and a line
 * when writes are taken again, not a stack trace per call.
 *
 * <p>What a refused call gets: {@link StoreUnavailableException} (the HTTP API answers 503 {@code
 * store-unavailable} with {@code Retry-After}); PostgreSQL rolled its transaction back, so nothing of it happened.
 * Unlike an unreachable database ({@link DatabaseCircuit}) calls are not refused in advance: a full disk refuses
 * only the writes that need more room (a new lease row, an index page), and a release or a renewal that needs none
 * still goes through, so every call is tried.
 *
 * <p>When refusals end: at the first successful write ({@link #wrote}) once {@link #QUIET} has passed without a
 * refusal, so that a disk that refuses new rows while it still takes updates of old ones does not make the log
 * say "ended" and "began" by turns for every call.
 *
 * <p>Thread-safe: the state is one volatile reference, changed under this object's lock.
 */
final class WriteRefusals {

    /** What refused calls are told to wait before trying again. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    /** How long writes must go through without a refusal before the refusals count as ended. */
    static final Duration QUIET = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(WriteRefusals.class);

    /**
     * PostgreSQL's SQLSTATEs of a server that cannot write now, though the statement was right: class 53
     * (insufficient resources: 53100 disk full, 53200 out of memory, 53300 too many connections, 53400 a
     * configured limit such as {@code temp_file_limit}), 58030 (an I/O error writing a file) and 25006 (a
     * read-only transaction: {@code default_transaction_read_only}, or a standby).
     */
    private static final Set<String> REFUSING_STATES = Set.of("58030", "25006");

    /** PostgreSQL's SQLSTATE of a full disk. */
    static final String DISK_FULL = "53100";

    /**
     * Refusals since when (monotonic nanoseconds), the latest when, its SQLSTATE, why, and how many calls were
     * refused.
     */
    private record Refusals(long since, long latest, String state, String cause, long refused) {}

    private final PostgresUrl url;
    private final LongSupplier nanoTime;
    private volatile Refusals refusals;

    WriteRefusals(PostgresUrl url, LongSupplier nanoTime) {
        this.url = url;
        this.nanoTime = nanoTime;
    }

    /**
     * The refusal's SQLSTATE when {@code failure} says that the database cannot take the write now (anywhere in
     * its causes or its chain of next exceptions), empty otherwise.
     */
    static Optional<String> refusingState(Throwable failure) {
        return SqlStates.find(failure, state -> state.startsWith("53") || REFUSING_STATES.contains(state));
    }

    /**
     * Counts a call the database refused for {@code failure} (a {@link #refusingState refusal}), logging a
     * warning when it is the first since writes were last taken; answers what the call throws.
     */
    StoreUnavailableException refused(SQLException failure, String state) {
        String cause = DatabaseCircuit.rootMessage(failure) + " (SQLSTATE " + state + ")";
        long now = nanoTime.getAsLong();
        synchronized (this) {
            Refusals current = refusals;
            if (current == null) {
                LOG.warn(
                        "the database {} refuses writes: {}. Claims, releases and renewals that it refuses are"
                                + " answered 503 store-unavailable, and nothing of them happens, until it takes"
                                + " them again; {}",
                        url,
                        cause,
                        advice(state));
                refusals = new Refusals(now, now, state, cause, 1);
            } else {
                refusals = new Refusals(current.since(), now, state, cause, current.refused() + 1);
            }
        }
        return new StoreUnavailableException(
                "the cluster database cannot take writes right now (" + cause + "); nothing was changed, try again",
                RETRY_AFTER);
    }

    /**
     * Notes a write the database took: once {@link #QUIET} has passed since the latest refusal, the refusals have
     * ended, and a line says so. Costs one volatile read while nothing is refused.
     */
    void wrote() {
        if (refusals == null) {
            return;
        }
        long now = nanoTime.getAsLong();
        synchronized (this) {
            Refusals ended = refusals;
            if (ended == null || now - ended.latest() < QUIET.toNanos()) {
                return;
            }
            refusals = null;
            LOG.info(
                    "the database {} takes writes again; it refused them for {} ms ({} calls refused, the last for:"
                            + " {})",
                    url,
                    TimeUnit.NANOSECONDS.toMillis(ended.latest() - ended.since()),
                    ended.refused(),
                    ended.cause());
        }
    }

    /** Whether the database refused a write since it last took one (as {@link #wrote} counts it). */
    boolean refusing() {
        return refusals != null;
    }

    /**
     * Whether the latest write the database refused was refused for want of room (its disk full, {@value
     * #DISK_FULL}), since it last took one: then it still takes the writes that need none.
     */
    boolean refusingForWantOfRoom() {
        Refusals current = refusals;
        return current != null && current.state().equals(DISK_FULL);
    }

    private static String advice(String state) {
        return switch (state) {
            case "53100" -> "free space on the database server's disk (its data directory or tablespace)";
            case "53200" -> "the database server is out of memory";
            case "53300" ->
                "the database server has no connection to spare: raise its max_connections or lower"
                        + " the nodes' pool size";
            case "25006" ->
                "the database is read-only: check default_transaction_read_only (a managed service sets"
                        + " it when its storage is full) and that the URL names the primary";
            default -> "see the database server's log";
        };
    }
}
