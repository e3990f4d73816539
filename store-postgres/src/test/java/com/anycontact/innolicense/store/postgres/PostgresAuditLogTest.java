package com.anycontact.innolicense.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anycontact.innolicense.audit.AuditChainReport;
import com.anycontact.innolicense.audit.AuditEvent.Type;
import com.anycontact.innolicense.audit.AuditLog;
import com.anycontact.innolicense.audit.AuditQuery;
import com.anycontact.innolicense.store.AuditLogContract;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The audit log contract on a real PostgreSQL schema with the real migrations, plus PostgreSQL specifics. */
class PostgresAuditLogTest extends AuditLogContract {

    private PostgresSchema schema;

    @Override
    protected AuditLog createLog() {
        schema = PostgresSchema.create(getClass());
        return new PostgresAuditLog(schema.open());
    }

    @Override
    protected AuditLog reopenLog() {
        return new PostgresAuditLog(schema.reopen());
    }

    @Override
    protected void editByHand(String sql) throws SQLException {
        schema.execute("ALTER TABLE audit_event DISABLE TRIGGER USER");
        try {
            schema.execute(
                    sql.startsWith("INSERT INTO audit_event")
                            ? sql.replace(") VALUES (", ") OVERRIDING SYSTEM VALUE VALUES (")
                            : sql);
        } finally {
            schema.execute("ALTER TABLE audit_event ENABLE TRIGGER USER");
        }
    }

    @Test
    void record_fromTwoNodesAtOnce_keepsOneIntactChainInTheOrderOfIds() throws Exception {
        AuditLog node2 = new PostgresAuditLog(schema.open());
        List<AuditLog> nodes = List.of(log, node2);
        int threadsPerNode = 4;
        int perThread = 40;
        CountDownLatch startGate = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(nodes.size() * threadsPerNode);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int n = 0; n < nodes.size(); n++) {
                AuditLog node = nodes.get(n);
                for (int t = 0; t < threadsPerNode; t++) {
                    String actor = "node-" + n + "-thread-" + t;
                    done.add(executor.submit(() -> {
                        startGate.await();
                        for (int i = 0; i < perThread; i++) {
                            node.record(T0.plusMillis(i), actor, Type.CLAIM_DENIED, actor + " " + i);
                        }
                        return null;
                    }));
                }
            }
            startGate.countDown();
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            executor.shutdownNow();
        }

        AuditChainReport chain = node2.verifyChain();
        assertThat(chain.intact()).as("%s", chain.firstBreak()).isTrue();
        assertThat(chain.entries()).isEqualTo(nodes.size() * threadsPerNode * perThread);
        assertThat(chain.lastId())
                .isEqualTo(log.find(AuditQuery.newest(1)).getFirst().id());
    }

    @Test
    void migration_chainsTheEventsRecordedBeforeIt() throws SQLException {
        PostgresSchema older = PostgresSchema.create(getClass());
        try {
            PostgresUrl url = older.url();
            Flyway.configure()
                    .dataSource(
                            url.jdbcUrl(),
                            url.user().orElse(null),
                            url.password().orElse(null))
                    .locations(PostgresDatabase.MIGRATIONS)
                    .target("3")
                    .load()
                    .migrate();
            for (int i = 0; i < 3; i++) {
                older.execute("INSERT INTO audit_event (at, actor, type, detail) VALUES (" + i
                        + ", 'admin', 'LOGIN', 'before the chain " + i + "')");
            }

            PostgresAuditLog chained = new PostgresAuditLog(older.open());
            chained.record(T0, "admin", Type.LOGOUT, "after the chain");

            AuditChainReport chain = chained.verifyChain();
            assertThat(chain.intact()).as("%s", chain.firstBreak()).isTrue();
            assertThat(chain.entries()).isEqualTo(4);
        } finally {
            older.close();
        }
    }

    @AfterEach
    void dropSchema() {
        if (schema != null) {
            schema.close();
        }
    }

    @Test
    void table_refusesUpdateDeleteAndTruncateEvenFromOutside() {
        log.record(T0, "admin", Type.LOGIN, "logged in");

        assertThatThrownBy(() -> schema.execute("UPDATE audit_event SET actor = 'nobody'"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("append-only: events are never changed");
        assertThatThrownBy(() -> schema.execute("DELETE FROM audit_event"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("append-only: only events written to an archive file are removed");
        assertThatThrownBy(() -> schema.execute("TRUNCATE audit_event"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("append-only");
        assertThat(log.find(AuditQuery.newest(10)))
                .singleElement()
                .satisfies(event -> assertThat(event.actor()).isEqualTo("admin"));
    }
}
