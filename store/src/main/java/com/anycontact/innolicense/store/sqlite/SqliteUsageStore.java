package com.anycontact.innolicense.store.sqlite;

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
 * The minutes of seat use in the embedded SQLite database, table {@code usage_minute}. A save is one write
 * transaction: an upsert per minute that merges with a stored minute of the same start, and the deletion of
 * the minutes before the retention. Reads are range scans of the primary key.
 */
public final class SqliteUsageStore implements UsageStore {

    private static final String UPSERT = """
            INSERT INTO usage_minute (minute, max_in_use, capacity, claims, denials) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (minute) DO UPDATE SET
              max_in_use = max(usage_minute.max_in_use, excluded.max_in_use),
              capacity = max(usage_minute.capacity, excluded.capacity),
              claims = usage_minute.claims + excluded.claims,
              denials = usage_minute.denials + excluded.denials""";

    private static final String DROP_BEFORE = "DELETE FROM usage_minute WHERE minute < ?";

    private static final String MINUTES = """
            SELECT minute, max_in_use, capacity, claims, denials FROM usage_minute
            WHERE minute >= ? AND minute < ? ORDER BY minute""";

    private static final String TOTALS = """
            SELECT coalesce(max(max_in_use), 0), coalesce(sum(claims), 0), coalesce(sum(denials), 0)
            FROM usage_minute WHERE minute >= ? AND minute < ?""";

    private final SqliteDatabase database;

    /** A store in the given database, which the caller opens and closes. */
    public SqliteUsageStore(SqliteDatabase database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    @Override
    public void save(List<UsageMinute> minutes, Instant dropBefore) {
        Objects.requireNonNull(minutes, "minutes");
        long drop = SqliteDatabase.ceilingMillis(dropBefore);
        database.write(sql -> {
            PreparedStatement upsert = sql.prepare(UPSERT);
            for (UsageMinute minute : minutes) {
                upsert.setLong(1, minute.start().toEpochMilli());
                upsert.setInt(2, minute.maxInUse());
                upsert.setInt(3, minute.capacity());
                upsert.setInt(4, minute.claims());
                upsert.setInt(5, minute.denials());
                upsert.executeUpdate();
            }
            PreparedStatement delete = sql.prepare(DROP_BEFORE);
            delete.setLong(1, drop);
            delete.executeUpdate();
            return null;
        });
    }

    @Override
    public List<UsageMinute> minutes(Instant from, Instant to) {
        long fromMillis = SqliteDatabase.ceilingMillis(from);
        long toMillis = SqliteDatabase.ceilingMillis(to);
        return database.read(sql -> {
            PreparedStatement select = sql.prepare(MINUTES);
            select.setLong(1, fromMillis);
            select.setLong(2, toMillis);
            List<UsageMinute> minutes = new ArrayList<>();
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
            return minutes;
        });
    }

    @Override
    public UsageTotals totals(Instant from, Instant to) {
        long fromMillis = SqliteDatabase.ceilingMillis(from);
        long toMillis = SqliteDatabase.ceilingMillis(to);
        return database.read(sql -> {
            PreparedStatement select = sql.prepare(TOTALS);
            select.setLong(1, fromMillis);
            select.setLong(2, toMillis);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return new UsageTotals(row.getInt(1), row.getLong(2), row.getLong(3));
            }
        });
    }
}
