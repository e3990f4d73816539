package com.anycontact.innolicense.store.postgres;

import com.anycontact.innolicense.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Moves an embedded installation into a cluster database: every row of the SQLite schema's tables (installation
 * ID and trusted-time mark, applied licenses, users, API tokens with their expiry and node binding, the audit log,
 * usage minutes, leases, denials and the seat counters) copied as they are, IDs and claim sequence numbers
 * included, in one PostgreSQL transaction: either all of it arrives or nothing does. Audit events already moved
 * to archive files by the embedded retention stay in those files.
 *
 * <p>The source is read through any JDBC connection to the SQLite file, which must be at the schema version of
 * this release and hold no unfolded seat journal (open it with {@code JournaledSeatStore} and close it first).
 * The target must be empty: a database that already holds an installation, or any user, token, license, audit
 * event or lease, is refused, so that nothing is ever overwritten or merged. The target's tables are locked for
 * the copy, so no node can start on it half-filled.
 */
public final class SqliteImport {

    /** The outcome of an import. */
    public sealed interface Result {

        /**
         * Everything was copied.
         *
         * @param installationId the installation ID, now the cluster's
         * @param rows the rows copied, per table, in the order copied
         */
        record Imported(String installationId, Map<String, Integer> rows) implements Result {
            /** Copies the counts. */
            public Imported {
                Objects.requireNonNull(installationId, "installationId");
                rows = Map.copyOf(rows);
            }
        }

        /**
         * Nothing was copied.
         *
         * @param reason why, for people: what the source or target holds and what to do
         */
        record Refused(String reason) implements Result {}
    }

    /** A table copied: its name, the columns, and the order rows are read in. */
    private record Table(String name, String columns, String order, boolean identity) {}

    private static final String USAGE_AGGREGATE_COLUMNS = "day_start, zone, minutes_recorded, peak_in_use,"
            + " minutes_at_peak, minutes_at_capacity, capacity, claims, denials, distinct_agents";

    private static final Table[] TABLES = {
        new Table("installation", "id, installation_id, trusted_time_mark", "id", false),
        new Table("applied_license", "serial, license_id, key_text, applied_at, applied_by", "serial", false),
        new Table("app_user", "username, role, password_hash, created_at, password_change_required", "username", false),
        new Table(
                "api_token",
                "id, name, role, secret_digest, created_at, created_by, revoked_at, expires_at, node",
                "created_at, rowid",
                false),
        new Table("audit_event", "id, at, actor, type, detail, prev_hash, hash", "id", true),
        new Table("usage_minute", "minute, max_in_use, capacity, claims, denials, denied_agents", "minute", false),
        new Table("usage_day", USAGE_AGGREGATE_COLUMNS, "day_start", false),
        new Table("usage_month", USAGE_AGGREGATE_COLUMNS, "day_start", false),
        new Table("usage_agent", "day_start, agent_id", "day_start, agent_id", false),
        new Table(
                "lease", "agent_id, node, station, claimed_at, renewed_at, expires_at, claim_seq", "claim_seq", false),
        new Table("denial", "id, agent_id, denied_at, capacity, in_use", "id", true),
    };

    private static final String TARGET_CONTENTS = """
            SELECT (SELECT installation_id FROM installation WHERE id = 1),
                   (SELECT count(*) FROM installation) + (SELECT count(*) FROM applied_license)
                   + (SELECT count(*) FROM app_user) + (SELECT count(*) FROM api_token)
                   + (SELECT count(*) FROM audit_event) + (SELECT count(*) FROM lease)""";

    private static final int BATCH = 1_000;

    private SqliteImport() {}

