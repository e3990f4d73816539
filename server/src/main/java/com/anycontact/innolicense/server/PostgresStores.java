package com.anycontact.innolicense.server;

import com.anycontact.innolicense.access.TokenStore;
import com.anycontact.innolicense.access.UserStore;
import com.anycontact.innolicense.alert.AlertStore;
import com.anycontact.innolicense.audit.AuditLog;
import com.anycontact.innolicense.license.InstallationStore;
import com.anycontact.innolicense.license.LicenseStore;
import com.anycontact.innolicense.seat.SeatStore;
import com.anycontact.innolicense.store.postgres.PostgresAlertStore;
import com.anycontact.innolicense.store.postgres.PostgresAuditLog;
import com.anycontact.innolicense.store.postgres.PostgresDatabase;
import com.anycontact.innolicense.store.postgres.PostgresInstallationStore;
import com.anycontact.innolicense.store.postgres.PostgresLicenseStore;
import com.anycontact.innolicense.store.postgres.PostgresSeatStore;
import com.anycontact.innolicense.store.postgres.PostgresTokenStore;
import com.anycontact.innolicense.store.postgres.PostgresUrl;
import com.anycontact.innolicense.store.postgres.PostgresUsageStore;
import com.anycontact.innolicense.store.postgres.PostgresUserStore;
import com.anycontact.innolicense.usage.UsageStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The cluster stores: everything in one PostgreSQL database that every node of the installation shares, seats
 * included (each claim a transaction in the database, which is the arbiter of the cap across nodes).
 */
final class PostgresStores implements Stores {

    private final PostgresDatabase database;

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
    public TokenStore tokens() {
        return new PostgresTokenStore(database);
    }

    @Override
    public AlertStore alerts() {
        return new PostgresAlertStore(database);
    }

    @Override
    public SeatStore openSeats(Instant now, Duration leaseTtl) {
        return new PostgresSeatStore(database);
    }

    @Override
    public Duration seatWritesUnavailableFor() {
        return Duration.ZERO;
    }

    /**
     * Retention is not built for the cluster database yet (it is singleton work, which comes with leadership:
     * docs/cluster.md): nothing is deleted or archived.
     */
    @Override
    public Retention retention() {
        return new Retention() {
            @Override
            public long purgeDenials(Instant before) {
                return 0;
            }

            @Override
            public Optional<Path> archiveAudit(Instant before, Path archiveDirectory) {
                return Optional.empty();
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
