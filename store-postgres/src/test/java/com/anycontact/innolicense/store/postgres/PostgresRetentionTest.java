package com.anycontact.innolicense.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anycontact.innolicense.audit.AuditChain;
import com.anycontact.innolicense.audit.AuditChainReport;
import com.anycontact.innolicense.audit.AuditEvent;
import com.anycontact.innolicense.audit.AuditQuery;
import com.anycontact.innolicense.seat.AgentId;
import com.anycontact.innolicense.seat.ClaimRequest;
import com.anycontact.innolicense.seat.Denial;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Denial retention and audit archive-then-delete on a real PostgreSQL schema with the real migrations (V8). */
class PostgresRetentionTest {

    private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
    private static final Duration TTL = Duration.ofSeconds(60);

    @TempDir
    Path dataDirectory;

    private PostgresSchema schema;
    private PostgresDatabase database;
    private PostgresRetention retention;

    @BeforeEach
    void open() {
        schema = PostgresSchema.create(getClass());
        database = schema.open();
        retention = new PostgresRetention(database);
    }

    @AfterEach
    void close() {
        if (schema != null) {
            schema.close();
        }
    }

    @Test
    void purgeDenials_deletesOnlyThoseBeforeTheCutOff_andKeepsTheCountOfAllDenials() {
        PostgresSeatStore seats = new PostgresSeatStore(database);
        for (int day = 0; day < 5; day++) {
            seats.claim(ClaimRequest.of(new AgentId("agent-" + day)), 0, T0.plus(Duration.ofDays(day)), TTL);
        }

        long deleted = retention.purgeDenials(T0.plus(Duration.ofDays(3)));

        assertThat(deleted).isEqualTo(3);
        assertThat(seats.recentDenials(10))
                .extracting(Denial::agent)
                .containsExactly(new AgentId("agent-4"), new AgentId("agent-3"));
        assertThat(seats.denials()).as("denials ever recorded").isEqualTo(5);
        assertThat(retention.purgeDenials(T0.plus(Duration.ofDays(3)))).isZero();
    }

    @Test
    void archiveAudit_writesTheOldEventsToAJsonLinesFileThenRemovesThem() throws IOException {
        PostgresAuditLog audit = new PostgresAuditLog(database);
        audit.record(T0, "admin", AuditEvent.Type.SERVER_STARTED, "first \"start\"");
        audit.record(T0.plus(Duration.ofDays(1)), "admin", AuditEvent.Type.SERVER_STARTED, "second");
        audit.record(T0.plus(Duration.ofDays(2)), "admin", AuditEvent.Type.SERVER_STARTED, "third");
        Path archives = dataDirectory.resolve("audit-archive");

        Path file =
                retention.archiveAudit(T0.plus(Duration.ofDays(2)), archives).orElseThrow();

        assertThat(file.getFileName()).hasToString("audit-1-2.jsonl");
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        String first =
                AuditChain.hash(1, T0.toEpochMilli(), "admin", "SERVER_STARTED", "first \"start\"", AuditChain.GENESIS);
        String second = AuditChain.hash(
                2, T0.plus(Duration.ofDays(1)).toEpochMilli(), "admin", "SERVER_STARTED", "second", first);
        assertThat(lines)
                .containsExactly(
                        "{\"id\":1,\"at\":\"2026-03-01T08:00:00Z\",\"actor\":\"admin\",\"type\":\"SERVER_STARTED\","
                                + "\"detail\":\"first \\\"start\\\"\",\"prevHash\":\"" + AuditChain.GENESIS
                                + "\",\"hash\":\"" + first + "\"}",
                        "{\"id\":2,\"at\":\"2026-03-02T08:00:00Z\",\"actor\":\"admin\",\"type\":\"SERVER_STARTED\","
                                + "\"detail\":\"second\",\"prevHash\":\"" + first + "\",\"hash\":\"" + second + "\"}");
        AuditChainReport chain = audit.verifyChain();
        assertThat(chain.intact()).as("%s", chain.firstBreak()).isTrue();
        assertThat(chain.anchorId()).isEqualTo(2);
        assertThat(chain.anchorHash()).as("anchored to the archive's last hash").isEqualTo(second);
        assertThat(chain.entries()).isEqualTo(1);
        assertThat(audit.find(AuditQuery.newest(10)))
                .extracting(AuditEvent::detail)
                .containsExactly("third");
        assertThat(retention.archiveAudit(T0.plus(Duration.ofDays(2)), archives))
                .isEmpty();
        assertThat(Files.list(archives)).containsExactly(file);
    }

    @Test
    void theAuditLog_stillRefusesToDeleteAnEventNotArchived_andTheMarkNeverGoesBack() {
        PostgresAuditLog audit = new PostgresAuditLog(database);
        audit.record(T0, "admin", AuditEvent.Type.SERVER_STARTED, "old");
        audit.record(T0.plus(Duration.ofDays(9)), "admin", AuditEvent.Type.SERVER_STARTED, "new");
        retention.archiveAudit(T0.plus(Duration.ofDays(1)), dataDirectory.resolve("audit-archive"));

        assertThatThrownBy(() -> schema.execute("DELETE FROM audit_event"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("only events written to an archive file are removed");
        assertThatThrownBy(() -> schema.execute("UPDATE audit_archive SET archived_through = 0"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("never goes back");
        assertThat(audit.find(AuditQuery.newest(10)))
                .extracting(AuditEvent::detail)
                .containsExactly("new");
    }
}
