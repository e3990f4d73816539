package com.anycontact.innolicense.store.sqlite;

import com.anycontact.innolicense.store.PrivateFiles;
import com.anycontact.innolicense.store.StoreException;
import com.anycontact.innolicense.store.jdbc.Instants;
import com.anycontact.innolicense.store.jdbc.SkippedMigrations;
import com.anycontact.innolicense.store.jdbc.StatementRunner;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationVersion;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The embedded database: one SQLite file in the data directory, migrated with Flyway when opened.
 *
 * <p>Settings: write-ahead log ({@code journal_mode=WAL}), {@code synchronous=NORMAL}, foreign
 * keys enforced, and a busy timeout for the rare case that another process holds the file's
 * lock. Generated keys are not fetched: no store reads them, and the driver would otherwise
 * match every statement against a pattern and prepare a query after every insert.
 *
 * <p>Durability: a transaction has reached the write-ahead log in the operating system when its
 * commit returns, so every committed transaction survives a crash of the process, {@code kill -9}
 * included. {@code synchronous=NORMAL} syncs the log to the disk only at checkpoints, not at every
 * commit: a power loss or operating-system crash may lose the transactions committed since the
 * last checkpoint, but never corrupts the file. Checkpoints run on a thread and connection of their own
 * shortly after writes ({@link WalCheckpointer}), not inside the writer's commits.
 *
 * <p>Concurrency: all writes go through one dedicated connection, one transaction at a time,
 * under a lock; each write transaction starts with {@code BEGIN IMMEDIATE}, which takes SQLite's
 * write lock before its first read. Reads use a small pool of other connections: in WAL mode a
 * reader sees the last committed state and neither waits for the writer nor holds it up.
 */
public final class SqliteDatabase implements AutoCloseable {

    /** The name of the database file in the data directory. */
    public static final String FILE_NAME = "innolicense.db";

    /**
     * How many pages the write-ahead log may grow to before the writer checkpoints it itself, in the commit that
     * crosses it (SQLite's default is 1,000). The {@link WalCheckpointer} copies the log on its own thread long
     * before; this is the backstop, and what lets the log file start over from its beginning.
     */
    static final int WRITER_CHECKPOINT_PAGES = 10_000;

    /** How long after a write the {@link WalCheckpointer} copies the log into the file. */
    static final Duration CHECKPOINT_DELAY = Duration.ofMillis(100);

    private static final int BUSY_TIMEOUT_MILLIS = 5_000;
    private static final int READERS = 4;
    private static final String MIGRATIONS = "classpath:db/migration/sqlite";

    private final Path file;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Connection writer;
    private final Map<String, PreparedStatement> writerStatements = new HashMap<>();
    private final HikariDataSource readers;
    private final WalCheckpointer checkpointer;
    private boolean closed;

    private final List<String> permissionWarnings;

    private SqliteDatabase(
            Path file,
            Connection writer,
            HikariDataSource readers,
            WalCheckpointer checkpointer,
            List<String> permissionWarnings) {
        this.file = file;
        this.permissionWarnings = List.copyOf(permissionWarnings);
        this.writer = writer;
        this.readers = readers;
        this.checkpointer = checkpointer;
    }

    /**
     * Opens the database in the data directory, creating the directory ({@code 0700}) and the file
     * ({@code 0600}; SQLite gives its {@code -wal} and {@code -shm} files the same mode) if needed,
     * and migrates it to the current schema, backing it up first when it has an older one. Existing
     * files are not changed; {@link #permissionWarnings()} names those that others can read.
     *
     * @throws StoreException when the file cannot be opened, backed up or migrated, or its schema is newer
     *     than this program
     */
    public static SqliteDatabase open(Path dataDirectory) {
        return open(dataDirectory, List.of());
    }

