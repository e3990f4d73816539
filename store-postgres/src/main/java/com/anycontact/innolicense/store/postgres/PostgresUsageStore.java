package com.anycontact.innolicense.store.postgres;

import com.anycontact.innolicense.usage.UsageMinute;
import com.anycontact.innolicense.usage.UsageStore;
import com.anycontact.innolicense.usage.UsageTotals;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The minutes of seat use in the cluster database, table {@code usage_minute}. A save is one transaction: an
 * upsert per minute that merges with a stored minute of the same start, and the deletion of the minutes before
 * the retention. Each node saves the minutes it saw, so with several nodes a minute's counts are the sums of the
 * claims and denials each node answered; its maximum and capacity are the leader's (the other nodes write 0,
 * and the merge keeps the larger), see docs/cluster.md.
 */
public final class PostgresUsageStore implements UsageStore {

    private static final String UPSERT = """
            INSERT INTO usage_minute (minute, max_in_use, capacity, claims, denials) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (minute) DO UPDATE SET
              max_in_use = greatest(usage_minute.max_in_use, excluded.max_in_use),
              capacity = greatest(usage_minute.capacity, excluded.capacity),
              claims = usage_minute.claims + excluded.claims,
              denials = usage_minute.denials + excluded.denials""";

    private static final String DROP_BEFORE = "DELETE FROM usage_minute WHERE minute < ?";

    private static final String MINUTES = """
            SELECT minute, max_in_use, capacity, claims, denials FROM usage_minute
            WHERE minute >= ? AND minute < ? ORDER BY minute""";

    private static final String TOTALS = """
            SELECT coalesce(max(max_in_use), 0), coalesce(sum(claims), 0), coalesce(sum(denials), 0)
            FROM usage_minute WHERE minute >= ? AND minute < ?""";

    private final PostgresDatabase database;

    /** A store in the given database, which the caller opens and closes. */
    public PostgresUsageStore(PostgresDatabase database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    @Override
    public void save(List<UsageMinute> minutes, Instant dropBefore) {
        Objects.requireNonNull(minutes, "minutes");
        long drop = PostgresDatabase.ceilingMillis(dropBefore);
        database.transaction(connection -> {
            try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
                for (UsageMinute minute : minutes) {
                    upsert.setLong(1, minute.start().toEpochMilli());
                    upsert.setInt(2, minute.maxInUse());
                    upsert.setInt(3, minute.capacity());
                    upsert.setInt(4, minute.claims());
                    upsert.setInt(5, minute.denials());
                    upsert.executeUpdate();
                }
            }
            try (PreparedStatement delete = connection.prepareStatement(DROP_BEFORE)) {
                delete.setLong(1, drop);
                delete.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<UsageMinute> minutes(Instant from, Instant to) {
        long fromMillis = PostgresDatabase.ceilingMillis(from);
        long toMillis = PostgresDatabase.ceilingMillis(to);
        return database.autoCommit(connection -> {
            List<UsageMinute> minutes = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(MINUTES)) {
                select.setLong(1, fromMillis);
                select.setLong(2, toMillis);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        minutes.add(new UsageMinute(
                                Instant.ofEpochMilli(rows.getLong(1)),
                                rows.getInt(2),
                                rows.getInt(3),
                                rows.getInt(4),
                                rows.getInt(5)));
                    }
                }
            }
            return minutes;
        });
    }

    @Override
    public UsageTotals totals(Instant from, Instant to) {
        long fromMillis = PostgresDatabase.ceilingMillis(from);
        long toMillis = PostgresDatabase.ceilingMillis(to);
        return database.autoCommit(connection -> {
            try (PreparedStatement select = connection.prepareStatement(TOTALS)) {
                select.setLong(1, fromMillis);
                select.setLong(2, toMillis);
                try (ResultSet row = select.executeQuery()) {
                    row.next();
                    return new UsageTotals(row.getInt(1), row.getLong(2), row.getLong(3));
                }
            }
        });
    }
}
