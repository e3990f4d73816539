package com.anycontact.innolicense.store.postgres;

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
 * The minutes of seat use in the cluster database, table {@code usage_minute}. A save is one transaction: an
 * upsert per minute that merges with a stored minute of the same start, and the deletion of the minutes before
 * the retention. Each node saves the minutes it saw, so with several nodes a minute's counts are the sums of the
 * claims and denials each node answered; its maximum and capacity are the leader's (the other nodes write 0,
 * and the merge keeps the larger), see docs/cluster.md.
 */
public final class PostgresUsageStore implements UsageStore {

    private static final String UPSERT = """
            INSERT INTO usage_minute (minute, max_in_use, capacity, claims, denials, denied_agents)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (minute) DO UPDATE SET
              max_in_use = greatest(usage_minute.max_in_use, excluded.max_in_use),
              capacity = greatest(usage_minute.capacity, excluded.capacity),
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

    private static final String SAVE_AGENT =
            "INSERT INTO usage_agent (day_start, agent_id) VALUES (?, ?) ON CONFLICT DO NOTHING";

    private static final String DISTINCT_AGENTS =
            "SELECT count(DISTINCT agent_id) FROM usage_agent WHERE day_start >= ? AND day_start < ?";

    private static final String ANY_AGENT = "SELECT 1 FROM usage_agent WHERE day_start >= ? AND day_start < ? LIMIT 1";

    private static final String DROP_AGENTS = "DELETE FROM usage_agent WHERE day_start < ?";

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
                    upsert.setInt(6, minute.deniedAgents());
                    upsert.setInt(6, minute.deniedAgents());
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
                                rows.getInt(5),
                                rows.getInt(6)));
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

    @Override
    public void saveAggregates(UsageAggregate.Level level, List<UsageAggregate> aggregates, LocalDate dropBefore) {
        Objects.requireNonNull(aggregates, "aggregates");
        String table = table(level);
        database.transaction(connection -> {
            try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO " + table + " ("
                    + AGGREGATE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (day_start) DO UPDATE"
                    + " SET zone = excluded.zone, minutes_recorded = excluded.minutes_recorded,"
                    + " peak_in_use = excluded.peak_in_use, minutes_at_peak = excluded.minutes_at_peak,"
                    + " minutes_at_capacity = excluded.minutes_at_capacity, capacity = excluded.capacity,"
                    + " claims = excluded.claims, denials = excluded.denials,"
                    + " distinct_agents = excluded.distinct_agents")) {
                for (UsageAggregate aggregate : aggregates) {
                    bind(upsert, aggregate);
                    upsert.executeUpdate();
                }
            }
            try (PreparedStatement delete =
                    connection.prepareStatement("DELETE FROM " + table + " WHERE day_start < ?")) {
                delete.setString(1, dropBefore.toString());
                delete.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<UsageAggregate> aggregates(UsageAggregate.Level level, LocalDate from, LocalDate to) {
        String table = table(level);
        return database.autoCommit(connection -> {
            List<UsageAggregate> aggregates = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT " + AGGREGATE_COLUMNS + " FROM " + table
                    + " WHERE day_start >= ? AND day_start < ? ORDER BY day_start")) {
                select.setString(1, from.toString());
                select.setString(2, to.toString());
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        aggregates.add(aggregate(rows));
                    }
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
        database.transaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(SAVE_AGENT)) {
                for (String agent : agents) {
                    insert.setString(1, day.toString());
                    insert.setString(2, agent);
                    insert.executeUpdate();
                }
            }
            return null;
        });
    }

    @Override
    public int distinctAgents(LocalDate from, LocalDate to) {
        return database.autoCommit(connection -> {
            try (PreparedStatement select = connection.prepareStatement(DISTINCT_AGENTS)) {
                select.setString(1, from.toString());
                select.setString(2, to.toString());
                try (ResultSet row = select.executeQuery()) {
                    row.next();
                    return row.getInt(1);
                }
            }
        });
    }

    @Override
    public boolean hasAgents(LocalDate from, LocalDate to) {
        return database.autoCommit(connection -> {
            try (PreparedStatement select = connection.prepareStatement(ANY_AGENT)) {
                select.setString(1, from.toString());
                select.setString(2, to.toString());
                try (ResultSet row = select.executeQuery()) {
                    return row.next();
                }
            }
        });
    }

    @Override
    public void dropAgents(LocalDate day) {
        database.transaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement(DROP_AGENTS)) {
                delete.setString(1, day.toString());
                delete.executeUpdate();
            }
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