    /**
     * Opens the database like {@link #open(Path)}, with further Flyway migration locations beside the
     * product's: for tests that play a later release's migration.
     */
    static SqliteDatabase open(Path dataDirectory, List<String> extraLocations) {
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Path file = dataDirectory.resolve(FILE_NAME).toAbsolutePath();
        List<String> warnings = PrivateFiles.looser(dataDirectory, FILE_NAME);
        try {
            PrivateFiles.createDirectory(dataDirectory);
        } catch (IOException e) {
            throw new StoreException("cannot create the data directory " + dataDirectory, e);
        }
        try {
            PrivateFiles.createFile(file);
        } catch (IOException e) {
            throw new StoreException("cannot create the database file " + file, e);
        }
        SQLiteDataSource dataSource = dataSource(file);
        migrate(dataSource, file, extraLocations);
        Connection writer = null;
        Connection checkpointing = null;
        try {
            writer = dataSource.getConnection();
            try (Statement pragma = writer.createStatement()) {
                pragma.execute("PRAGMA wal_autocheckpoint = " + WRITER_CHECKPOINT_PAGES);
            }
            checkpointing = dataSource.getConnection();
            HikariDataSource readers = readerPool(dataSource);
            return new SqliteDatabase(
                    file, writer, readers, new WalCheckpointer(file, checkpointing, CHECKPOINT_DELAY), warnings);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(writer, e);
            closeQuietly(checkpointing, e);
            throw new StoreException("cannot open the database " + file, e);
        }
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    /**
     * What was found readable by others when the database was opened: the data directory looser than {@code
     * 0700}, or one of the database's files looser than {@code 0600}; each names the path. Empty when all is
     * private, or the file system has no POSIX permissions.
     */
    public List<String> permissionWarnings() {
        return permissionWarnings;
    }

    /**
     * Runs {@code work} as one write transaction: {@code BEGIN IMMEDIATE}, the work, {@code COMMIT};
     * rolled back when the work throws. Returns only after the commit, so a returned result is
     * durable.
     *
     * @throws StoreException when the database cannot be written
     */
    <T> T write(Work<T> work) {
        writeLock.lock();
        try {
            if (closed) {
                throw new StoreException("the database is closed: " + file, null);
            }
            writerStatement("BEGIN IMMEDIATE").execute();
            try {
                T result = work.run(this::writerStatement);
                writerStatement("COMMIT").execute();
                checkpointer.wrote();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback(e);
                throw e;
            }
        } catch (SQLException e) {
            discardStatements(e);
            throw new StoreException("cannot write to the database " + file, e);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * After a failed write, closes the writer's kept statements so that the next write prepares them afresh: the
     * driver may have closed some of them with the failure (seen after {@code SQLITE_FULL}), and a write that
     * keeps failing for that reason would never recover.
     */
    private void discardStatements(Exception cause) {
        for (PreparedStatement statement : writerStatements.values()) {
            try {
                statement.close();
            } catch (SQLException e) {
                cause.addSuppressed(e);
            }
        }
        writerStatements.clear();
    }

    /** The thread that checkpoints the write-ahead log, for tests. */
    WalCheckpointer checkpointer() {
        return checkpointer;
    }

    /** Whether {@link #close()} was called: every later write fails, for good. */
    boolean isClosed() {
        writeLock.lock();
        try {
            return closed;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Runs {@code work} on a reading connection. One statement sees one consistent snapshot.
     *
     * @throws StoreException when the database cannot be read
     */
    <T> T read(Work<T> work) {
        List<PreparedStatement> prepared = new ArrayList<>(2);
        try (Connection connection = readers.getConnection()) {
            try {
                return work.run(sql -> {
                    PreparedStatement statement = connection.prepareStatement(sql);
                    prepared.add(statement);
                    return statement;
                });
            } finally {
                for (PreparedStatement statement : prepared) {
                    statement.close();
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read the database " + file, e);
        }
    }

    /**
     * Runs the statements of adapters shared with PostgreSQL ({@code store.jdbc}): each read on a reading
     * connection, each write as a write transaction of its own on the writer.
     */
    StatementRunner statements() {
        return new StatementRunner() {
            @Override
            public <T> T read(String sql, StatementRunner.Work<T> work) {
                return SqliteDatabase.this.read(statements -> work.run(statements.prepare(sql)));
            }

            @Override
            public <T> T write(String sql, StatementRunner.Work<T> work) {
                return SqliteDatabase.this.write(statements -> work.run(statements.prepare(sql)));
            }
        };
    }

    /** Closes the connections; a write in progress completes first. */
    @Override
    public void close() {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            checkpointer.close();
            readers.close();
            for (PreparedStatement statement : writerStatements.values()) {
                statement.close();
            }
            writer.close();
        } catch (SQLException e) {
            throw new StoreException("cannot close the database " + file, e);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * An instant as the epoch milliseconds the schema keeps, rounded up: the smallest whole millisecond at or
     * after it. For a stored millisecond {@code t}, {@code t >= instant} exactly when {@code t >=
     * ceilingMillis(instant)}, and likewise for {@code <}.
     */
    static long ceilingMillis(Instant instant) {
        return Instants.ceilingMillis(instant);
    }

    private PreparedStatement writerStatement(String sql) throws SQLException {
        PreparedStatement statement = writerStatements.get(sql);
        if (statement == null) {
            statement = writer.prepareStatement(sql);
            writerStatements.put(sql, statement);
        }
        return statement;
    }

    private void rollback(Exception cause) {
        try {
            writerStatement("ROLLBACK").execute();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static SQLiteDataSource dataSource(Path file) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        config.enforceForeignKeys(true);
        config.setGetGeneratedKeys(false);
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + file);
        return dataSource;
    }

    /**
     * Migrates the schema with Flyway. Before it applies a migration to a database that has a schema, it takes a
     * consistent copy with {@code VACUUM INTO} beside the database, named with both versions, e.g. {@code
     * innolicense-v7-before-v8.db}: the way back when the new release has to be rolled back (docs/operations.md).
     * It refuses a database whose schema is newer than every migration it knows: a later release wrote it.
     */
    private static void migrate(SQLiteDataSource dataSource, Path file, List<String> extraLocations) {
        List<String> locations = new ArrayList<>(List.of(MIGRATIONS));
        locations.addAll(extraLocations);
        Flyway flyway;
        MigrationInfoService info;
        try {
            flyway = Flyway.configure(SqliteDatabase.class.getClassLoader())
                    .dataSource(dataSource)
                    .locations(locations.toArray(String[]::new))
                    .load();
            info = flyway.info();
        } catch (RuntimeException e) {
            throw new StoreException("cannot read the schema version of the database " + file, e);
        }
        MigrationInfo current = info.current();
        Optional<MigrationVersion> newestKnown = Arrays.stream(info.all())
                .filter(migration -> migration.getState().isResolved())
                .map(MigrationInfo::getVersion)
                .max(MigrationVersion::compareTo);
        if (current != null && newestKnown.isPresent() && current.getVersion().compareTo(newestKnown.get()) > 0) {
            throw new StoreException(
                    "the database " + file + " has schema version " + current.getVersion()
                            + ", newer than this innolicense knows (up to version " + newestKnown.get()
                            + "): a later release has upgraded it. Run that release again, or roll back by"
                            + " restoring the backup it took before upgrading (innolicense-v" + newestKnown.get()
                            + "-before-v" + current.getVersion() + ".db in the data directory; see"
                            + " docs/operations.md#upgrade-and-rollback)",
                    null);
        }
        SkippedMigrations.refuse(file.toString(), info, "a data directory made by a release (restore a backup of one)");
        if (current != null && info.pending().length > 0) {
            backUp(dataSource, file, current.getVersion(), newestKnown.orElseThrow());
        }
        try {
            flyway.migrate();
        } catch (RuntimeException e) {
            throw new StoreException("cannot migrate the database " + dataSource.getUrl(), e);
        }
    }

    /** The backup taken before migrating from one schema version to another. */
    static Path backupFile(Path file, MigrationVersion from, MigrationVersion to) {
        return file.resolveSibling("innolicense-v" + from + "-before-v" + to + ".db");
    }

    private static void backUp(SQLiteDataSource dataSource, Path file, MigrationVersion from, MigrationVersion to) {
        Path backup = backupFile(file, from, to);
        if (Files.exists(backup)) {
            return; // taken by an earlier attempt at the same upgrade, before anything was migrated
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement vacuum = connection.prepareStatement("VACUUM INTO ?")) {
            vacuum.setString(1, backup.toString());
            vacuum.execute();
        } catch (SQLException e) {
            throw new StoreException(
                    "cannot back up the database to " + backup + " before upgrading it from schema version " + from
                            + " to " + to + "; nothing was changed (is the disk full?)",
                    e);
        }
    }

    private static HikariDataSource readerPool(SQLiteDataSource dataSource) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("innolicense-sqlite-readers");
        config.setDataSource(dataSource);
        config.setMaximumPoolSize(READERS);
        config.setConnectionInitSql("PRAGMA query_only = ON");
        return new HikariDataSource(config);
    }

    private static void closeQuietly(Connection connection, Exception cause) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                cause.addSuppressed(e);
            }
        }
    }

    /** Work done with prepared statements inside one transaction or on one reading connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Statements statements) throws SQLException;
    }

    /** Prepares statements; on the writer they are prepared once and kept. */
    @FunctionalInterface
    interface Statements {
        PreparedStatement prepare(String sql) throws SQLException;
    }
}
