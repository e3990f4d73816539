package com.anycontact.innolicense.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data directory and the database's files are private to their owner from the moment they are made. */
class DataFilePermissionsTest {

    @TempDir
    Path temp;

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    void open_createsTheDirectory0700_andTheDatabaseWalShmAndLockFiles0600() throws IOException {
        Path data = temp.resolve("data");

        try (SqliteDatabase database = SqliteDatabase.open(data);
                JournaledSeatStore seats = JournaledSeatStore.open(database, Instant.EPOCH, Duration.ofSeconds(60))) {
            new SqliteInstallationStore(database)
                    .installationId(() -> com.anycontact.innolicense.license.InstallationId.generate(
                            new java.security.SecureRandom()));

            assertThat(mode(data)).isEqualTo("rwx------");
            try (var files = Files.list(data)) {
                assertThat(files.map(path -> path.getFileName().toString()))
                        .contains(
                                "innolicense.db",
                                "innolicense.db-wal",
                                "innolicense.db-shm",
                                "innolicense.db-seats.lock");
            }
            try (var files = Files.list(data)) {
                for (Path file : files.toList()) {
                    assertThat(mode(file)).as(file.toString()).isEqualTo("rw-------");
                }
            }
            assertThat(database.permissionWarnings()).isEmpty();
        }
    }

    @Test
    void open_ofLooserExistingFiles_warnsNamingEachPath_andChangesNothing() throws IOException {
        Path data = Files.createDirectory(
                temp.resolve("data"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        SqliteDatabase.open(data).close();
        Path file = data.resolve(SqliteDatabase.FILE_NAME);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        try (SqliteDatabase database = SqliteDatabase.open(data)) {
            assertThat(database.permissionWarnings())
                    .hasSize(2)
                    .anySatisfy(warning -> assertThat(warning)
                            .startsWith(data.toAbsolutePath() + " is rwxr-xr-x")
                            .endsWith("chmod 700 " + data.toAbsolutePath()))
                    .anySatisfy(warning -> assertThat(warning)
                            .startsWith(file.toAbsolutePath() + " is rw-r--r--")
                            .endsWith("chmod 600 " + file.toAbsolutePath()));
        }
        assertThat(mode(data)).isEqualTo("rwxr-xr-x");
    }
}