    /**
     * Copies the embedded installation into the cluster database.
     *
     * @param source a connection to the SQLite file, read only
     * @param sourceName the file or directory, for messages
     * @param target the cluster database, migrated
     * @param progress told one line per table copied
     * @throws StoreException when either database cannot be read or written
     */
    public static Result run(Connection source, String sourceName, PostgresDatabase target, Consumer<String> progress) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(progress, "progress");
        String installationId;
        try {
            installationId = installationId(source);
        } catch (SQLException e) {
            throw new StoreException("cannot read the embedded database " + sourceName + ": " + e.getMessage(), e);
        }
        if (installationId == null) {
            return new Result.Refused(sourceName + " holds no installation: no server has started on it yet; there"
                    + " is nothing to migrate");
        }
        return target.batchTransaction(connection -> {
            try (Statement lock = connection.createStatement()) {
                lock.execute("LOCK TABLE installation, applied_license, app_user, api_token, audit_event, usage_minute,"
                        + " lease, denial, seat_counter, audit_chain IN EXCLUSIVE MODE");
            }
            try (Statement check = connection.createStatement();
                    ResultSet row = check.executeQuery(TARGET_CONTENTS)) {
                row.next();
                String existing = row.getString(1);
                if (existing != null) {
                    return new Result.Refused(target.url() + " already holds installation " + existing
                            + "; migrate into an empty database (nothing was changed)");
                }
                if (row.getLong(2) > 0) {
                    return new Result.Refused(target.url() + " already holds data (" + row.getLong(2)
                            + " rows of licenses, users, tokens, audit events or leases); migrate into an empty"
                            + " database (nothing was changed)");
                }
            }
            Map<String, Integer> rows = new LinkedHashMap<>();
            for (Table table : TABLES) {
                int copied = copy(source, sourceName, connection, table);
                rows.put(table.name(), copied);
                progress.accept(table.name() + ": " + copied + (copied == 1 ? " row" : " rows"));
            }
            copySeatCounter(source, sourceName, connection);
            progress.accept("seat_counter: claim sequence and denial count");
            copyAuditChain(source, sourceName, connection);
            progress.accept("audit_chain: the hash chain's anchor and head");
            return new Result.Imported(installationId, rows);
        });
    }

    private static String installationId(Connection source) throws SQLException {
        try (Statement select = source.createStatement();
                ResultSet row = select.executeQuery("SELECT installation_id FROM installation WHERE id = 1")) {
            return row.next() ? row.getString(1) : null;
        }
    }

    private static int copy(Connection source, String sourceName, Connection target, Table table) throws SQLException {
        int columns = table.columns().split(",").length;
        String insert = "INSERT INTO " + table.name() + " (" + table.columns() + ")"
                + (table.identity() ? " OVERRIDING SYSTEM VALUE" : "") + " VALUES ("
                + String.join(", ", Collections.nCopies(columns, "?")) + ")";
        int copied = 0;
        try (Statement select = source.createStatement();
                ResultSet rows = read(select, sourceName, table);
                PreparedStatement write = target.prepareStatement(insert)) {
            boolean[] flags = new boolean[columns + 1];
            for (int i = 1; i <= columns; i++) {
                int type = write.getParameterMetaData().getParameterType(i);
                flags[i] = type == Types.BOOLEAN || type == Types.BIT;
            }
            while (rows.next()) {
                for (int i = 1; i <= columns; i++) {
                    if (flags[i]) {
                        // SQLite keeps a flag as the integer 0 or 1; PostgreSQL as a BOOLEAN.
                        write.setBoolean(i, rows.getInt(i) != 0);
                    } else {
                        write.setObject(i, rows.getObject(i));
                    }
                }
                write.addBatch();
                if (++copied % BATCH == 0) {
                    write.executeBatch();
                }
            }
            write.executeBatch();
        }
        if (table.identity()) {
            try (Statement restart = target.createStatement()) {
                restart.execute("SELECT setval(pg_get_serial_sequence('" + table.name() + "', 'id'),"
                        + " coalesce((SELECT max(id) FROM " + table.name() + "), 0) + 1, false)");
            }
        }
        return copied;
    }

    private static ResultSet read(Statement select, String sourceName, Table table) {
        try {
            return select.executeQuery(
                    "SELECT " + table.columns() + " FROM " + table.name() + " ORDER BY " + table.order());
        } catch (SQLException e) {
            throw new StoreException(
                    "cannot read table " + table.name() + " of the embedded database " + sourceName + ": "
                            + e.getMessage(),
                    e);
        }
    }

    /** The audit log's chain head and archive anchor, so that the copied chain verifies where it left off. */
    private static void copyAuditChain(Connection source, String sourceName, Connection target) throws SQLException {
        try (Statement select = source.createStatement();
                ResultSet row = select.executeQuery(
                        "SELECT anchor_id, anchor_hash, head_id, head_hash FROM audit_chain WHERE id = 1");
                PreparedStatement update = target.prepareStatement(
                        "UPDATE audit_chain SET anchor_id = ?, anchor_hash = ?, head_id = ?, head_hash = ? WHERE id = 1")) {
            if (!row.next()) {
                throw new StoreException("the embedded database " + sourceName + " has no audit_chain row", null);
            }
            update.setLong(1, row.getLong(1));
            update.setString(2, row.getString(2));
            update.setLong(3, row.getLong(3));
            update.setString(4, row.getString(4));
            update.executeUpdate();
        }
    }

    private static void copySeatCounter(Connection source, String sourceName, Connection target) throws SQLException {
        long lastClaimSeq;
        long denials;
        try (Statement select = source.createStatement();
                ResultSet row = select.executeQuery("SELECT last_claim_seq, denials FROM seat_counter WHERE id = 1")) {
            if (!row.next()) {
                throw new StoreException("the embedded database " + sourceName + " has no seat_counter row", null);
            }
            lastClaimSeq = row.getLong(1);
            denials = row.getLong(2);
        }
        try (PreparedStatement update =
                target.prepareStatement("UPDATE seat_counter SET last_claim_seq = ?, denials = ? WHERE id = 1")) {
            update.setLong(1, lastClaimSeq);
            update.setLong(2, denials);
            update.executeUpdate();
        }
    }
}
