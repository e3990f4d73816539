package com.anycontact.innolicense.store.postgres;

import com.anycontact.innolicense.store.DatabaseUnreachableException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices that the cluster database cannot be reached and refuses calls at once while it cannot, instead of
 * letting each call wait for a connection that will not come; notices within {@link #PROBE_INTERVAL} when it
 * answers again, without a restart of the node.
 *
 * <p>Closed (the database answers): calls go through. The first call that fails because the database cannot be
 * reached — a refused or broken connection, PostgreSQL shutting down or starting ({@link
 * #isConnectionFailure}) — opens the circuit. Open: every call is refused with {@link
 * DatabaseUnreachableException} without touching the pool, and one thread of the circuit's own tries a new
 * connection every {@link #PROBE_INTERVAL}; the first that succeeds closes it. When it opens, the circuit tells
 * its owner ({@code opened}), which lets go of the pooled connections: they were made to a server that has gone
 * away or is going, and one kept would fail, or wait for its socket timeout, on its first call after the
 * database is back (after a failover to a standby, the old primary's connections may never answer at all).
 * One warning is logged when the
 * circuit opens and one line when it closes (with how long it was open and how many calls it refused), not one
 * per call.
 *
 * <p>Thread-safe: the state is one volatile reference, changed under the circuit's lock.
 */
final class DatabaseCircuit implements AutoCloseable {

    /** How often an open circuit tries the database. */
    static final Duration PROBE_INTERVAL = Duration.ofMillis(500);

    /** What refused calls are told to wait before trying again. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    /** How often at most a warning says that calls found every connection busy. */
    static final Duration BUSY_WARNING_EVERY = Duration.ofMinutes(1);

    private static final long NEVER = Long.MIN_VALUE;

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseCircuit.class);

    /**
     * PostgreSQL's SQLSTATEs of a server that cannot be used right now: class 08 (connection exception) and
     * 57P01 to 57P03 (admin shutdown, crash shutdown, cannot connect now: starting up or shutting down).
     */
    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03");

    /** PostgreSQL's SQLSTATE of a statement cancelled by {@code statement_timeout} (or a cancel request). */
    private static final String STATEMENT_TIMEOUT_STATE = "57014";

    /** Tries a new connection to the database; throws when it cannot be made. */
    @FunctionalInterface
    interface Probe {
        void connect() throws SQLException;
    }

    /** An outage: since when (monotonic nanoseconds), why, and how many calls were refused. */
    private record Outage(long since, String cause, AtomicLong refused) {}

    private final PostgresUrl url;
    private final Probe probe;
    private final LongSupplier nanoTime;
    private final Runnable opened;
    private final Runnable closed;
    private final ScheduledExecutorService prober;
    private volatile Outage outage;
    private final AtomicLong lastBusyWarning = new AtomicLong(NEVER);

    /**
     * @param opened run each time the circuit opens, on the thread whose failed call opened it, after the circuit
     *     refuses calls; a failure of it is logged, not thrown
     * @param closed run each time the circuit closes, on the probe's thread, after calls go through again; a
     *     failure of it is logged, not thrown
     */
    DatabaseCircuit(PostgresUrl url, Probe probe, LongSupplier nanoTime, Runnable opened, Runnable closed) {
        this.url = url;
        this.probe = probe;
        this.nanoTime = nanoTime;
        this.opened = opened;
        this.closed = closed;
        this.prober = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "innolicense-database-probe");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Lets a call through, or refuses it at once while the database cannot be reached.
     *
     * @throws DatabaseUnreachableException while the circuit is open
     */
    void check() {
        Outage current = outage;
        if (current != null) {
            current.refused().incrementAndGet();
            throw unreachable(current);
        }
    }

    /** Whether calls go through: the database answered the latest call or probe. */
    boolean isClosed() {
        return outage == null;
    }

    /**
     * What a call that failed with {@code failure} throws: {@link DatabaseUnreachableException}, opening the
     * circuit, when the database could not be reached; {@link DatabaseUnreachableException} without opening it
     * when the database cancelled the statement for running longer than {@code statement_timeout}, or when the call
     * found every pooled connection busy for as long as it may wait (a server that answers, but too slowly now: the
     * caller may try again, here or on another node); {@code otherwise} for any other failure.
     */
    RuntimeException failed(SQLException failure, RuntimeException otherwise) {
        if (isStatementTimeout(failure)) {
            LOG.warn("the database {} cancelled a statement that ran beyond its statement timeout", url);
            return new DatabaseUnreachableException(
                    "the database " + url + " did not finish a statement in time: " + rootMessage(failure),
                    RETRY_AFTER);
        }
        if (isEveryConnectionBusy(failure)) {
            warnBusyNowAndThen();
            return new DatabaseUnreachableException(
                    "the database " + url + " answers too slowly: every connection this node has to it stayed busy"
                            + " while the call waited (" + rootMessage(failure) + ")",
                    RETRY_AFTER);
        }
        if (!isConnectionFailure(failure)) {
            return otherwise;
        }
        return unreachable(open(rootMessage(failure)));
    }

    /**
     * Whether the call found every pooled connection busy for as long as it may wait for one (HikariCP's timeout
     * without a failure to connect behind it): a database that answers, but too slowly for the calls that come.
     */
    static boolean isEveryConnectionBusy(SQLException failure) {
        return failure instanceof SQLTransientConnectionException && !isConnectionFailure(failure);
    }

    /** At most one warning per {@link #BUSY_WARNING_EVERY} about calls refused because every connection was busy. */
    private void warnBusyNowAndThen() {
        long now = nanoTime.getAsLong();
        long last = lastBusyWarning.get();
        if ((last == NEVER || now - last >= BUSY_WARNING_EVERY.toNanos()) && lastBusyWarning.compareAndSet(last, now)) {
            LOG.warn(
                    "the database {} answers too slowly: calls found every connection of this node to it busy and"
                            + " were answered 503 database-unavailable (logged at most once a minute)",
                    url);
        }
    }

    /** Whether PostgreSQL cancelled the statement for its {@code statement_timeout} (SQLSTATE 57014). */
    static boolean isStatementTimeout(SQLException failure) {
        return STATEMENT_TIMEOUT_STATE.equals(failure.getSQLState());
    }

    /**
     * Whether the failure says the database cannot be reached or cannot serve right now (rather than that the
     * statement was wrong): a SQLSTATE of class 08, 57P01, 57P02 or 57P03 anywhere in its causes or its chain of
     * next exceptions. A pool timeout without such a cause (every connection busy) is not one.
     */
    static boolean isConnectionFailure(Throwable failure) {
        return SqlStates.find(failure, state -> state.startsWith("08") || UNAVAILABLE_STATES.contains(state))
                .isPresent();
    }

    private Outage open(String cause) {
        Outage started;
        synchronized (this) {
            Outage current = outage;
            if (current != null) {
                return current;
            }
            started = new Outage(nanoTime.getAsLong(), cause, new AtomicLong());
            outage = started;
            LOG.warn(
                    "the database {} cannot be reached ({}): calls that need it are answered 503 database-unavailable"
                            + " at once until it answers again; trying it every {} ms",
                    url,
                    cause,
                    PROBE_INTERVAL.toMillis());
            scheduleProbe();
        }
        try {
            opened.run();
        } catch (RuntimeException e) {
            LOG.warn("after the database {} became unreachable: {}", url, e.toString());
        }
        return started;
    }

    private void scheduleProbe() {
        try {
            prober.schedule(this::tryDatabase, PROBE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closing: no more probes
        }
    }

    private void tryDatabase() {
        try {
            probe.connect();
        } catch (SQLException | RuntimeException e) {
            scheduleProbe();
            return;
        }
        synchronized (this) {
            Outage ended = outage;
            if (ended == null) {
                return;
            }
            outage = null;
            LOG.info(
                    "the database {} answers again, after {} ms unreachable; {} calls were refused meanwhile",
                    url,
                    TimeUnit.NANOSECONDS.toMillis(nanoTime.getAsLong() - ended.since()),
                    ended.refused().get());
        }
        try {
            closed.run();
        } catch (RuntimeException e) {
            LOG.warn("after the database {} answered again: {}", url, e.toString());
        }
    }

    private DatabaseUnreachableException unreachable(Outage current) {
        return new DatabaseUnreachableException(
                "the database " + url + " cannot be reached: " + current.cause(), RETRY_AFTER);
    }

    /** The message of {@code e}'s innermost cause, which says what the database said; its class without one. */
    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.toString();
    }

    /** Stops probing. */
    @Override
    public void close() {
        prober.shutdownNow();
    }
}
