package db.migration.postgresql;

import com.anycontact.innolicense.audit.AuditChain;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * The audit log's hash chain (docs/audit-log.md#the-hash-chain), as SQLite's V14: every event carries the hash
 * of the one before ({@code prev_hash}) and its own ({@code hash}); {@code audit_chain} is one row with the head
 * (the last event appended) and the anchor (the last event archived). Appending locks that row ({@code SELECT ...
 * FOR UPDATE}), which serializes appends from every node, so that the chain follows the order of IDs. A Java
 * migration because the events already recorded are chained here, at migration time, in ID order; the chain
 * starts at the anchor 0 with the hash {@link AuditChain#GENESIS}.
 */
public class V4__audit_chain extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        try (Statement ddl = connection.createStatement()) {
            ddl.execute("ALTER TABLE audit_event ADD COLUMN prev_hash TEXT, ADD COLUMN hash TEXT");
            ddl.execute("""
                    CREATE TABLE audit_chain (
                        id          INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
                        anchor_id   BIGINT  NOT NULL CHECK (anchor_id >= 0),
                        anchor_hash TEXT    NOT NULL,
                        head_id     BIGINT  NOT NULL CHECK (head_id >= anchor_id),
                        head_hash   TEXT    NOT NULL
                    )""");
            ddl.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_not_changed");
        }
        long headId = 0;
        String headHash = AuditChain.GENESIS;
        try (Statement read = connection.createStatement();
                ResultSet rows = read.executeQuery("SELECT id, at, actor, type, detail FROM audit_event ORDER BY id");
                PreparedStatement update =
                        connection.prepareStatement("UPDATE audit_event SET prev_hash = ?, hash = ? WHERE id = ?")) {
            int pending = 0;
            while (rows.next()) {
                long id = rows.getLong(1);
                String hash = AuditChain.hash(
                        id, rows.getLong(2), rows.getString(3), rows.getString(4), rows.getString(5), headHash);
                update.setString(1, headHash);
                update.setString(2, hash);
                update.setLong(3, id);
                update.addBatch();
                headId = id;
                headHash = hash;
                if (++pending == 1000) {
                    update.executeBatch();
                    pending = 0;
                }
            }
            update.executeBatch();
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO audit_chain (id, anchor_id, anchor_hash, head_id, head_hash) VALUES (1, 0, ?, ?, ?)")) {
            insert.setString(1, AuditChain.GENESIS);
            insert.setLong(2, headId);
            insert.setString(3, headHash);
            insert.executeUpdate();
        }
        try (Statement ddl = connection.createStatement()) {
            ddl.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_not_changed");
        }
    }
}
