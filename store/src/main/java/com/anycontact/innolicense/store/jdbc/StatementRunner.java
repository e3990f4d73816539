package com.anycontact.innolicense.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * How an adapter whose SQL both databases understand runs one statement: on the embedded SQLite database (reads
 * on a reading connection, writes on its one writer, in a transaction of their own) or on the cluster's
 * PostgreSQL (a pooled connection with auto-commit). The shared adapter writes its SQL and row mapping once
 * against this; how connections are held, statements kept and failures reported stays with each database.
 */
public interface StatementRunner {

    /**
     * Prepares {@code sql} and runs {@code work} on it, reading only.
     *
     * @throws com.anycontact.innolicense.store.StoreException when the database cannot be read
     */
    <T> T read(String sql, Work<T> work);

    /**
     * Prepares {@code sql} and runs {@code work} on it as one write, durable when this returns.
     *
     * @throws com.anycontact.innolicense.store.StoreException when the database cannot be written
     */
    <T> T write(String sql, Work<T> work);

    /** Sets the parameters of a prepared statement, runs it and reads what it answers. */
    @FunctionalInterface
    interface Work<T> {
        T run(PreparedStatement statement) throws SQLException;
    }
}
