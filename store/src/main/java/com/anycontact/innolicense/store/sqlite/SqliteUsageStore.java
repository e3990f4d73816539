package com.anycontact.innolicense.store.sqlite;

import com.anycontact.innolicense.usage.UsageAggregate;
import com.anycontact.innolicense.usage.UsageMinute;
import com.anycontact.innolicense.usage.UsageStore;
import com.anycontact.innolicense.usage.UsageTotals;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The minutes of seat use in the embedded SQLite database, table {@code usage_minute}. A save is one write
 * transaction: an upsert per minute that merges with a stored minute of the same start, and the deletion of
 * the minutes before the retention. Reads are range scans of the primary key.
 */
public final class SqliteUsageStore implements UsageStore {

    private static final String UPSERT = """
            INSERT INTO usage_minute (minute, max_in_use, capacity, claims, denials, denied_agents)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (minute) DO UPDATE SET
              max_in_use = max(usage_minute.max_in_use, excluded.max_in_use),
              capacity = max(usage_minute.capacity, excluded.capacity),
              claims = usage_minute.claims + excluded.claims,
              denials = usage_minute.denials + excluded.denials,
              denied_agents = usage_minute.denied_agents + excluded.denied_agents""";

    private static final String DROP_BEFORE = "DELETE FROM usage_minute WHERE minute < ?";

    private static final String MINUTES = """
            SELECT minute, max_in_use, capacity, claims, denials, denied_agents FROM usage_minute
            WHERE minute >= ? AND minute < ? ORDER BY minute""";

    private static final String TOTALS = """
            SELECT coalesce(max(max_in_use), 0), coalesce(sum(claims), 0), coalesce(sum(denials), 0)
            FROM usage_minute WHERE minute >= ? AND minute < ?""";

    private static final String AGGREGATE_COLUMNS = "day_start, zone, minutes_recorded, peak_in_use, minutes_at_peak,"
            + " minutes_at_capacity, capacity, claims, denials, distinct_agents";

    private static final String SAVE_AGENT = "INSERT OR IGNORE INTO usage_agent (day_start, agent_id) VALUES (?, ?)";

    private static final String DISTINCT_AGENTS =
            "SELECT count(DISTINCT agent_id) FROM usage_agent WHERE day_start >= ? AND day_start < ?";

    private static final String ANY_AGENT = "SELECT 1 FROM usage_agent WHERE day_start >= ? AND day_start < ? LIMIT 1";

    private static final String DROP_AGENTS = "DELETE FROM usage_agent WHERE day_start < ?";

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
                upsert.setInt(6, minute.deniedAgents());
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
                            rows.getInt(5),
                            rows.getInt(6)));
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

    @Override
    public void saveAggregates(UsageAggregate.Level level, List<UsageAggregate> aggregates, LocalDate dropBefore) {
        Objects.requireNonNull(aggregates, "aggregates");
        String table = table(level);
        database.write(sql -> {
            PreparedStatement upsert = sql.prepare("INSERT OR REPLACE INTO " + table + " (" + AGGREGATE_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            for (UsageAggregate aggregate : aggregates) {
                bind(upsert, aggregate);
                upsert.executeUpdate();
            }
            PreparedStatement delete = sql.prepare("DELETE FROM " + table + " WHERE day_start < ?");
            delete.setString(1, dropBefore.toString());
            delete.executeUpdate();
            return null;
        });
    }

    @Override
    public List<UsageAggregate> aggregates(UsageAggregate.Level level, LocalDate from, LocalDate to) {
        String table = table(level);
        return database.read(sql -> {
            PreparedStatement select = sql.prepare("SELECT " + AGGREGATE_COLUMNS + " FROM " + table
                    + " WHERE day_start >= ? AND day_start < ? ORDER BY day_start");
            select.setString(1, from.toString());
            select.setString(2, to.toString());
            List<UsageAggregate> aggregates = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    aggregates.add(aggregate(rows));
                }
            }
            return aggregates;
        });
    }

    @Override
    public void saveAgents(LocalDate day, Collection<String> agents) {
        if (agents.isEmpty()) {
            return;
        }
        database.write(sql -> {
            PreparedStatement insert = sql.prepare(SAVE_AGENT);
            for (String agent : agents) {
                insert.setString(1, day.toString());
                insert.setString(2, agent);
                insert.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public int distinctAgents(LocalDate from, LocalDate to) {
        return database.read(sql -> {
            PreparedStatement select = sql.prepare(DISTINCT_AGENTS);
            select.setString(1, from.toString());
            select.setString(2, to.toString());
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        });
    }

    @Override
    public boolean hasAgents(LocalDate from, LocalDate to) {
        return database.read(sql -> {
            PreparedStatement select = sql.prepare(ANY_AGENT);
            select.setString(1, from.toString());
            select.setString(2, to.toString());
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        });
    }

    @Override
    public void dropAgents(LocalDate day) {
        database.write(sql -> {
            PreparedStatement delete = sql.prepare(DROP_AGENTS);
            delete.setString(1, day.toString());
            delete.executeUpdate();
            return null;
        });
    }

    private static String table(UsageAggregate.Level level) {
        return switch (level) {
            case DAY -> "usage_day";
            case MONTH -> "usage_month";
        };
    }

    private static void bind(PreparedStatement upsert, UsageAggregate aggregate) throws java.sql.SQLException {
        upsert.setString(1, aggregate.first().toString());
        upsert.setString(2, aggregate.zone().getId());
        upsert.setInt(3, aggregate.minutesRecorded());
        upsert.setInt(4, aggregate.peakInUse());
        upsert.setInt(5, aggregate.minutesAtPeak());
        upsert.setInt(6, aggregate.minutesAtCapacity());
        upsert.setInt(7, aggregate.capacity());
        upsert.setLong(8, aggregate.claims());
        upsert.setLong(9, aggregate.denials());
        if (aggregate.distinctAgents() == null) {
            upsert.setNull(10, java.sql.Types.INTEGER);
        } else {
            upsert.setInt(10, aggregate.distinctAgents());
        }
    }

    private static UsageAggregate aggregate(ResultSet row) throws java.sql.SQLException {
        int agents = row.getInt(10);
        Integer distinctAgents = row.wasNull() ? null : agents;
        return new UsageAggregate(
                LocalDate.parse(row.getString(1)),
                ZoneId.of(row.getString(2)),
                row.getInt(3),
                row.getInt(4),
                row.getInt(5),
                row.getInt(6),
                row.getInt(7),
                row.getLong(8),
                row.getLong(9),
                distinctAgents);
    }
}
