package com.anycontact.innolicense.store.postgres;

import com.anycontact.innolicense.store.StoreException;
import com.anycontact.innolicense.store.jdbc.Instants;
import com.anycontact.innolicense.store.jdbc.SkippedMigrations;
import com.anycontact.innolicense.store.jdbc.StatementRunner;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;

/**
 * The cluster database: one PostgreSQL database (or one schema in it, named by the URL's {@code
 * currentSchema}) that every server node of an installation shares, migrated with Flyway when a node opens it.
 *
 * <p>Schema versions: a node migrates the schema up to the newest version it knows (Flyway takes a PostgreSQL
 * advisory lock, so nodes starting together migrate once). It refuses to open a schema that a newer release has
 * already migrated beyond that, with a message that says so: an older node could misread tables it does not
 * know. Flyway alone would ignore such future migrations.
 *
 * <p>Connections: a HikariCP pool. {@link #transaction} runs work in one transaction at PostgreSQL's default
 * isolation, READ COMMITTED, in which every statement sees the data committed before it began; the stores lock
 * rows where a decision must not be overtaken (see {@link PostgresSeatStore}). {@link #autoCommit} runs work with
 * auto-commit, each statement a transaction of its own.
 *
 * <p>Durability: a transaction is durable when its commit returns, as the PostgreSQL server is configured
 * ({@code synchronous_commit=on} by default; with a synchronous standby, on two machines).
 */
public final class PostgresDatabase implements AutoCloseable {

    /** Where the migrations are, on the class path. */
    static final String MIGRATIONS = "classpath:db/migration/postgresql";

    /** The connections a node keeps open by default. */
    public static final int DEFAULT_POOL_SIZE = 10;

    /** How long a call waits for a connection from the pool while every connection is busy. */
    private static final Duration POOL_WAIT = Duration.ofSeconds(5);

    /**
     * How long one wait for a pooled connection lasts (HikariCP's shortest): a call waits in such slices, up to
     * {@link #POOL_WAIT}, so that it learns within one slice when the pool cannot make a connection because the
     * database cannot be reached, rather than only at the end of its whole wait.
     */
    private static final long CONNECTION_TIMEOUT_MILLIS = 250;

