package com.anycontact.innolicense.store.postgres;

import com.anycontact.innolicense.store.StoreException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Retention of the rows that only grow in the cluster database, as {@code SqliteRetention} does it for the
 * embedded one: denials deleted by age, {@value #DENIAL_CHUNK} per transaction; audit events archived to a
 * JSON-lines file {@code audit-<first id>-<last id>.jsonl} (written to a temporary file, synced, renamed), then
 * deleted in one transaction that advances {@code audit_archive.archived_through} (migration V8) from the value it
 * read: if another node archived meanwhile, the transaction fails and deletes nothing. The database refuses to
 * delete any event beyond {@code archived_through}. Run by the cluster's leader only (docs/cluster.md).
 */
public final class PostgresRetention {

    /** Denials deleted per transaction. */
    static final int DENIAL_CHUNK = 10_000;

    private static final String OLD_DENIALS = """
            DELETE FROM denial WHERE id IN (SELECT id FROM denial WHERE denied_at < ? ORDER BY id LIMIT ?)""";
    private static final String ARCHIVED_THROUGH = "SELECT archived_through FROM audit_archive WHERE id = 1";
    private static final String LAST_OLD_EVENT = "SELECT max(id) FROM audit_event WHERE at < ? AND id > ?";
    private static final String EVENTS =
            "SELECT id, at, actor, type, detail, prev_hash, hash FROM audit_event WHERE id > ? AND id <= ? ORDER BY id";
    private static final String MOVE_ANCHOR =
            "UPDATE audit_chain SET anchor_id = ?, anchor_hash = ? WHERE id = 1 AND anchor_id <= ?";
    private static final String MARK_ARCHIVED =
            "UPDATE audit_archive SET archived_through = ? WHERE id = 1 AND archived_through = ?";
    private static final String DELETE_ARCHIVED = "DELETE FROM audit_event WHERE id > ? AND id <= ?";

    private final PostgresDatabase database;

    /** Retention over the database, which the caller opens and closes. */
    public PostgresRetention(PostgresDatabase database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    /**
     * Deletes the denials recorded before the cut-off.
     *
     * @return how many were deleted
     * @throws StoreException when the database cannot be written
     */
    public long purgeDenials(Instant before) {
        Objects.requireNonNull(before, "before");
        long deleted = 0;
        while (true) {
            int chunk = database.autoCommit(connection -> {
                try (PreparedStatement delete = connection.prepareStatement(OLD_DENIALS)) {
                    delete.setLong(1, PostgresDatabase.ceilingMillis(before));
                    delete.setInt(2, DENIAL_CHUNK);
                    return delete.executeUpdate();
                }
            });
            deleted += chunk;
            if (chunk < DENIAL_CHUNK) {
                return deleted;
            }
        }
    }

    /**
     * Archives the audit events recorded before the cut-off to a JSON-lines file in the directory, then deletes
     * them from the database.
     *
     * @return the archive file written, or empty when no event was old enough
     * @throws StoreException when the database cannot be read or written or the file cannot be written; nothing
     *     is deleted then
     */
    public Optional<Path> archiveAudit(Instant before, Path archiveDirectory) {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(archiveDirectory, "archiveDirectory");
        long[] range = database.autoCommit(connection -> {
            long from;
            try (PreparedStatement select = connection.prepareStatement(ARCHIVED_THROUGH);
                    ResultSet row = select.executeQuery()) {
                row.next();
                from = row.getLong(1);
            }
            try (PreparedStatement last = connection.prepareStatement(LAST_OLD_EVENT)) {
                last.setLong(1, PostgresDatabase.ceilingMillis(before));
                last.setLong(2, from);
                try (ResultSet row = last.executeQuery()) {
                    row.next();
                    long through = row.getLong(1);
                    return row.wasNull() ? null : new long[] {from, through};
                }
            }
        });
        if (range == null) {
            return Optional.empty();
        }
        Path file = archiveDirectory.resolve("audit-" + (range[0] + 1) + "-" + range[1] + ".jsonl");
        String lastHash = writeArchive(range[0], range[1], file);
        database.batchTransaction(connection -> {
            try (PreparedStatement mark = connection.prepareStatement(MARK_ARCHIVED)) {
                mark.setLong(1, range[1]);
                mark.setLong(2, range[0]);
                if (mark.executeUpdate() != 1) {
                    throw new IllegalStateException("the audit log was archived meanwhile by another node");
                }
            }
            try (PreparedStatement delete = connection.prepareStatement(DELETE_ARCHIVED)) {
                delete.setLong(1, range[0]);
                delete.setLong(2, range[1]);
                delete.executeUpdate();
            }
            try (PreparedStatement anchor = connection.prepareStatement(MOVE_ANCHOR)) {
                anchor.setLong(1, range[1]);
                anchor.setString(2, lastHash);
                anchor.setLong(3, range[1]);
                anchor.executeUpdate();
            }
            return null;
        });
        return Optional.of(file);
    }

    /** Writes the events to the file; returns the hash of the last, the anchor of the chain that remains. */
    private String writeArchive(long after, long through, Path file) {
        String[] last = {null};
        try {
            Files.createDirectories(file.getParent());
            Path partial = file.resolveSibling(file.getFileName() + ".partial");
            try (BufferedWriter out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
                database.autoCommit(connection -> {
                    try (PreparedStatement select = connection.prepareStatement(EVENTS)) {
                        select.setLong(1, after);
                        select.setLong(2, through);
                        try (ResultSet rows = select.executeQuery()) {
                            while (rows.next()) {
                                out.write("{\"id\":" + rows.getLong(1)
                                        + ",\"at\":"
                                        + json(Instant.ofEpochMilli(rows.getLong(2))
                                                .toString())
                                        + ",\"actor\":" + json(rows.getString(3))
                                        + ",\"type\":" + json(rows.getString(4))
                                        + ",\"detail\":" + json(rows.getString(5))
                                        + ",\"prevHash\":" + jsonOrNull(rows.getString(6))
                                        + ",\"hash\":" + jsonOrNull(rows.getString(7)) + "}\n");
                                last[0] = rows.getString(7);
                            }
                        } catch (IOException e) {
                            throw new StoreException("cannot write the audit archive " + file, e);
                        }
                    }
                    return null;
                });
            }
            try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StoreException("cannot write the audit archive " + file, e);
        }
        return last[0];
    }

    private static String jsonOrNull(String text) {
        return text == null ? "null" : json(text);
    }

    /** A JSON string literal. */
    static String json(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
