package com.anycontact.innolicense.server;

import com.anycontact.innolicense.access.LoginThrottle;
import com.anycontact.innolicense.access.Sessions;
import com.anycontact.innolicense.access.TokenStore;
import com.anycontact.innolicense.access.UserStore;
import com.anycontact.innolicense.alert.AlertStore;
import com.anycontact.innolicense.audit.AuditLog;
import com.anycontact.innolicense.cluster.Cluster;
import com.anycontact.innolicense.cluster.ClusterBus;
import com.anycontact.innolicense.cluster.DatabaseClock;
import com.anycontact.innolicense.cluster.LeaderLock;
import com.anycontact.innolicense.cluster.NodeRegistry;
import com.anycontact.innolicense.license.InstallationStore;
import com.anycontact.innolicense.license.LicenseStore;
import com.anycontact.innolicense.license.LifecycleAudit;
import com.anycontact.innolicense.seat.SeatReleaseStore;
import com.anycontact.innolicense.seat.SeatStore;
import com.anycontact.innolicense.usage.UsageStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;

/**
 * Where a server node keeps its data: one adapter of every store port, over one database. {@link #open} picks
 * the database from the configuration: the cluster database in PostgreSQL when one is named ({@code
 * --database}), else the embedded SQLite file in the data directory.
 *
 * <p>The seat store is opened last, by {@link #openSeats}, because the embedded one replays its journal at a
 * trusted instant, which is known only once the installation's trusted-time mark has been read.
 */
sealed interface Stores extends AutoCloseable permits SqliteStores, PostgresStores {

    /**
     * Opens, and migrates when needed, the database the configuration names.
     *
     * @throws com.anycontact.innolicense.store.StoreException when it cannot be opened
     */
    static Stores open(ServerConfig config) {
        return config.database().isPresent()
                ? PostgresStores.open(config.database().get())
                : SqliteStores.open(config.dataDirectory());
    }

    /** The audit log. */
    AuditLog audit();

    /**
     * Runs {@code action} each time the cluster database answers again after an outage; nothing for the embedded
     * store, which has no such outage.
     */
    default void whenDatabaseAnswersAgain(Runnable action) {}

    /**
     * Checks, and repairs, the count of seats held that claims rely on where something outside the server can
     * change it (the cluster database's tally, {@link
     * com.anycontact.innolicense.store.postgres.PostgresSeatStore#repairSeatCount}). Run by the node that reaps.
     *
     * @return what was wrong and has been repaired, for the audit log; empty when all agreed, and always for the
     *     embedded store, whose count is its own book
     */
    default Optional<String> repairSeatCount() {
        return Optional.empty();
    }

    /**
     * The license status last audited, which the lifecycle watcher records transitions from: in memory for the
     * embedded server, in the database for the cluster's, so that a new leader audits a transition once.
     *
     * @param audit the audit log the embedded server's records to (the cluster's appends in its own transaction)
     */
    LifecycleAudit lifecycleAudit(AuditLog audit);

    /** The installation ID and the trusted-time mark. */
    InstallationStore installation();

    /** The applied licenses. */
    LicenseStore licenses();

    /** The minutes of seat use. */
    UsageStore usage();

    /** The users. */
    UserStore users();

    /** The API tokens. */
    TokenStore tokens();

    /** The force-releases and blocks of agents' seats. */
    SeatReleaseStore seatReleases();

    /**
     * The browser sessions: in memory on the steady clock for the embedded server; in the database on the trusted
     * wall clock for a cluster node, so that every node knows every session and judges its timeouts alike.
     *
     * @param steady the node's steady clock, which only the monotonic clock moves
     * @param trusted the node's trusted wall clock
     */
    Sessions sessions(InstantSource steady, InstantSource trusted);

    /**
     * The login throttle: in memory on the steady clock for the embedded server; in the database on the trusted
     * wall clock for a cluster node, so that delays and the global failure budget hold across nodes.
     *
     * @param steady the node's steady clock, which only the monotonic clock moves
     * @param trusted the node's trusted wall clock
     */
    LoginThrottle loginThrottle(InstantSource steady, InstantSource trusted);

    /** The alerts: rules, subscriptions, deliveries. */
    AlertStore alerts();

    /**
     * Opens the seat store; called once, after the trusted clock is known.
     *
     * @param now the current trusted time
     * @param leaseTtl the lease TTL the server claims with
     * @param cluster this node's place in the cluster, whose clock offset to the cluster database dates the
     *     deadlines of its seat calls there
     */
    SeatStore openSeats(Instant now, Duration leaseTtl, Cluster cluster);

    /**
     * The server begins answering at {@code now}: after a crash, the embedded seat store holds every restored lease
     * at least the lease TTL past this instant rather than past its opening, so that a slow start does not eat into
     * the time the agents have to renew (docs/seat-ledger.md); the cluster database keeps every renewal, so it
     * does nothing there.
     *
     * @param now the instant on the seat ledger's clock
     */
    void seatsAnswering(Instant now);

    /**
     * The bus to the other server nodes sharing the database: {@code LISTEN/NOTIFY} on the cluster database, none
     * ({@link ClusterBus#alone()}) on the embedded one.
     *
     * @param scope what the nodes share, the installation ID: the channel is named after it
     * @param clock the trusted time
     */
    ClusterBus bus(String scope, InstantSource clock);

    /**
     * How long the seat store has been unable to write, {@link Duration#ZERO} while its writes succeed; for the
     * health checks. The embedded store retries by itself meanwhile; the cluster store reports no outage: each
     * call fails on its own while PostgreSQL is unreachable or refuses writes (a full disk), and that is the state
     * of every node of the cluster alike, so that a node taken out of a load balancer, or restarted, for it would
     * only refuse the renewals and releases that PostgreSQL still takes.
     */
    Duration seatWritesUnavailableFor();

    /**
     * The cluster's node registry, database clock and leadership lock, for a node of the cluster database; empty
     * for the embedded database, whose one node always leads.
     */
    Optional<ClusterPorts> cluster();

    /**
     * What a node of the cluster database coordinates through.
     *
     * @param registry the node registry
     * @param clock the database's clock
     * @param lock the leadership lock, on a connection of its own
     */
    record ClusterPorts(NodeRegistry registry, DatabaseClock clock, LeaderLock lock) {}

    /** Deletes old denials and archives old audit events, as the retention settings say. */
    Retention retention();

    /** What the operator should be warned of at startup, e.g. data files that other local users can read. */
    List<String> warnings();

    /** Where the data is, for the startup line: {@code data /var/lib/innolicense} or {@code database postgresql://…}. */
    String location();

    /** Closes the seat store and the database; work in progress completes first. */
    @Override
    void close();

    /** The retention of denials and audit events. */
    interface Retention {

        /**
         * Deletes the denials recorded before {@code before}.
         *
         * @return how many were deleted
         */
        long purgeDenials(Instant before);

        /**
         * Archives the audit events before {@code before} to a file in {@code archiveDirectory} and removes them.
         *
         * @return the archive written, or empty when there was nothing to archive
         */
        Optional<Path> archiveAudit(Instant before, Path archiveDirectory);
    }
}
