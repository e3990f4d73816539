package com.anycontact.innolicense.store.sqlite;

import com.anycontact.innolicense.license.InstallationId;
import com.anycontact.innolicense.license.InstallationStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The installation's identity and trusted-time mark in the embedded SQLite database: the one row of table
 * {@code installation}, created by whichever is stored first.
 *
 * <p>Both writes are single upserts in a write transaction ({@link SqliteDatabase#write}), so they are
 * atomic against every other thread and process: the installation ID is set only while none is stored
 * ({@code INSERT … ON CONFLICT DO UPDATE … WHERE installation_id IS NULL}, then read back), and the mark is
 * set to the larger of the stored and the given one. The mark is kept in epoch milliseconds, rounded up so
 * that trusted time read back after a restart is never earlier than any instant handed out before.
 */
public final class SqliteInstallationStore implements InstallationStore {

    private static final String INSTALLATION_ID = "SELECT installation_id FROM installation WHERE id = 1";

    private static final String CREATE_INSTALLATION_ID = """
            INSERT INTO installation (id, installation_id, trusted_time_mark) VALUES (1, ?, 0)
            ON CONFLICT (id) DO UPDATE SET installation_id = excluded.installation_id
            WHERE installation.installation_id IS NULL""";

    private static final String TRUSTED_TIME_MARK = "SELECT trusted_time_mark FROM installation WHERE id = 1";

    private static final String SAVE_TRUSTED_TIME_MARK = """
            INSERT INTO installation (id, installation_id, trusted_time_mark) VALUES (1, NULL, ?)
            ON CONFLICT (id) DO UPDATE SET
              trusted_time_mark = max(installation.trusted_time_mark, excluded.trusted_time_mark)""";

    private final SqliteDatabase database;

    /** A store in the given database, which the caller opens and closes. */
    public SqliteInstallationStore(SqliteDatabase database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    @Override
    public InstallationId installationId(Supplier<InstallationId> create) {
        Objects.requireNonNull(create, "create");
        return database.write(sql -> {
            String stored = storedInstallationId(sql);
            if (stored != null) {
                return new InstallationId(stored);
            }
            InstallationId created = Objects.requireNonNull(create.get(), "created installation ID");
            PreparedStatement insert = sql.prepare(CREATE_INSTALLATION_ID);
            insert.setString(1, created.value());
            insert.executeUpdate();
            return new InstallationId(storedInstallationId(sql));
        });
    }

    @Override
    public Instant trustedTimeMark() {
        return database.read(sql -> {
            try (ResultSet row = sql.prepare(TRUSTED_TIME_MARK).executeQuery()) {
                return row.next() ? Instant.ofEpochMilli(row.getLong(1)) : Instant.EPOCH;
            }
        });
    }

    @Override
    public void saveTrustedTimeMark(Instant mark) {
        Objects.requireNonNull(mark, "mark");
        long millis = SqliteDatabase.ceilingMillis(mark);
        database.write(sql -> {
            PreparedStatement upsert = sql.prepare(SAVE_TRUSTED_TIME_MARK);
            upsert.setLong(1, millis);
            upsert.executeUpdate();
            return null;
        });
    }

    private static String storedInstallationId(SqliteDatabase.Statements sql) throws SQLException {
        try (ResultSet row = sql.prepare(INSTALLATION_ID).executeQuery()) {
            return row.next() ? row.getString(1) : null;
        }
    }
}
