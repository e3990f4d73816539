package com.anycontact.innolicense.server;

import com.anycontact.innolicense.access.InMemoryLoginThrottleStore;
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
import com.anycontact.innolicense.store.sqlite.JournaledSeatStore;
import com.anycontact.innolicense.store.sqlite.SeatStoreLock;
import com.anycontact.innolicense.store.sqlite.SqliteAlertStore;
import com.anycontact.innolicense.store.sqlite.SqliteAuditLog;
import com.anycontact.innolicense.store.sqlite.SqliteDatabase;
import com.anycontact.innolicense.store.sqlite.SqliteInstallationStore;
import com.anycontact.innolicense.store.sqlite.SqliteLicenseStore;
import com.anycontact.innolicense.store.sqlite.SqliteRetention;
import com.anycontact.innolicense.store.sqlite.SqliteSeatReleaseStore;
import com.anycontact.innolicense.store.sqlite.SqliteTokenStore;
import com.anycontact.innolicense.store.sqlite.SqliteUsageStore;
import com.anycontact.innolicense.store.sqlite.SqliteUserStore;
import com.anycontact.innolicense.usage.UsageStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;

/** The embedded stores: one SQLite file in the data directory, seats in the {@link JournaledSeatStore}. */
final class SqliteStores implements Stores {

    private final SqliteDatabase database;
    private final SqliteAuditLog audit;
    private final SqliteInstallationStore installation;
    private final SeatStoreLock directoryLock;
    private JournaledSeatStore seats;

    private SqliteStores(SeatStoreLock directoryLock, SqliteDatabase database) {
        this.directoryLock = directoryLock;
        this.database = database;
        this.audit = new SqliteAuditLog(database);
        this.installation = new SqliteInstallationStore(database);
    }

    /**
     * Locks the data directory for this process, then opens, and migrates when needed, the database file in it. The
     * lock is held until {@link #close}: no other server, nor {@code admin migrate} or {@code admin recover}, works
     * on the directory meanwhile. The mark of a moved installation is read once the lock is held, so that a server
     * starting while {@code admin migrate} copies the installation either finds the directory locked or, once the
     * copy is done, marked; never neither.
     *
     * @throws StartupRefused when the installation there was moved into a cluster database ({@link MovedToCluster})
     * @throws com.anycontact.innolicense.store.StoreException when another process holds the directory, or the
     *     database cannot be opened
     */
    static SqliteStores open(Path dataDirectory) {
        SeatStoreLock directoryLock = SeatStoreLock.acquire(dataDirectory);
        try {
            MovedToCluster.reason(dataDirectory).ifPresent(reason -> {
                throw new StartupRefused(reason);
            });
            return new SqliteStores(directoryLock, SqliteDatabase.open(dataDirectory));
        } catch (RuntimeException e) {
            directoryLock.close();
            throw e;
        }
    }

    @Override
    public AuditLog audit() {
        return audit;
    }

    @Override
    public LifecycleAudit lifecycleAudit(AuditLog audit) {
        return LifecycleAudit.inMemory(audit);
    }

    @Override
    public InstallationStore installation() {
        return installation;
    }

    @Override
    public LicenseStore licenses() {
        return new SqliteLicenseStore(database);
    }

    @Override
    public UsageStore usage() {
        return new SqliteUsageStore(database);
    }

    @Override
    public UserStore users() {
        return new SqliteUserStore(database);
    }

    @Override
    public SeatReleaseStore seatReleases() {
        return new SqliteSeatReleaseStore(database);
    }

    @Override
    public TokenStore tokens() {
        return new SqliteTokenStore(database);
    }

    /** In memory, on the steady clock: a restart logs everyone out. */
    @Override
    public Sessions sessions(InstantSource steady, InstantSource trusted) {
        return new Sessions(steady);
    }

    /** In memory, on the steady clock: a restart forgets the counters. */
    @Override
    public LoginThrottle loginThrottle(InstantSource steady, InstantSource trusted) {
        return new LoginThrottle(new InMemoryLoginThrottleStore(), steady);
    }

    @Override
    public AlertStore alerts() {
        return new SqliteAlertStore(database);
    }

    @Override
    public SeatStore openSeats(Instant now, Duration leaseTtl, Cluster cluster) {
        if (seats != null) {
            throw new IllegalStateException("the seat store is open already");
        }
        seats = JournaledSeatStore.open(database, now, leaseTtl, directoryLock);
        return seats;
    }

    @Override
    public void seatsAnswering(Instant now) {
        if (seats != null) {
            seats.beginAnswering(now);
        }
    }

    @Override
    public ClusterBus bus(String scope, InstantSource clock) {
        return ClusterBus.alone();
    }

    @Override
    public Duration seatWritesUnavailableFor() {
        return seats == null ? Duration.ZERO : seats.unavailableFor();
    }

    @Override
    public Optional<ClusterPorts> cluster() {
        return Optional.empty();
    }

    @Override
    public Retention retention() {
        SqliteRetention retention = new SqliteRetention(database);
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
        return database.permissionWarnings();
    }

    @Override
    public String location() {
        return "data " + database.file().getParent().normalize();
    }

    @Override
    public void close() {
        try {
            if (seats != null) {
                seats.close();
            }
        } finally {
            try {
                audit.close();
            } finally {
                try {
                    database.close();
                } finally {
                    directoryLock.close();
                }
            }
        }
    }
}
