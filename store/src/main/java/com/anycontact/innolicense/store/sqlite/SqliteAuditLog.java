package com.anycontact.innolicense.store.sqlite;

import com.anycontact.innolicense.audit.AuditChain;
import com.anycontact.innolicense.audit.AuditChainReport;
import com.anycontact.innolicense.audit.AuditEvent;
import com.anycontact.innolicense.audit.AuditLog;
import com.anycontact.innolicense.audit.AuditQuery;
import com.anycontact.innolicense.store.StoreException;
import com.anycontact.innolicense.text.SafeText;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The audit log in the embedded SQLite database, table {@code audit_event}. Append-only: this class only
 * inserts and selects, and triggers in the schema refuse any UPDATE or DELETE. Events are ordered by their
 * ID, which SQLite assigns and never reuses. Instants are kept as epoch milliseconds: {@code at} loses
 * anything finer, and query bounds are compared so that {@code from} and {@code to} mean the same as for
 * the exact instants.
 *
 * <p>Group commit: callers recording at the same time share one write transaction. The first caller to find
 * no write in progress writes every event queued so far, its own included; those arriving meanwhile queue
 * for the next transaction, which one of them writes when it ends. Each caller returns only after the
 * transaction holding its event has committed, so an event is durable when {@link #record} returns, and
 * events get IDs in the order they were queued. A burst of denials at a shift start (each one audited)
 * then costs a transaction per burst instead of one per denial on the database's single writer.
 *
 * <p>Recording later ({@link #recordLater}): the event joins the same queue and the caller returns at once; a
 * writer thread of this log (started when something is queued, gone after a second without work) writes the
 * queued batches as above. The event is durable once its batch commits, usually within a transaction's time
 * of the call; a crash of the process before that loses it. {@link #find} and {@link #verifyChain} first wait
 * for everything queued before them, so a reader never misses an event recorded before it asked, and {@link
 * #close} writes what is queued before the database closes.
 *
 * <p>Hash chain ({@link AuditChain}): the transaction of a batch reads the chain head ({@code audit_chain}), gives
 * each event the next ID, the head's hash as its previous hash and its own hash, and moves the head to the last,
 * all in one transaction; SQLite's single writer orders batches, so the chain is the order of IDs.
 *
 * <p>Actor and detail are stored escaped ({@link SafeText#escape}), so that not even a raw look at the file
 * shows a control character or a bidi override that came in with a rejected key or a typed username.
 */
public final class SqliteAuditLog implements AuditLog, AutoCloseable {

    private static final String RECORD =
            "INSERT INTO audit_event (id, at, actor, type, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)";
    private static final String HEAD = "SELECT head_id, head_hash FROM audit_chain WHERE id = 1";
    private static final String ANCHOR = "SELECT anchor_id, anchor_hash FROM audit_chain WHERE id = 1";
    private static final String MOVE_HEAD = "UPDATE audit_chain SET head_id = ?, head_hash = ? WHERE id = 1";
    private static final String CHAINED = """
            SELECT id, at, actor, type, detail, prev_hash, hash FROM audit_event WHERE id > ? ORDER BY id LIMIT ?""";

    private final SqliteDatabase database;
    private final ReentrantLock queue = new ReentrantLock();
    private final Condition written = queue.newCondition();
    private final AtomicLong transactions = new AtomicLong();

    private final ThreadPoolExecutor writer = new ThreadPoolExecutor(
            0,
            1,
            1,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            Thread.ofPlatform().name("innolicense-audit-writer").daemon(true).factory());

    // guarded by queue
    private Batch open = new Batch();
    private Batch beingWritten;
    private boolean writing;
    private boolean draining;

    /** A log in the given database, which the caller opens and closes. */
    public SqliteAuditLog(SqliteDatabase database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    @Override
    public void record(Instant at, String actor, AuditEvent.Type type, String detail) {
        Batch mine;
        queue.lock();
        try {
            mine = enqueue(at, actor, type, detail);
            awaitWritten(mine);
        } finally {
            queue.unlock();
        }
        if (mine.failure != null) {
            throw new StoreException(mine.failure.getMessage(), mine.failure);
        }
    }

    /**
     * Queues the event for the next transaction, which this log's writer thread writes (unless a caller of
     * {@link #record} writes it first), and returns at once.
     */
    @Override
    public CompletableFuture<Void> recordLater(Instant at, String actor, AuditEvent.Type type, String detail) {
        Batch mine;
        boolean startWriter;
        queue.lock();
        try {
            mine = enqueue(at, actor, type, detail);
            startWriter = !draining;
            draining = true;
        } finally {
            queue.unlock();
        }
        if (startWriter) {
            try {
                writer.execute(this::drain);
            } catch (RejectedExecutionException e) {
                // closed: the caller writes it, as record would
                drain();
            }
        }
        return mine.committed.copy();
    }

    private Batch enqueue(Instant at, String actor, AuditEvent.Type type, String detail) {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(detail, "detail");
        if (actor.isBlank()) {
            throw new IllegalArgumentException("actor must not be blank");
        }
        open.events.add(new Pending(at.toEpochMilli(), SafeText.escape(actor), type.name(), SafeText.escape(detail)));
        return open;
    }

    /** The writer's turn: writes batches until none is queued; the queue's lock is taken here. */
    private void drain() {
        queue.lock();
        try {
            while (!open.events.isEmpty()) {
                if (writing) {
                    written.awaitUninterruptibly();
                } else {
                    writeOpenBatch();
                }
            }
            draining = false;
        } finally {
            queue.unlock();
        }
    }

    /** Waits, with the queue's lock held, until the batch is written, writing it when no one else is. */
    private void awaitWritten(Batch batch) {
        while (batch != null && !batch.done) {
            if (!writing && batch == open) {
                writeOpenBatch();
            } else {
                written.awaitUninterruptibly();
            }
        }
    }

    /** Waits until every event queued so far, by {@link #recordLater} too, is written; before a read. */
    private void awaitQueued() {
        queue.lock();
        try {
            awaitWritten(open.events.isEmpty() ? beingWritten : open);
        } finally {
            queue.unlock();
        }
    }

    /**
     * Writes what is queued and stops the writer thread. Events recorded afterwards are written by their
     * callers; the database is the caller's to close, after this.
     */
    @Override
    public void close() {
        writer.shutdown();
        awaitQueued();
        boolean interrupted = false;
        while (true) {
            try {
                if (writer.awaitTermination(1, TimeUnit.MINUTES)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Writes the open batch in one transaction and marks it done; with the queue's lock held, which is let go
     * while writing and while the batch's future is completed.
     */
    private void writeOpenBatch() {
        Batch batch = open;
        open = new Batch();
        writing = true;
        beingWritten = batch;
        RuntimeException failure = null;
        queue.unlock();
        try {
            database.write(sql -> {
                AuditChain.Link head;
                try (ResultSet row = sql.prepare(HEAD).executeQuery()) {
                    row.next();
                    head = new AuditChain.Link(row.getLong(1), row.getString(2));
                }
                long id = head.id();
                String previous = head.hash();
                PreparedStatement insert = sql.prepare(RECORD);
                for (Pending event : batch.events) {
                    id++;
                    String hash = AuditChain.hash(
                            id, event.atMillis(), event.actor(), event.type(), event.detail(), previous);
                    insert.setLong(1, id);
                    insert.setLong(2, event.atMillis());
                    insert.setString(3, event.actor());
                    insert.setString(4, event.type());
                    insert.setString(5, event.detail());
                    insert.setString(6, previous);
                    insert.setString(7, hash);
                    insert.addBatch();
                    previous = hash;
                }
                insert.executeBatch();
                PreparedStatement move = sql.prepare(MOVE_HEAD);
                move.setLong(1, id);
                move.setString(2, previous);
                move.executeUpdate();
                return null;
            });
            transactions.incrementAndGet();
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            queue.lock();
            writing = false;
            beingWritten = null;
            batch.failure = failure;
            batch.done = true;
            written.signalAll();
        }
        // outside the lock: what depends on the future may record again
        queue.unlock();
        try {
            if (failure == null) {
                batch.committed.complete(null);
            } else {
                batch.committed.completeExceptionally(failure);
            }
        } finally {
            queue.lock();
        }
    }

    /** The write transactions this log has committed, for tests. */
    long transactions() {
        return transactions.get();
    }

    /** The events queued for the next transaction, for tests. */
    int queued() {
        queue.lock();
        try {
            return open.events.size();
        } finally {
            queue.unlock();
        }
    }

    /** An event waiting for its transaction. */
    private record Pending(long atMillis, String actor, String type, String detail) {}

    /** The events of one transaction; guarded by the queue's lock. */
    private static final class Batch {
        final List<Pending> events = new ArrayList<>();
        final CompletableFuture<Void> committed = new CompletableFuture<>();
        boolean done;
        RuntimeException failure;
    }

    /**
     * Checks the hash chain from the archive anchor to the head. Reads page by page on the reading connections,
     * so that recording goes on meanwhile; see {@link AuditChain#verify}.
     */
    @Override
    public AuditChainReport verifyChain() {
        awaitQueued();
        return AuditChain.verify(new AuditChain.Source() {
            @Override
            public AuditChain.Link anchor() {
                return link(ANCHOR);
            }

            @Override
            public AuditChain.Link head() {
                return link(HEAD);
            }

            @Override
            public List<AuditChain.Entry> after(long afterId, int limit) {
                return database.read(sql -> {
                    PreparedStatement select = sql.prepare(CHAINED);
                    select.setLong(1, afterId);
                    select.setInt(2, limit);
                    List<AuditChain.Entry> entries = new ArrayList<>();
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            entries.add(new AuditChain.Entry(
                                    rows.getLong(1),
                                    rows.getLong(2),
                                    rows.getString(3),
                                    rows.getString(4),
                                    rows.getString(5),
                                    rows.getString(6),
                                    rows.getString(7)));
                        }
                    }
                    return entries;
                });
            }
        });
    }

    private AuditChain.Link link(String query) {
        return database.read(sql -> {
            try (ResultSet row = sql.prepare(query).executeQuery()) {
                row.next();
                return new AuditChain.Link(row.getLong(1), row.getString(2));
            }
        });
    }

    @Override
    public List<AuditEvent> find(AuditQuery query) {
        Objects.requireNonNull(query, "query");
        awaitQueued();
        StringBuilder select = new StringBuilder("SELECT id, at, actor, type, detail FROM audit_event WHERE 1 = 1");
        List<Object> parameters = new ArrayList<>();
        query.type().ifPresent(type -> {
            select.append(" AND type = ?");
            parameters.add(type.name());
        });
        query.actor().ifPresent(actor -> {
            select.append(" AND actor = ?");
            parameters.add(actor);
        });
        query.from().ifPresent(from -> {
            select.append(" AND at >= ?");
            parameters.add(SqliteDatabase.ceilingMillis(from));
        });
        query.to().ifPresent(to -> {
            select.append(" AND at < ?");
            parameters.add(SqliteDatabase.ceilingMillis(to));
        });
        query.beforeId().ifPresent(id -> {
            select.append(" AND id < ?");
            parameters.add(id);
        });
        select.append(" ORDER BY id DESC LIMIT ?");
        parameters.add(query.limit());
        return database.read(sql -> {
            PreparedStatement statement = sql.prepare(select.toString());
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, parameters.get(i));
            }
            List<AuditEvent> events = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    events.add(new AuditEvent(
                            rows.getLong(1),
                            Instant.ofEpochMilli(rows.getLong(2)),
                            rows.getString(3),
                            AuditEvent.Type.valueOf(rows.getString(4)),
                            rows.getString(5)));
                }
            }
            return events;
        });
    }
}
