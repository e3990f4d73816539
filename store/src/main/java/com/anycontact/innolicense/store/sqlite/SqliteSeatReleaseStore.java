package com.anycontact.innolicense.store.sqlite;

import com.anycontact.innolicense.store.jdbc.JdbcSeatReleaseStore;
import java.util.Objects;

/**
 * Force-releases in the embedded SQLite database, table {@code seat_release} (migration V15); the SQL is {@link
 * JdbcSeatReleaseStore}'s, shared with PostgreSQL.
 */
public final class SqliteSeatReleaseStore extends JdbcSeatReleaseStore {

    /** The store in the given database, which the caller opens and closes. */
    public SqliteSeatReleaseStore(SqliteDatabase database) {
        super(Objects.requireNonNull(database, "database").statements());
    }
}
