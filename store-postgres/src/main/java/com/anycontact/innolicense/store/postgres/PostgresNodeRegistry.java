package com.anycontact.innolicense.store.postgres;

import com.anycontact.innolicense.cluster.ClockReading;
import com.anycontact.innolicense.cluster.ClusterNode;
import com.anycontact.innolicense.cluster.DatabaseClock;
import com.anycontact.innolicense.cluster.NodeHeartbeat;
import com.anycontact.innolicense.cluster.NodeRegistry;
import com.anycontact.innolicense.license.TrustMode;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The node registry in the cluster database, table {@code cluster_node} (migration V8; each node's trust since V21),
 * and the database's clock.
 * These are the only queries that read the database's clock ({@code clock_timestamp()}): the last-seen times, so
 * that every node judges which nodes are missing by the same clock, and the clock reading each node measures its
 * own clock against. Everything else is dated by the nodes' clocks, passed in as parameters.
 */
public final class PostgresNodeRegistry implements NodeRegistry, DatabaseClock {

    /** The database's clock now, in epoch milliseconds, as {@code last_seen} is kept. */
    static final String NOW_MILLIS = "(extract(epoch FROM clock_timestamp()) * 1000)::bigint";

    private static final String DROP_RESTARTED =
            "DELETE FROM cluster_node WHERE address = ? AND node_id <> ?" + " AND last_seen < " + NOW_MILLIS + " - ?";
    private static final String UPSERT = """
            INSERT INTO cluster_node (node_id, address, version, started_at, last_seen, leader, clock_offset_millis,
                                      max_offset_millis, serving, trust)
            VALUES (?, ?, ?, ?, %s, ?, ?, ?, ?, ?)
            ON CONFLICT (node_id) DO UPDATE SET
              address = excluded.address, version = excluded.version, started_at = excluded.started_at,
              last_seen = excluded.last_seen, leader = excluded.leader,
              clock_offset_millis = excluded.clock_offset_millis, max_offset_millis = excluded.max_offset_millis,
              serving = excluded.serving, trust = excluded.trust""".formatted(NOW_MILLIS);
    private static final String NODES = """
            SELECT node_id, address, version, started_at, last_seen, leader, clock_offset_millis, max_offset_millis,
                   serving, last_seen < %s - ? AS missing, trust
            FROM cluster_node ORDER BY leader DESC, address, node_id""".formatted(NOW_MILLIS);
    private static final String DROP_MISSING = "DELETE FROM cluster_node WHERE last_seen < " + NOW_MILLIS + " - ?";
    private static final String LEAVE = "DELETE FROM cluster_node WHERE node_id = ?";
    private static final String CLOCK = "SELECT clock_timestamp()";

    private final PostgresDatabase database;

    /** The registry in the given database, which the caller opens and closes. */
    public PostgresNodeRegistry(PostgresDatabase database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    @Override
    public void heartbeat(NodeHeartbeat heartbeat) {
        Objects.requireNonNull(heartbeat, "heartbeat");
        database.transaction(connection -> {
            try (PreparedStatement drop = connection.prepareStatement(DROP_RESTARTED)) {
                drop.setString(1, heartbeat.address());
                drop.setString(2, heartbeat.id());
                drop.setLong(3, MISSING_AFTER.toMillis());
                drop.executeUpdate();
            }
            try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
                upsert.setString(1, heartbeat.id());
                upsert.setString(2, heartbeat.address());
                upsert.setString(3, heartbeat.version());
                upsert.setLong(4, heartbeat.startedAt().toEpochMilli());
                upsert.setBoolean(5, heartbeat.leader());
                if (heartbeat.clockOffset().isPresent()) {
                    upsert.setLong(6, heartbeat.clockOffset().get().toMillis());
                } else {
                    upsert.setNull(6, Types.BIGINT);
                }
                upsert.setLong(7, Math.max(1, heartbeat.maxClockOffset().toMillis()));
                upsert.setBoolean(8, heartbeat.serving());
                upsert.setString(9, heartbeat.trust().name());
                upsert.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<ClusterNode> nodes() {
        return database.autoCommit(connection -> {
            List<ClusterNode> nodes = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(NODES)) {
                select.setLong(1, MISSING_AFTER.toMillis());
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        long offset = rows.getLong(7);
                        Optional<Duration> clockOffset =
                                rows.wasNull() ? Optional.empty() : Optional.of(Duration.ofMillis(offset));
                        nodes.add(new ClusterNode(
                                rows.getString(1),
                                rows.getString(2),
                                rows.getString(3),
                                Instant.ofEpochMilli(rows.getLong(4)),
                                Instant.ofEpochMilli(rows.getLong(5)),
                                rows.getBoolean(6),
                                clockOffset,
                                Duration.ofMillis(rows.getLong(8)),
                                rows.getBoolean(9),
                                rows.getBoolean(10),
                                Optional.ofNullable(rows.getString(11)).map(TrustMode::valueOf)));
                    }
                }
            }
            return nodes;
        });
    }

    @Override
    public int dropMissing() {
        return database.autoCommit(connection -> {
            try (PreparedStatement delete = connection.prepareStatement(DROP_MISSING)) {
                delete.setLong(1, DROPPED_AFTER.toMillis());
                return delete.executeUpdate();
            }
        });
    }

    @Override
    public void leave(String nodeId) {
        database.autoCommit(connection -> {
            try (PreparedStatement delete = connection.prepareStatement(LEAVE)) {
                delete.setString(1, nodeId);
                return delete.executeUpdate();
            }
        });
    }

    /**
     * Reads {@code clock_timestamp()} (microseconds) on a pooled connection; {@code local} is read after the
     * connection is had and the statement prepared, just before the query is sent, and just after its answer.
     */
    @Override
    public ClockReading read(InstantSource local) {
        return database.autoCommit(connection -> {
            try (PreparedStatement select = connection.prepareStatement(CLOCK)) {
                Instant sent = local.instant();
                try (ResultSet row = select.executeQuery()) {
                    Instant received = local.instant();
                    row.next();
                    Instant database = row.getObject(1, OffsetDateTime.class).toInstant();
                    return new ClockReading(sent, database, received);
                }
            }
        });
    }
}
