package com.anycontact.innolicense.store.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Copies the write-ahead log into the database file on a thread and connection of its own, so that the
 * writer does not. Left to itself, SQLite checkpoints inside the commit that grows the log past 1,000 pages
 * (about 4 MiB): that commit then copies the pages and syncs the log and the file to the disk, several
 * milliseconds during which every claim and release in the server waits for the writer. Here a {@code
 * PRAGMA wal_checkpoint(PASSIVE)} runs a short while after a write, beside the writer, never waiting for it
 * nor making it wait; the writer checkpoints itself only when the log has grown far past that ({@link
 * SqliteDatabase#WRITER_CHECKPOINT_PAGES}), which is also what lets the log file start over from its
 * beginning (a checkpoint beside a writer that keeps writing never copies the frames written meanwhile).
 *
 * <p>Durability is unchanged: a commit is in the log when it returns, whoever copies it on. Idle, the thread
 * sleeps until the next write. A failed checkpoint (a full disk) is logged once and tried again after the
 * next write; the writer's own checkpoints remain as a backstop.
 */
final class WalCheckpointer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(WalCheckpointer.class.getName());

    private final Path file;
    private final Connection connection;
    private final long delayNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition written = lock.newCondition();
    private final AtomicLong checkpoints = new AtomicLong();
    private final Thread thread;

    // written under lock
    private volatile boolean pending;
    private boolean closed;

    // the checkpointing thread only
    private boolean failing;

    /**
     * Starts checkpointing on its own thread.
     *
     * @param file the database file, for the log
     * @param connection a connection of its own, which this closes
     * @param delay how long after a write the log is checkpointed; writes meanwhile share the checkpoint
     */
    WalCheckpointer(Path file, Connection connection, Duration delay) {
        this.file = file;
        this.connection = connection;
        this.delayNanos = delay.toNanos();
        this.thread = Thread.ofPlatform()
                .name("innolicense-wal-checkpointer")
                .daemon(true)
                .start(this::run);
    }

    /** Tells the checkpointer that a transaction was committed; cheap, called after every commit. */
    void wrote() {
        if (pending) {
            return; // read without the lock: at worst a write is signalled twice
        }
        lock.lock();
        try {
            pending = true;
            written.signal();
        } finally {
            lock.unlock();
        }
    }

    /** How many checkpoints have run, for tests. */
    long checkpoints() {
        return checkpoints.get();
    }

    /** Whether the thread still runs, for tests. */
    boolean isRunning() {
        return thread.isAlive();
    }

    private void run() {
        while (awaitWrite()) {
            try (Statement statement = connection.createStatement();
                    ResultSet result = statement.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
                result.next();
                checkpoints.incrementAndGet();
                if (failing) {
                    failing = false;
                    LOG.log(System.Logger.Level.INFO, "checkpoints of the write-ahead log of " + file + " work again");
                }
            } catch (SQLException | RuntimeException e) {
                if (!failing) {
                    failing = true;
                    LOG.log(
                            System.Logger.Level.WARNING,
                            "cannot checkpoint the write-ahead log of " + file + " (is the disk full?); the writer"
                                    + " checkpoints it itself once it grows, and this tries again after the next write",
                            e);
                }
            }
        }
    }

    /** Waits for a write, then for the delay; {@code false} once closed. */
    private boolean awaitWrite() {
        lock.lock();
        try {
            while (!pending && !closed) {
                written.awaitUninterruptibly();
            }
            long left = delayNanos;
            while (left > 0 && !closed) {
                left = written.awaitNanos(left);
            }
            pending = false;
            return !closed;
        } catch (InterruptedException e) {
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Stops the thread, after the checkpoint it is running, and closes its connection. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            written.signal();
        } finally {
            lock.unlock();
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(1));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot close the checkpointing connection of " + file, e);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
