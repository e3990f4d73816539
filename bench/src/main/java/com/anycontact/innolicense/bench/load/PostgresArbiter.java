package com.anycontact.innolicense.bench.load;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The PostgreSQL peer: a plain row-lock seat allocation, one row per seat, through HikariCP.
 *
 * <pre>{@code
 * CREATE TABLE seat (slot int PRIMARY KEY, agent_id text UNIQUE, expires_at bigint)   -- capacity rows
 * claim:   UPDATE seat SET agent_id = ?, expires_at = ?
 *          WHERE slot = (SELECT slot FROM seat WHERE agent_id IS NULL OR expires_at <= ?
 *                        LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING slot
 * renew:   UPDATE seat SET expires_at = ? WHERE agent_id = ? AND expires_at > ?
 * release: UPDATE seat SET agent_id = NULL, expires_at = NULL WHERE agent_id = ?
 * }</pre>
 *
 * <p>Each statement is its own transaction (auto-commit). With the server's defaults, {@code
 * fsync=on} and {@code synchronous_commit=on}, a commit returns after its WAL record is flushed to
 * the disk: an acked claim survives a power loss. Time is the client's clock, passed as a parameter.
 */
final class PostgresArbiter implements SeatArbiter {

    static final String NAME = "postgres";

    private static final String CLAIM = """
            UPDATE seat SET agent_id = ?, expires_at = ?
            WHERE slot = (SELECT slot FROM seat WHERE agent_id IS NULL OR expires_at <= ?
                          LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING slot""";
    private static final String RENEW = "UPDATE seat SET expires_at = ? WHERE agent_id = ? AND expires_at > ?";
    private static final String RELEASE = "UPDATE seat SET agent_id = NULL, expires_at = NULL WHERE agent_id = ?";

    private final HikariDataSource pool;

    /**
     * Connects and creates the table if it is missing.
     *
     * @param jdbcUrl e.g. {@code jdbc:postgresql://127.0.0.1:5433/innolicense?user=postgres}
     * @param connections the pool size: the most concurrent clients
     */
    PostgresArbiter(String jdbcUrl, int connections) throws SQLException {
        HikariConfig config = new HikariConfig();
        config.setPoolName("bench-postgres");
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(connections);
        config.setMinimumIdle(connections);
        config.setAutoCommit(true);
        this.pool = new HikariDataSource(config);
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(
                    "CREATE TABLE IF NOT EXISTS seat (slot int PRIMARY KEY, agent_id text UNIQUE, expires_at bigint)");
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Durability durability() {
        return new Durability(Durability.Survives.POWER_LOSS, "fsync=on, synchronous_commit=on");
    }

    @Override
    public void reset(int capacity) throws SQLException {
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE seat");
            statement.execute("INSERT INTO seat (slot) SELECT generate_series(1, " + capacity + ")");
            statement.execute("VACUUM ANALYZE seat");
        }
    }

    @Override
    public boolean claim(String agent) throws SQLException {
        long now = System.currentTimeMillis();
        try (Connection connection = pool.getConnection();
                PreparedStatement claim = connection.prepareStatement(CLAIM)) {
            claim.setString(1, agent);
            claim.setLong(2, now + LEASE_TTL_MILLIS);
            claim.setLong(3, now);
            try (ResultSet slot = claim.executeQuery()) {
                return slot.next();
            }
        }
    }

    @Override
    public boolean renew(String agent) throws SQLException {
        long now = System.currentTimeMillis();
        try (Connection connection = pool.getConnection();
                PreparedStatement renew = connection.prepareStatement(RENEW)) {
            renew.setLong(1, now + LEASE_TTL_MILLIS);
            renew.setString(2, agent);
            renew.setLong(3, now);
            return renew.executeUpdate() == 1;
        }
    }

    @Override
    public void release(String agent) throws SQLException {
        try (Connection connection = pool.getConnection();
                PreparedStatement release = connection.prepareStatement(RELEASE)) {
            release.setString(1, agent);
            release.executeUpdate();
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
