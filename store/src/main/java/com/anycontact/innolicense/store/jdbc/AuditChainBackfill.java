package com.anycontact.innolicense.store.jdbc;

import com.anycontact.innolicense.audit.AuditChain;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Chains the audit events already recorded, for the Java migrations that add the audit log's hash chain (SQLite
 * V14, PostgreSQL V4; docs/audit-log.md#the-hash-chain): what the two do alike once each has added the columns
 * {@code prev_hash} and {@code hash} and the table {@code audit_chain} in its own dialect, and let events be
 * updated. A Java migration because SQL alone cannot compute the hashes (SQLite has no SHA-256).
 */
public final class AuditChainBackfill {

    private static final int BATCH = 1000;

    private AuditChainBackfill() {}

    /**
     * Hashes every event in ID order, each over the hash of the one before, starting at the anchor with {@link
     * AuditChain#GENESIS}, and writes the chain's one row: the anchor and the head (the last event chained).
     *
     * @param connection the migration's connection, in its transaction
     * @param anchorId the last event archived before the chain begins, 0 for none
     */
    public static void chain(Connection connection, long anchorId) throws SQLException {
        long headId = anchorId;
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
                if (++pending == BATCH) {
                    update.executeBatch();
                    pending = 0;
                }
            }
            update.executeBatch();
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO audit_chain (id, anchor_id, anchor_hash, head_id, head_hash) VALUES (1, ?, ?, ?, ?)")) {
            insert.setLong(1, anchorId);
            insert.setString(2, AuditChain.GENESIS);
            insert.setLong(3, headId);
            insert.setString(4, headHash);
            insert.executeUpdate();
        }
    }
}
