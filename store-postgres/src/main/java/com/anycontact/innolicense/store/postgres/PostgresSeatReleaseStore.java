package com.anycontact.innolicense.store.postgres;

import com.anycontact.innolicense.store.jdbc.JdbcSeatReleaseStore;
import java.util.Objects;

/**
 * Force-releases in the cluster database, table {@code seat_release} (migration V5), read by every node; the SQL
 * is {@link JdbcSeatReleaseStore}'s, shared with SQLite.
 */
public final class PostgresSeatReleaseStore extends JdbcSeatReleaseStore {

    /** The store in the given database, which the caller opens and closes. */
    public PostgresSeatReleaseStore(PostgresDatabase database) {
        super(Objects.requireNonNull(database, "database").statements());
    }
}
