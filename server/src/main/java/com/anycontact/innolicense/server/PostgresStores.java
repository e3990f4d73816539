package com.anycontact.innolicense.server;

import com.anycontact.innolicense.access.LoginThrottle;
import com.anycontact.innolicense.access.Sessions;
import com.anycontact.innolicense.access.TokenStore;
import com.anycontact.innolicense.access.UserStore;
import com.anycontact.innolicense.alert.AlertStore;
import com.anycontact.innolicense.audit.AuditLog;
import com.anycontact.innolicense.cluster.Cluster;
import com.anycontact.innolicense.cluster.ClusterBus;
import com.anycontact.innolicense.license.InstallationStore;
import com.anycontact.innolicense.license.LicenseStore;
import com.anycontact.innolicense.license.LifecycleAudit;
import com.anycontact.innolicense.seat.SeatReleaseStore;
import com.anycontact.innolicense.seat.SeatStore;
import com.anycontact.innolicense.store.postgres.PostgresAlertStore;
import com.anycontact.innolicense.store.postgres.PostgresAuditLog;
import com.anycontact.innolicense.store.postgres.PostgresClusterBus;
import com.anycontact.innolicense.store.postgres.PostgresDatabase;
import com.anycontact.innolicense.store.postgres.PostgresInstallationStore;
import com.anycontact.innolicense.store.postgres.PostgresLeaderLock;
import com.anycontact.innolicense.store.postgres.PostgresLicenseStore;
import com.anycontact.innolicense.store.postgres.PostgresLifecycleAudit;
import com.anycontact.innolicense.store.postgres.PostgresLoginThrottleStore;
import com.anycontact.innolicense.store.postgres.PostgresNodeRegistry;
import com.anycontact.innolicense.store.postgres.PostgresRetention;
import com.anycontact.innolicense.store.postgres.PostgresSeatReleaseStore;
import com.anycontact.innolicense.store.postgres.PostgresSeatStore;
import com.anycontact.innolicense.store.postgres.PostgresSessionStore;
import com.anycontact.innolicense.store.postgres.PostgresTokenStore;
import com.anycontact.innolicense.store.postgres.PostgresUrl;
import com.anycontact.innolicense.store.postgres.PostgresUsageStore;
import com.anycontact.innolicense.store.postgres.PostgresUserStore;
import com.anycontact.innolicense.store.postgres.SeatCallDeadline;
import com.anycontact.innolicense.usage.UsageStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;

/**
 * The cluster stores: everything in one PostgreSQL database that every node of the installation shares, seats
 * included (each claim a transaction in the database, which is the arbiter of the cap across nodes).
 */
final class PostgresStores implements Stores {

    /**
     * How long after it reached this node a seat call may still take effect in the cluster database, on the
     * database's clock (migration V19): a call held up longer, by a partition or a paused node, is refused and
     * changes nothing, so that it cannot undo what the agent did since through another node. Well below the
     * SDK's request timeout (10 s), after which the SDK tries the next node, and above any wait of a sound
     * database. The call's instant is put on the database's clock with the least offset the node's latest clock
     * reading allows ({@link com.anycontact.innolicense.cluster.Cluster#clockOffsetAtLeast}), so that a reading
     * made over a slow round trip never brings the deadline forward; it may put it back by that round trip, at
     * most the clock bound's 2 s by default, still well below the SDK's timeout.
     */
    static final Duration SEAT_CALL_DEADLINE = Duration.ofSeconds(2);

    private final PostgresDatabase database;
    private PostgresSeatStore seats;

    private PostgresStores(PostgresDatabase database) {
        this.database = database;
    }

    /** Connects to the database and migrates it when needed. */
    static PostgresStores open(PostgresUrl url) {
        return new PostgresStores(PostgresDatabase.open(url));
    }

    @Override
    public AuditLog audit() {
        return new PostgresAuditLog(database);
    }

    @Override
    public LifecycleAudit lifecycleAudit(AuditLog audit) {
        return new PostgresLifecycleAudit(database);
    }

    @Override
    public InstallationStore installation() {
        return new PostgresInstallationStore(database);
    }

    @Override
    public LicenseStore licenses() {
        return new PostgresLicenseStore(database);
    }

    @Override
    public UsageStore usage() {
        return new PostgresUsageStore(database);
    }

    @Override
    public UserStore users() {
        return new PostgresUserStore(database);
    }

    @Override
    public SeatReleaseStore seatReleases() {
        return new PostgresSeatReleaseStore(database);
    }

    @Override
    public TokenStore tokens() {
        return new PostgresTokenStore(database);
    }

    /**
     * In the database, shared by every node, on the trusted wall clock (nodes must agree on time); a use is
     * written at most once a minute per session ({@link Sessions#SHARED_TOUCH_EVERY}).
     */
    @Override
    public Sessions sessions(InstantSource steady, InstantSource trusted) {
        return Sessions.shared(new PostgresSessionStore(database), trusted);
    }

    /** In the database, shared by every node, on the trusted wall clock. */
    @Override
    public LoginThrottle loginThrottle(InstantSource steady, InstantSource trusted) {
        return new LoginThrottle(new PostgresLoginThrottleStore(database), trusted);
    }

    @Override
    public AlertStore alerts() {
        return new PostgresAlertStore(database);
    }

    @Override
    public SeatStore openSeats(Instant now, Duration leaseTtl, Cluster cluster) {
        seats = new PostgresSeatStore(
                database, SeatCallDeadline.within(SEAT_CALL_DEADLINE, cluster::clockOffsetAtLeast));
        return seats;
    }

    @Override
    public void whenDatabaseAnswersAgain(Runnable action) {
        database.whenAnsweringAgain(action);
    }

    @Override
    public Optional<String> repairSeatCount() {
        return seats == null ? Optional.empty() : seats.repairSeatCount();
    }

    @Override
    public void seatsAnswering(Instant now) {
        // every renewal is written to the cluster database: there is no restart grace to rebase
    }

    @Override
    public ClusterBus bus(String scope, InstantSource clock) {
        return new PostgresClusterBus(database, scope, clock);
    }

    @Override
    public Duration seatWritesUnavailableFor() {
        return Duration.ZERO;
    }

    /** The node registry, the database's clock and a leadership lock on a connection of its own. */
    @Override
    public Optional<ClusterPorts> cluster() {
        PostgresNodeRegistry registry = new PostgresNodeRegistry(database);
        return Optional.of(new ClusterPorts(registry, registry, new PostgresLeaderLock(database)));
    }

    /** Retention in the cluster database; the server runs it on the leader only (docs/cluster.md). */
    @Override
    public Retention retention() {
        PostgresRetention retention = new PostgresRetention(database);
        return new Retention() {
            @Override
            public long purgeDenials(Instant before) {
                return retention.purgeDenials(before);
            }

            @Override
            public Optional<Path> archiveAudit(Instant before, Path archiveDirectory) {
                return retention.archiveAudit(before, archiveDirectory);
            }
        };
    }

    @Override
    public List<String> warnings() {
        return List.of();
    }

    @Override
    public String location() {
        return "database " + database.url();
    }

    @Override
    public void close() {
        database.close();
    }
}
