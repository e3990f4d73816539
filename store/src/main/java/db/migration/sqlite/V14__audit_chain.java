package db.migration.sqlite;

import com.anycontact.innolicense.audit.AuditChain;
import com.anycontact.innolicense.store.jdbc.AuditChainBackfill;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * The audit log's hash chain (docs/audit-log.md#the-hash-chain): every event carries the hash of the one before
 * ({@code prev_hash}) and its own ({@code hash}), and {@code audit_chain} keeps the head (the last event appended)
 * and the anchor (the last event archived). A Java migration because the events already recorded are chained
 * here, at migration time, in ID order (by {@link AuditChainBackfill}, shared with PostgreSQL's V4), which SQL
 * alone cannot do (SQLite has no SHA-256). Events archived before this migration are gone from the database and
 * their archives carry no hashes: the chain starts after them, at the anchor {@code archived_through} with the
 * hash {@link AuditChain#GENESIS}.
 */
public class V14__audit_chain extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        try (Statement ddl = connection.createStatement()) {
            ddl.execute("ALTER TABLE audit_event ADD COLUMN prev_hash TEXT");
            ddl.execute("ALTER TABLE audit_event ADD COLUMN hash TEXT");
            ddl.execute("""
                    CREATE TABLE audit_chain (
                        id          INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
                        anchor_id   INTEGER NOT NULL CHECK (anchor_id >= 0),
                        anchor_hash TEXT    NOT NULL,
                        head_id     INTEGER NOT NULL CHECK (head_id >= anchor_id),
                        head_hash   TEXT    NOT NULL
                    ) STRICT""");
            ddl.execute("DROP TRIGGER audit_event_not_updated");
        }
        long anchor;
        try (Statement read = connection.createStatement();
                ResultSet row = read.executeQuery("SELECT archived_through FROM audit_archive WHERE id = 1")) {
            anchor = row.next() ? row.getLong(1) : 0;
        }
        AuditChainBackfill.chain(connection, anchor);
        try (Statement ddl = connection.createStatement()) {
            ddl.execute("""
                    CREATE TRIGGER audit_event_not_updated BEFORE UPDATE ON audit_event
                    BEGIN
                        SELECT RAISE(ABORT, 'the audit log is append-only: events are never changed');
                    END""");
        }
    }
}
