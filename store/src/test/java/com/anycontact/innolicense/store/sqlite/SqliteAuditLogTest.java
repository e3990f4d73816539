package com.anycontact.innolicense.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anycontact.innolicense.audit.AuditChain;
import com.anycontact.innolicense.audit.AuditChainReport;
import com.anycontact.innolicense.audit.AuditEvent.Type;
import com.anycontact.innolicense.audit.AuditLog;
import com.anycontact.innolicense.audit.AuditQuery;
import com.anycontact.innolicense.store.AuditLogContract;
import com.anycontact.innolicense.store.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit log contract on a real SQLite file with the real migrations, plus SQLite specifics. */
class SqliteAuditLogTest extends AuditLogContract {

    @TempDir
    Path dataDirectory;

    private SqliteDatabase database;

    @Override
    protected AuditLog createLog() {
        database = SqliteDatabase.open(dataDirectory);
        return new SqliteAuditLog(database);
    }

    @Override
    protected AuditLog reopenLog() {
        database.close();
        return createLog();
    }

    @Override
    protected void editByHand(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database.file());
                Statement statement = connection.createStatement()) {
            statement.execute("DROP TRIGGER IF EXISTS audit_event_not_updated");
            statement.execute("DROP TRIGGER IF EXISTS audit_event_not_deleted");
            statement.execute(sql);
        }
    }

    @Test
    void migration_chainsTheEventsRecordedBeforeIt(@TempDir Path older) throws SQLException {
        String url = "jdbc:sqlite:" + older.resolve(SqliteDatabase.FILE_NAME);
        org.flywaydb.core.Flyway.configure()
                .dataSource(url, null, null)
                .locations("classpath:db/migration/sqlite")
                .target("13")
                .load()
                .migrate();
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            for (int i = 0; i < 3; i++) {
                statement.execute("INSERT INTO audit_event (at, actor, type, detail) VALUES (" + i
                        + ", 'admin', 'LOGIN', 'before the chain " + i + "')");
            }
        }

        try (SqliteDatabase upgraded = SqliteDatabase.open(older)) {
            SqliteAuditLog chained = new SqliteAuditLog(upgraded);
            chained.record(T0, "admin", Type.LOGOUT, "after the chain");

            AuditChainReport chain = chained.verifyChain();
            assertThat(chain.intact()).as("%s", chain.firstBreak()).isTrue();
            assertThat(chain.entries()).isEqualTo(4);
            assertThat(chain.anchorHash()).isEqualTo(AuditChain.GENESIS);
        }
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }

    @Test
    void table_refusesUpdateAndDeleteEvenFromOutside() throws SQLException {
        log.record(T0, "admin", Type.LOGIN, "logged in");

        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database.file());
                Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.executeUpdate("UPDATE audit_event SET actor = 'nobody'"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("append-only");
            assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM audit_event"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("append-only");
        }
        assertThat(log.find(AuditQuery.newest(10)))
                .singleElement()
                .satisfies(event -> assertThat(event.actor()).isEqualTo("admin"));
    }

    @Test
    void record_fromCallersArrivingDuringAWrite_sharesTheNextTransactionAndReturnsOnceItCommitted() throws Exception {
        SqliteAuditLog sqlite = (SqliteAuditLog) log;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (HeldWriter writer = HeldWriter.hold(database)) {
            List<Future<?>> recorders = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String actor = "acd-" + i;
                recorders.add(
                        pool.submit(() -> log.record(T0, actor, Type.CLAIM_DENIED, "agent a: all 2 seats in use")));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (sqlite.queued() < 7 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(sqlite.queued())
                    .as("one writing (waiting for the database), seven queued")
                    .isEqualTo(7);
            assertThat(recorders).noneMatch(Future::isDone);

            writer.release();
            for (Future<?> recorder : recorders) {
                recorder.get(30, TimeUnit.SECONDS);
            }

            assertThat(sqlite.transactions()).isEqualTo(2);
            assertThat(log.find(AuditQuery.newest(20))).hasSize(8);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void recordLater_whileTheDatabaseWriterIsHeld_returnsAtOnceAndCommitsTheQueueInFewTransactions() throws Exception {
        SqliteAuditLog sqlite = (SqliteAuditLog) log;
        List<CompletableFuture<Void>> written = new ArrayList<>();
        try (HeldWriter writer = HeldWriter.hold(database)) {
            for (int i = 0; i < 50; i++) {
                written.add(
                        log.recordLater(T0, "acd-" + i, Type.CLAIM_DENIED, "agent a-" + i + ": all 2 seats in use"));
            }
            assertThat(written)
                    .as("nothing is durable while the writer is held")
                    .noneMatch(CompletableFuture::isDone);

            writer.release();
            for (CompletableFuture<Void> future : written) {
                future.get(30, TimeUnit.SECONDS);
            }
        }

        assertThat(sqlite.transactions())
                .as("the batch the writer took before the database was free, and at most one for the rest")
                .isBetween(1L, 2L);
        assertThat(log.find(AuditQuery.newest(100))).hasSize(50);
        assertThat(log.verifyChain().intact()).isTrue();
    }

    @Test
    void close_writesTheEventsRecordedLaterBeforeItReturns() throws Exception {
        SqliteAuditLog sqlite = (SqliteAuditLog) log;
        HeldWriter writer = HeldWriter.hold(database);
        for (int i = 0; i < 10; i++) {
            log.recordLater(T0, "acd", Type.CLAIM_DENIED, "agent a-" + i + ": all 2 seats in use");
        }
        Thread releasing = Thread.ofVirtual().start(() -> {
            try {
                writer.release();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        sqlite.close();
        database.close();
        releasing.join();
        writer.close();

        log = createLog();
        assertThat(log.find(AuditQuery.newest(100))).hasSize(10);
        assertThat(log.verifyChain().intact()).isTrue();
    }

    @Test
    void recordLater_whenTheDatabaseFails_completesExceptionally() {
        database.close();

        CompletableFuture<Void> written = log.recordLater(T0, "acd", Type.CLAIM_DENIED, "agent a: all 2 seats in use");

        assertThatThrownBy(() -> written.get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(StoreException.class);
        log = createLog();
        assertThat(log.find(AuditQuery.newest(10))).isEmpty();
    }

    @Test
    void record_whenTheDatabaseFails_throwsForEveryCallerAndRecordsNothing() {
        database.close();

        assertThatThrownBy(() -> log.record(T0, "admin", Type.LOGIN, "logged in"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> log.record(T0, "admin", Type.LOGIN, "logged in again"))
                .isInstanceOf(StoreException.class);
        log = createLog();
        assertThat(log.find(AuditQuery.newest(10))).isEmpty();
    }

    @Test
    void record_withSubMillisecondInstant_keepsWholeMilliseconds() {
        log.record(T0.plusNanos(1_999_999), "admin", Type.LOGIN, "logged in");

        assertThat(log.find(AuditQuery.newest(1)))
                .singleElement()
                .satisfies(event -> assertThat(event.at()).isEqualTo(T0.plusMillis(1)));
    }

    @Test
    void find_byTypeOrTime_usesAnIndex() throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database.file());
                Statement statement = connection.createStatement()) {
            assertThat(plan(statement, "SELECT id FROM audit_event WHERE type = 'LOGIN' ORDER BY id DESC LIMIT 10"))
                    .contains("audit_event_by_type");
            assertThat(plan(statement, "SELECT id FROM audit_event WHERE at >= 0 AND at < 10"))
                    .contains("audit_event_by_at");
        }
    }

    private static String plan(Statement statement, String query) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (ResultSet rows = statement.executeQuery("EXPLAIN QUERY PLAN " + query)) {
            while (rows.next()) {
                plan.append(rows.getString("detail")).append('\n');
            }
        }
        return plan.toString();
    }
}