    /**
     * How long a pooled connection waits for an answer from the server (the driver's {@code socketTimeout}) before
     * it counts as broken, which opens the {@link DatabaseCircuit}: so that a server that accepts connections but
     * stops answering (a frozen host, packets dropped) is noticed within this bound rather than never. A healthy
     * server under load answers the calls on the request path in milliseconds; see {@link #STATEMENT_TIMEOUT}.
     */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);

    /**
     * How long PostgreSQL lets one statement run on a pooled connection ({@code statement_timeout}) before it
     * cancels it itself (SQLSTATE 57014): shorter than {@link #ANSWER_TIMEOUT}, so that a statement that is merely
     * slow on a server that still answers fails alone, on a connection that stays good, and does not open the
     * circuit for every call. Batch work that may take longer runs with {@link #batchTransaction}.
     */
    static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(4);

    /** How long a statement of {@link #batchTransaction} may wait for the server. */
    static final Duration BATCH_ANSWER_TIMEOUT = Duration.ofMinutes(10);

    private static final long LOGIN_TIMEOUT_SECONDS = ANSWER_TIMEOUT.toSeconds();
    private static final long CONNECT_TIMEOUT_SECONDS = 3;

    private final PostgresUrl url;
    private final HikariDataSource pool;
    private final DatabaseCircuit circuit;
    private final java.util.List<Runnable> answeringAgain = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final WriteRefusals refusals;

    private PostgresDatabase(PostgresUrl url, HikariDataSource pool) {
        this.url = url;
        this.pool = pool;
        this.circuit = new DatabaseCircuit(
                url,
                () -> probe(url),
                System::nanoTime,
                this::dropPooledConnections,
                () -> answeringAgain.forEach(Runnable::run));
        this.refusals = new WriteRefusals(url, System::nanoTime);
    }

    /**
     * Connects to the database and migrates it to the current schema, with {@link #DEFAULT_POOL_SIZE}
     * connections.
     *
     * @throws StoreException when the database cannot be reached or migrated, or its schema is newer than this
     *     release knows
     */
    public static PostgresDatabase open(PostgresUrl url) {
        return open(url, DEFAULT_POOL_SIZE);
    }

    /**
     * Connects to the database and migrates it to the current schema.
     *
     * @param url where the database is
     * @param poolSize the most connections to keep open, at least 1
     * @throws StoreException when the database cannot be reached or migrated, its schema is newer than this
     *     release knows, or it is a standby, or it is reached through a pooler that shares sessions between
     *     connections ({@link OpeningChecks})
     */
    public static PostgresDatabase open(PostgresUrl url, int poolSize) {
        Objects.requireNonNull(url, "url");
        if (poolSize < 1) {
            throw new IllegalArgumentException("pool size must be at least 1, was " + poolSize);
        }
        OpeningChecks.require(url);
        HikariDataSource pool = pool(url, poolSize);
        try {
            migrate(url);
            return new PostgresDatabase(url, pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /** Where the database is, without credentials, for messages. */
    public PostgresUrl url() {
        return url;
    }

    /**
     * Runs {@code work} as one transaction, committed when it returns and rolled back when it throws.
     *
     * @throws StoreException when the database cannot be written
     */
    <T> T transaction(Work<T> work) {
        return transaction(work, false);
    }

    /**
     * Runs {@code work} as one transaction, as {@link #transaction}, for batch work whose statements may
     * legitimately take longer than {@link #STATEMENT_TIMEOUT} (copying an installation, archiving the audit
     * log): its statements are not cancelled, and a statement counts as unanswered only after {@link
     * #BATCH_ANSWER_TIMEOUT}. Never for calls on a request's path.
     *
     * @throws StoreException when the database cannot be written
     */
    <T> T batchTransaction(Work<T> work) {
        return transaction(work, true);
    }

    private <T> T transaction(Work<T> work, boolean batch) {
        circuit.check();
        try (Connection connection = pooledConnection()) {
            connection.setAutoCommit(false);
            try {
                if (batch) {
                    // HikariCP restores the pool's network timeout when the connection returns to it; SET LOCAL
                    // ends with the transaction.
                    connection.setNetworkTimeout(Runnable::run, (int) BATCH_ANSWER_TIMEOUT.toMillis());
                    try (var unlimited = connection.createStatement()) {
                        unlimited.execute("SET LOCAL statement_timeout = 0");
                    }
                }
                T result = work.run(connection);
                connection.commit();
                refusals.wrote();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw failed(e, "cannot write to the database ");
        }
    }

    /**
     * Runs {@code work} on a connection in auto-commit mode: each statement is a transaction of its own, for
     * reads and for writes that are one statement.
     *
     * @throws StoreException when the database cannot be read or written
     */
    <T> T autoCommit(Work<T> work) {
        circuit.check();
        try (Connection connection = pooledConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw failed(e, "cannot use the database ");
        }
    }

    /**
     * Runs {@code work} as {@link #autoCommit} does, for work that writes: its success tells that the database
     * takes writes again after it refused them ({@link WriteRefusals}).
     *
     * @throws StoreException when the database cannot be read or written
     */
    <T> T autoCommitWrite(Work<T> work) {
        T result = autoCommit(work);
        refusals.wrote();
        return result;
    }

    /**
     * Whether the database's latest refusal of a write was for want of room (its disk full) since it last took
     * one: calls that fail meanwhile may be tried one by one, so that the ones that need no room are taken. Not for
     * the other refusals (read-only, out of memory or connections), which every call meets alike.
     */
    boolean refusesWritesForWantOfRoom() {
        return refusals.refusingForWantOfRoom();
    }

    /**
     * What a call that failed with {@code failure} throws: {@link
     * com.anycontact.innolicense.store.StoreUnavailableException} when the database cannot take writes now ({@link
     * WriteRefusals}), {@link com.anycontact.innolicense.store.DatabaseUnreachableException} when it cannot be
     * reached ({@link DatabaseCircuit}), {@link StoreException} for anything else.
     */
    private RuntimeException failed(SQLException failure, String what) {
        Optional<String> refusing = WriteRefusals.refusingState(failure);
        if (refusing.isPresent()) {
            return refusals.refused(failure, refusing.get());
        }
        return circuit.failed(failure, new StoreException(what + url + ": " + failure.getMessage(), failure));
    }

    /**
     * Runs the statements of adapters shared with SQLite ({@code store.jdbc}), each on a pooled connection with
     * auto-commit, as {@link #autoCommit} does.
     */
    StatementRunner statements() {
        return new StatementRunner() {
            @Override
            public <T> T read(String sql, StatementRunner.Work<T> work) {
                return write(sql, work);
            }

            @Override
            public <T> T write(String sql, StatementRunner.Work<T> work) {
                return autoCommit(connection -> {
                    try (PreparedStatement statement = connection.prepareStatement(sql)) {
                        return work.run(statement);
                    }
                });
            }
        };
    }

    /**
     * Opens a connection of its own, outside the pool, in auto-commit mode: for a session that must last, such
     * as the cluster bus's {@code LISTEN}, whose reads wait as long as they must. The caller closes it.
     *
     * @param applicationName how the connection is named in {@code pg_stat_activity}
     * @throws SQLException when the database cannot be reached
     */
    Connection dedicatedConnection(String applicationName) throws SQLException {
        return dedicatedConnection(applicationName, LOGIN_TIMEOUT_SECONDS, 0);
    }

    /**
     * Opens a connection of its own, outside the pool, in auto-commit mode, for a session that must last as long
     * as the connection (the leadership lock); the caller closes it.
     *
     * @param applicationName how the connection is named in {@code pg_stat_activity}
     * @param connectTimeoutSeconds how long connecting and logging in may take
     * @param socketTimeoutSeconds how long a read waits for the server, so that a dead server or network is
     *     noticed; 0 for as long as it takes
     * @throws SQLException when the database cannot be reached
     */
    Connection dedicatedConnection(String applicationName, long connectTimeoutSeconds, long socketTimeoutSeconds)
            throws SQLException {
        return connect(url, applicationName, connectTimeoutSeconds, socketTimeoutSeconds);
    }

    /** A connection of its own to the database at {@code url}, as {@link #dedicatedConnection} makes one. */
    static Connection connect(
            PostgresUrl url, String applicationName, long connectTimeoutSeconds, long socketTimeoutSeconds)
            throws SQLException {
        Properties properties = new Properties();
        url.user().ifPresent(user -> properties.setProperty("user", user));
        url.password().ifPresent(password -> properties.setProperty("password", password));
        properties.setProperty("ApplicationName", applicationName);
        properties.setProperty("loginTimeout", Long.toString(connectTimeoutSeconds));
        properties.setProperty("connectTimeout", Long.toString(connectTimeoutSeconds));
        properties.setProperty("socketTimeout", Long.toString(socketTimeoutSeconds));
        properties.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(url.jdbcUrl(), properties);
    }

    /**
     * A connection from the pool, waiting up to {@link #POOL_WAIT} while every connection is busy; at once the
     * failure when the pool's attempt to make one failed because the database cannot be reached (HikariCP's
     * timeout then carries that failure's SQLSTATE).
     */
    private Connection pooledConnection() throws SQLException {
        long deadline = System.nanoTime() + POOL_WAIT.toNanos();
        while (true) {
            try {
                return pool.getConnection();
            } catch (SQLTransientConnectionException e) {
                if (DatabaseCircuit.isConnectionFailure(e) || System.nanoTime() - deadline >= 0) {
                    throw e;
                }
                // Every connection is busy: if one of the calls holding them found the database unanswering
                // meanwhile, stop waiting for a connection that will not come back.
                circuit.check();
            }
        }
    }

    /**
     * Whether the database answered the latest call (or, after calls failed to reach it, a new connection): false
     * while calls are refused with {@link com.anycontact.innolicense.store.DatabaseUnreachableException}. For
     * readiness checks; asks nothing of the database.
     */
    public boolean isReachable() {
        return circuit.isClosed();
    }

    /**
     * Runs {@code action} each time the database answers again after calls found it unreachable (on the thread
     * that found it answering; keep it short, or hand it on), so that work which waits for the database need not
     * wait for its next turn.
     */
    public void whenAnsweringAgain(Runnable action) {
        answeringAgain.add(java.util.Objects.requireNonNull(action, "action"));
    }

    /** Closes the pool; work in progress completes first. */
    @Override
    public void close() {
        circuit.close();
        pool.close();
    }

    /**
     * Lets go of every pooled connection (the idle ones now, the ones in use when they come back), so that the
     * calls after an outage connect anew instead of trying connections to the server that went away.
     */
    private void dropPooledConnections() {
        HikariPoolMXBean connections = pool.getHikariPoolMXBean();
        if (connections != null) {
            connections.softEvictConnections();
        }
    }

    /** The connections the pool holds now, idle or in use (for tests). */
    int pooledConnections() {
        HikariPoolMXBean connections = pool.getHikariPoolMXBean();
        return connections == null ? 0 : connections.getTotalConnections();
    }

    /** Makes a new connection outside the pool and checks that it works, for the circuit's probe. */
    private static void probe(PostgresUrl url) throws SQLException {
        Properties properties = new Properties();
        url.user().ifPresent(user -> properties.setProperty("user", user));
        url.password().ifPresent(password -> properties.setProperty("password", password));
        properties.setProperty("connectTimeout", Long.toString(CONNECT_TIMEOUT_SECONDS));
        properties.setProperty("loginTimeout", Long.toString(CONNECT_TIMEOUT_SECONDS));
        properties.setProperty("ApplicationName", "innolicense-probe");
        try (Connection connection = new org.postgresql.Driver().connect(url.jdbcUrl(), properties)) {
            if (connection == null || !connection.isValid((int) CONNECT_TIMEOUT_SECONDS)) {
                throw new SQLException("the database did not answer a new connection", "08006");
            }
        }
    }

    /**
     * An instant as the epoch milliseconds the schema keeps, rounded up: the smallest whole millisecond at or
     * after it, so that comparisons with stored milliseconds mean what they mean for the exact instant.
     */
    static long ceilingMillis(Instant instant) {
        return Instants.ceilingMillis(instant);
    }

    private static HikariDataSource pool(PostgresUrl url, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("innolicense-postgres");
        config.setJdbcUrl(url.jdbcUrl());
        url.user().ifPresent(config::setUsername);
        url.password().ifPresent(config::setPassword);
        config.setMaximumPoolSize(poolSize);
        // Connections are made when calls need them (and kept while they are used), not by the pool on its own:
        // so that while the database is down the pool does not keep trying it with a back-off of up to 5 s that
        // would delay the first connection after its return; the circuit's probe tries it meanwhile.
        config.setMinimumIdle(0);
        config.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
        config.addDataSourceProperty("ApplicationName", "innolicense");
        // Give up on a server that accepts the connection but never answers the login, rather than hang.
        config.addDataSourceProperty("loginTimeout", Long.toString(LOGIN_TIMEOUT_SECONDS));
        config.addDataSourceProperty("connectTimeout", Long.toString(CONNECT_TIMEOUT_SECONDS));
        // A frozen server keeps its TCP connections open (its kernel still acknowledges): only a bound on the wait
        // for an answer notices it. PostgreSQL cancels a statement that runs too long before that bound.
        config.addDataSourceProperty("socketTimeout", Long.toString(ANSWER_TIMEOUT.toSeconds()));
        config.setConnectionInitSql("SET statement_timeout = " + STATEMENT_TIMEOUT.toMillis());
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException(
                    "cannot connect to the database " + url + ": " + DatabaseCircuit.rootMessage(e)
                            + "; check that PostgreSQL runs there and that the user and password are right",
                    e);
        }
    }

    /** Migrates over connections of Flyway's own (it needs two at once), so that the pool may be of any size. */
    private static void migrate(PostgresUrl url) {
        Flyway flyway = Flyway.configure(PostgresDatabase.class.getClassLoader())
                .dataSource(
                        url.jdbcUrl(), url.user().orElse(null), url.password().orElse(null))
                .locations(MIGRATIONS)
                .load();
        try {
            MigrationInfoService info = flyway.info(); // one read of the schema history for both checks
            Optional<MigrationInfo> future = Arrays.stream(info.applied())
                    .filter(applied -> applied.getState() == MigrationState.FUTURE_SUCCESS
                            || applied.getState() == MigrationState.FUTURE_FAILED)
                    .max(Comparator.comparing(MigrationInfo::getVersion));
            if (future.isPresent()) {
                MigrationVersion known = Arrays.stream(info.all())
                        .filter(migration -> migration.getState() != MigrationState.FUTURE_SUCCESS
                                && migration.getState() != MigrationState.FUTURE_FAILED)
                        .map(MigrationInfo::getVersion)
                        .max(Comparator.naturalOrder())
                        .orElse(MigrationVersion.EMPTY);
                throw new StoreException(
                        "the database " + url + " has schema version "
                                + future.get().getVersion()
                                + ", newer than this release knows (" + known + "): a newer innolicense"
                                + " release migrated it. Run that release (or newer) on this node; an older one could"
                                + " misread the data",
                        null);
            }
            SkippedMigrations.refuse(url.toString(), info, "a database made by a release (restore a backup of one)");
            flyway.migrate();
        } catch (StoreException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StoreException("cannot migrate the database " + url + ": " + DatabaseCircuit.rootMessage(e), e);
        }
    }

    /** Work done on one connection, inside one transaction or in auto-commit mode. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }
}
