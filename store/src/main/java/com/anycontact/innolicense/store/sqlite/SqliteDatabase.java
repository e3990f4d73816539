package com.anycontact.innolicense.store.sqlite;

import com.anycontact.innolicense.store.PrivateFiles;
import com.anycontact.innolicense.store.StoreException;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;
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
 * last checkpoint, but never corrupts the file.
 *
 * <p>Concurrency: all writes go through one dedicated connection, one transaction at a time,
 * under a lock; each write transaction starts with {@code BEGIN IMMEDIATE}, which takes SQLite's
 * write lock before its first read. Reads use a small pool of other connections: in WAL mode a
 * reader sees the last committed state and neither waits for the writer nor holds it up.
 */
public final class SqliteDatabase implements AutoCloseable {

    /** The name of the database file in the data directory. */
    public static final String FILE_NAME = "innolicense.db";

    private static final int BUSY_TIMEOUT_MILLIS = 5_000;
    private static final int READERS = 4;

    private final Path file;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Connection writer;
    private final Map<String, PreparedStatement> writerStatements = new HashMap<>();
    private final HikariDataSource readers;
    private boolean closed;

    private final List<String> permissionWarnings;

    private SqliteDatabase(Path file, Connection writer, HikariDataSource readers, List<String> permissionWarnings) {
        this.file = file;
        this.permissionWarnings = List.copyOf(permissionWarnings);
        this.writer = writer;
        this.readers = readers;
    }

    /**
     * Opens the database in the data directory, creating the directory ({@code 0700}) and the file
     * ({@code 0600}; SQLite gives its {@code -wal} and {@code -shm} files the same mode) if needed,
     * and migrates it to the current schema. Existing files are not changed; {@link
     * #permissionWarnings()} names those that others can read.
     *
     * @throws StoreException when the file cannot be opened or migrated
     */
    public static SqliteDatabase open(Path dataDirectory) {
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
        migrate(dataSource);
        Connection writer = null;
        try {
            writer = dataSource.getConnection();
            return new SqliteDatabase(file, writer, readerPool(dataSource), warnings);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(writer, e);
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

    /** Closes the connections; a write in progress completes first. */
    @Override
    public void close() {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
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
        long floor = instant.toEpochMilli();
        return instant.getNano() % 1_000_000 == 0 ? floor : floor + 1;
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

    private static void migrate(SQLiteDataSource dataSource) {
        try {
            Flyway.configure(SqliteDatabase.class.getClassLoader())
                    .dataSource(dataSource)
                    .locations("classpath:db/migration/sqlite")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            throw new StoreException("cannot migrate the database " + dataSource.getUrl(), e);
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
