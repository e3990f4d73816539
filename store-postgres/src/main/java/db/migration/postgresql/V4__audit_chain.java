package db.migration.postgresql;

import com.anycontact.innolicense.audit.AuditChain;
import com.anycontact.innolicense.store.jdbc.AuditChainBackfill;
import java.sql.Connection;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * The audit log's hash chain (docs/audit-log.md#the-hash-chain), as SQLite's V14: every event carries the hash
 * of the one before ({@code prev_hash}) and its own ({@code hash}); {@code audit_chain} is one row with the head
 * (the last event appended) and the anchor (the last event archived). Appending locks that row ({@code SELECT ...
 * FOR UPDATE}), which serializes appends from every node, so that the chain follows the order of IDs. A Java
 * migration because the events already recorded are chained here, at migration time, in ID order (by {@link
 * AuditChainBackfill}, shared with SQLite's V14); the chain starts at the anchor 0 with the hash {@link
 * AuditChain#GENESIS}.
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
        AuditChainBackfill.chain(connection, 0);
        try (Statement ddl = connection.createStatement()) {
            ddl.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_not_changed");
        }
    }
}
