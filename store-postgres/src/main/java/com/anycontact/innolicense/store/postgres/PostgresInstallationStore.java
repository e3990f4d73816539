package com.anycontact.innolicense.store.postgres;

import com.anycontact.innolicense.license.InstallationId;
import com.anycontact.innolicense.license.InstallationStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The installation's identity and trusted-time mark in the cluster database: the one row of table {@code
 * installation}, shared by every node.
 *
 * <p>The installation ID is created once for the whole cluster: an upsert that sets it only while none is
 * stored ({@code ON CONFLICT ... DO UPDATE ... WHERE installation_id IS NULL}), then read back in the same
 * transaction. Two nodes starting together both insert; PostgreSQL makes the second wait for the first on the
 * primary key and then finds the ID set, so both read the first one's ID. A trigger refuses any change of a
 * stored ID. The mark is set to the larger of the stored and the given one ({@code greatest}), in milliseconds
 * rounded up, so it never moves back whichever node saves it.
 */
public final class PostgresInstallationStore implements InstallationStore {

    private static final String INSTALLATION_ID = "SELECT installation_id FROM installation WHERE id = 1";

    private static final String CREATE_INSTALLATION_ID = """
            INSERT INTO installation (id, installation_id, trusted_time_mark) VALUES (1, ?, 0)
            ON CONFLICT (id) DO UPDATE SET installation_id = excluded.installation_id
            WHERE installation.installation_id IS NULL""";

    private static final String TRUSTED_TIME_MARK = "SELECT trusted_time_mark FROM installation WHERE id = 1";

    private static final String SAVE_TRUSTED_TIME_MARK = """
            INSERT INTO installation (id, installation_id, trusted_time_mark) VALUES (1, NULL, ?)
            ON CONFLICT (id) DO UPDATE SET
              trusted_time_mark = greatest(installation.trusted_time_mark, excluded.trusted_time_mark)""";

    private final PostgresDatabase database;

    /** A store in the given database, which the caller opens and closes. */
    public PostgresInstallationStore(PostgresDatabase database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    @Override
    public InstallationId installationId(Supplier<InstallationId> create) {
        Objects.requireNonNull(create, "create");
        String stored = database.autoCommit(PostgresInstallationStore::storedInstallationId);
        if (stored != null) {
            return new InstallationId(stored);
        }
        InstallationId created = Objects.requireNonNull(create.get(), "created installation ID");
        return database.transaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(CREATE_INSTALLATION_ID)) {
                insert.setString(1, created.value());
                insert.executeUpdate();
            }
            return new InstallationId(storedInstallationId(connection));
        });
    }

    @Override
    public Instant trustedTimeMark() {
        return database.autoCommit(connection -> {
            try (PreparedStatement select = connection.prepareStatement(TRUSTED_TIME_MARK);
                    ResultSet row = select.executeQuery()) {
                return row.next() ? Instant.ofEpochMilli(row.getLong(1)) : Instant.EPOCH;
            }
        });
    }

    @Override
    public void saveTrustedTimeMark(Instant mark) {
        Objects.requireNonNull(mark, "mark");
        long millis = PostgresDatabase.ceilingMillis(mark);
        database.autoCommit(connection -> {
            try (PreparedStatement upsert = connection.prepareStatement(SAVE_TRUSTED_TIME_MARK)) {
                upsert.setLong(1, millis);
                return upsert.executeUpdate();
            }
        });
    }

    private static String storedInstallationId(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(INSTALLATION_ID);
                ResultSet row = select.executeQuery()) {
            return row.next() ? row.getString(1) : null;
        }
    }
}
