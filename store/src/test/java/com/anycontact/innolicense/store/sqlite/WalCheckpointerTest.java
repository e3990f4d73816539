package com.anycontact.innolicense.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalCheckpointerTest {

    private static final int ROW_BYTES = 1_000;

    @TempDir
    Path dataDirectory;

    private SqliteDatabase database;

    @BeforeEach
    void open() {
        database = SqliteDatabase.open(dataDirectory);
        database.write(
                statements -> statements.prepare("CREATE TABLE filler (x BLOB)").execute());
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void writes_areCopiedIntoTheDatabaseFile_besideTheWriter_longBeforeTheWriterWouldCopyThem() throws Exception {
        long before = Files.size(database.file());
        int rows = 2_000; // about 500 pages: below the writer's own checkpoint at 10,000 pages (and SQLite's 1,000)
        for (int batch = 0; batch < 20; batch++) {
            database.write(statements -> {
                var insert = statements.prepare("INSERT INTO filler (x) VALUES (randomblob(?))");
                for (int i = 0; i < rows / 20; i++) {
                    insert.setInt(1, ROW_BYTES);
                    insert.executeUpdate();
                }
                return null;
            });
        }

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        // the file grows while the checkpoint copies pages; its count goes up once the PRAGMA has returned
        while ((Files.size(database.file()) < before + (long) rows * ROW_BYTES
                        || database.checkpointer().checkpoints() == 0)
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }

        assertThat(Files.size(database.file()))
                .as("the database file holds the rows while the database is open")
                .isGreaterThanOrEqualTo(before + (long) rows * ROW_BYTES);
        assertThat(database.checkpointer().checkpoints()).isPositive();
        int writerCheckpointPages = database.write(statements -> {
            try (ResultSet pages =
                    statements.prepare("PRAGMA wal_autocheckpoint").executeQuery()) {
                return pages.next() ? pages.getInt(1) : -1;
            }
        });
        assertThat(writerCheckpointPages)
                .as("the writer checkpoints only as a backstop")
                .isEqualTo(SqliteDatabase.WRITER_CHECKPOINT_PAGES);
    }

    @Test
    void idle_itRunsNoCheckpoint_untilTheNextWrite() throws Exception {
        database.write(statements ->
                statements.prepare("INSERT INTO filler (x) VALUES (1)").execute());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (database.checkpointer().checkpoints() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        long after = database.checkpointer().checkpoints();
        assertThat(after).isPositive();

        Thread.sleep(3 * SqliteDatabase.CHECKPOINT_DELAY.toMillis());
        assertThat(database.checkpointer().checkpoints())
                .as("no write, no checkpoint")
                .isEqualTo(after);

        database.write(statements ->
                statements.prepare("INSERT INTO filler (x) VALUES (2)").execute());
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (database.checkpointer().checkpoints() == after && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(database.checkpointer().checkpoints()).isEqualTo(after + 1);
    }

    @Test
    void close_stopsTheThread() {
        WalCheckpointer checkpointer = database.checkpointer();
        assertThat(checkpointer.isRunning()).isTrue();

        database.close();

        assertThat(checkpointer.isRunning()).isFalse();
    }
}
