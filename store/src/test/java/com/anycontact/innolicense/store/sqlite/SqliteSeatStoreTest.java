package com.anycontact.innolicense.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anycontact.innolicense.seat.Lease;
import com.anycontact.innolicense.seat.SeatStore;
import com.anycontact.innolicense.store.SeatStoreContract;
import com.anycontact.innolicense.store.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seat store contract on a real SQLite file with the real migrations, plus SQLite specifics. */
class SqliteSeatStoreTest extends SeatStoreContract {

    @TempDir
    Path dataDirectory;

    private SqliteDatabase database;

    @Override
    protected SeatStore createStore() {
        database = SqliteDatabase.open(dataDirectory);
        return new SqliteSeatStore(database);
    }

    @Override
    protected SeatStore reopenStore() {
        database.close();
        return createStore();
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }

    @Test
    void open_createsAMigratedDatabaseFileInWalMode() throws Exception {
        Path file = dataDirectory.resolve(SqliteDatabase.FILE_NAME).toAbsolutePath();
        assertThat(database.file()).isEqualTo(file);

        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement()) {
            assertThat(text(statement, "PRAGMA journal_mode")).isEqualTo("wal");
            assertThat(text(statement, "SELECT max(CAST(version AS INTEGER)) FROM flyway_schema_history WHERE success"))
                    .isEqualTo(latestMigrationVersion());
            assertThat(text(statement, "SELECT count(*) FROM flyway_schema_history WHERE NOT success"))
                    .isEqualTo("0");
        }
    }

    @Test
    void open_onAnExistingFile_keepsItsData() {
        store.claim(request("alice"), 1, T0, TTL);
        database.close();

        database = SqliteDatabase.open(dataDirectory);

        assertThat(new SqliteSeatStore(database).inUse(T0)).isEqualTo(1);
    }

    @Test
    void claim_withSubMillisecondInstant_keepsWholeMilliseconds() {
        Instant now = T0.plusNanos(1_234_567);

        Lease lease = assertClaimed(store.claim(request("alice"), 1, now, TTL));

        assertThat(lease.claimedAt()).isEqualTo(T0.plusMillis(1));
        assertThat(lease.expiresAt()).isEqualTo(T0.plusMillis(1).plus(TTL));
        assertThat(store.leases(now)).containsExactly(lease);
    }

    @Test
    void store_whenDatabaseClosed_failsWithStoreException() {
        database.close();

        assertThatThrownBy(() -> store.claim(request("alice"), 1, T0, TTL)).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.inUse(T0)).isInstanceOf(StoreException.class);
    }

    /** The highest version among the migration files, {@code V<version>__<name>.sql}. */
    private static String latestMigrationVersion() throws Exception {
        Path folder =
                Path.of(SqliteDatabase.class.getResource("/db/migration/sqlite").toURI());
        try (Stream<Path> files = Files.list(folder)) {
            return Integer.toString(files.map(file -> file.getFileName().toString())
                    .filter(name -> name.matches("V[0-9]+__.*\\.sql"))
                    .mapToInt(name -> Integer.parseInt(name.substring(1, name.indexOf("__"))))
                    .max()
                    .orElseThrow());
        }
    }

    private static String text(Statement statement, String sql) throws SQLException {
        try (ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }
}
