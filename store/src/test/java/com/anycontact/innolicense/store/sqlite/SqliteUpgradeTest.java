package com.anycontact.innolicense.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anycontact.innolicense.license.InstallationId;
import com.anycontact.innolicense.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upgrade and rollback as docs/operations.md describes them: this release (version N) writes a database, the
 * next release (N plus a test-only migration, V1000) backs it up and migrates it, this release then refuses the
 * newer database, and restoring the backup rolls back to exactly what N had written.
 */
class SqliteUpgradeTest {

    private static final List<String> NEXT_RELEASE = List.of("classpath:db/migration/sqlite-next");

    @TempDir
    Path data;

    @Test
    void upgradeBacksUp_olderReleaseRefusesTheNewerDatabase_restoringTheBackupRollsBack() throws Exception {
        InstallationId installation;
        try (SqliteDatabase thisRelease = SqliteDatabase.open(data)) {
            installation = new SqliteInstallationStore(thisRelease)
                    .installationId(() -> InstallationId.generate(new SecureRandom()));
        }
        assertThat(backups()).as("a new database is not backed up").isEmpty();

        try (SqliteDatabase nextRelease = SqliteDatabase.open(data, NEXT_RELEASE)) {
            assertThat(new SqliteInstallationStore(nextRelease).installationId(() -> null))
                    .isEqualTo(installation);
        }
        List<Path> backups = backups();
        assertThat(backups)
                .singleElement()
                .satisfies(backup ->
                        assertThat(backup.getFileName().toString()).matches("innolicense-v\\d+-before-v1000\\.db"));
        assertThat(tables(backups.get(0))).doesNotContain("next_release_note");
        assertThat(tables(data.resolve(SqliteDatabase.FILE_NAME))).contains("next_release_note");

        assertThatThrownBy(() -> SqliteDatabase.open(data))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("has schema version 1000, newer than this innolicense knows")
                .hasMessageContaining(backups.get(0).getFileName().toString());

        for (String suffix : List.of("", "-wal", "-shm")) {
            Files.deleteIfExists(data.resolve(SqliteDatabase.FILE_NAME + suffix));
        }
        Files.copy(backups.get(0), data.resolve(SqliteDatabase.FILE_NAME), StandardCopyOption.REPLACE_EXISTING);
        try (SqliteDatabase rolledBack = SqliteDatabase.open(data)) {
            assertThat(new SqliteInstallationStore(rolledBack).installationId(() -> null))
                    .isEqualTo(installation);
        }
        assertThat(tables(data.resolve(SqliteDatabase.FILE_NAME))).doesNotContain("next_release_note");
    }

    /**
     * A database that lacks a migration older than its newest (a development build before a branch with an older
     * migration number was merged): refused with a line that says what is missing, not Flyway's validation text,
     * and nothing backed up or migrated.
     */
    @Test
    void aDatabaseThatSkippedAMigration_isRefusedWithAClearMessage_andNothingChanges() throws Exception {
        SqliteDatabase.open(data).close();
        try (Connection connection =
                        DriverManager.getConnection("jdbc:sqlite:" + data.resolve(SqliteDatabase.FILE_NAME));
                Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM flyway_schema_history WHERE version = '15'");
        }

        assertThatThrownBy(() -> SqliteDatabase.open(data))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("lacks schema migration 15 (seat release) though it has later ones")
                .hasMessageContaining("cannot be upgraded in place")
                .hasMessageContaining("nothing was changed");
        assertThat(backups()).isEmpty();
    }

    @Test
    void openingAgainAtTheSameVersion_takesNoBackup() {
        SqliteDatabase.open(data).close();
        SqliteDatabase.open(data).close();

        assertThat(backups()).isEmpty();
    }

    private List<Path> backups() {
        try (Stream<Path> files = Files.list(data)) {
            return files.filter(file -> file.getFileName().toString().contains("-before-v"))
                    .toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> tables(Path file) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                ResultSet rows = connection
                        .createStatement()
                        .executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
            List<String> names = new java.util.ArrayList<>();
            while (rows.next()) {
                names.add(rows.getString(1));
            }
            return names;
        }
    }
}
