package com.anycontact.innolicense.store.sqlite;

import com.anycontact.innolicense.alert.Alert;
import com.anycontact.innolicense.alert.AlertRule;
import com.anycontact.innolicense.alert.AlertStore;
import com.anycontact.innolicense.alert.Delivery;
import com.anycontact.innolicense.alert.DeliveryAttempt;
import com.anycontact.innolicense.alert.RuleSetting;
import com.anycontact.innolicense.alert.SmtpSettings;
import com.anycontact.innolicense.alert.Subscription;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Alerts in the embedded SQLite database (tables {@code alert_*}, migrations V17 and V18). "Once per event" is the unique
 * index on {@code alert.event_key}: {@link #fire} inserts with {@code ON CONFLICT DO NOTHING}, inside the one
 * write transaction that also creates the deliveries, so an alert and its deliveries are kept together or not
 * at all.
 */
public final class SqliteAlertStore implements AlertStore {

    private static final String ALERT_COLUMNS = "a.id, a.event_key, a.rule, a.fired_at, a.summary, a.facts";
    private static final String SUBSCRIPTION_COLUMNS =
            "s.id, s.name, s.channel, s.target, s.created_at, s.created_by, s.rules";

    private static final String RULES = "SELECT rule, enabled, days, percent, minutes FROM alert_rule";
    private static final String SAVE_RULE = """
            INSERT INTO alert_rule (rule, enabled, days, percent, minutes, updated_at, updated_by)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (rule) DO UPDATE SET enabled = excluded.enabled, days = excluded.days,
                percent = excluded.percent, minutes = excluded.minutes, updated_at = excluded.updated_at,
                updated_by = excluded.updated_by""";
    private static final String INSERT_ALERT = """
            INSERT INTO alert (id, event_key, rule, fired_at, summary, facts) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (event_key) DO NOTHING""";
    private static final String INSERT_DELIVERIES = """
            INSERT INTO alert_delivery
                (id, alert_id, subscription_id, status, attempts, first_due_at, next_attempt_at, held_until)
            SELECT 'msg_' || ? || '_' || id, ?, id, 'PENDING', 0, ?, ?, NULL FROM alert_subscription
            WHERE rules IS NULL OR instr(',' || rules || ',', ',' || ? || ',') > 0""";
    private static final String PASS_GATE = """
            INSERT INTO alert_gate (name, last_at) VALUES (?, ?)
            ON CONFLICT (name) DO UPDATE SET last_at = excluded.last_at WHERE alert_gate.last_at <= ?""";
    private static final String START_EPISODE =
            "INSERT INTO alert_episode (name, since) VALUES (?, ?) ON CONFLICT (name) DO NOTHING";
    private static final String EPISODE = "SELECT since FROM alert_episode WHERE name = ?";
    private static final String END_EPISODE = "DELETE FROM alert_episode WHERE name = ?";
    private static final String RECENT = "SELECT " + ALERT_COLUMNS + " FROM alert a ORDER BY a.seq DESC LIMIT ?";
    private static final String CREATE_SUBSCRIPTION = """
            INSERT INTO alert_subscription (id, name, channel, target, secret, created_at, created_by, rules)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String SET_SUBSCRIPTION_RULES = "UPDATE alert_subscription SET rules = ? WHERE id = ?";
    private static final String SUBSCRIPTIONS =
            "SELECT " + SUBSCRIPTION_COLUMNS + " FROM alert_subscription s ORDER BY s.seq";
    private static final String SUBSCRIPTION =
            "SELECT " + SUBSCRIPTION_COLUMNS + " FROM alert_subscription s WHERE s.id = ?";
    private static final String SECRET = "SELECT secret FROM alert_subscription WHERE id = ?";
    private static final String DELETE_DELIVERIES = "DELETE FROM alert_delivery WHERE subscription_id = ?";
    private static final String DELETE_ATTEMPTS = "DELETE FROM alert_attempt WHERE subscription_id = ?";
    private static final String DELETE_SUBSCRIPTION = "DELETE FROM alert_subscription WHERE id = ?";
    private static final String DUE =
            "SELECT d.id, d.attempts, d.first_due_at, " + ALERT_COLUMNS + ", " + SUBSCRIPTION_COLUMNS + """
             FROM alert_delivery d
            JOIN alert a ON a.id = d.alert_id
            JOIN alert_subscription s ON s.id = d.subscription_id
            WHERE d.status = 'PENDING' AND d.next_attempt_at <= ? AND (d.held_until IS NULL OR d.held_until <= ?)
            ORDER BY d.next_attempt_at, d.id
            LIMIT ?""";
    private static final String HOLD = "UPDATE alert_delivery SET held_until = ? WHERE id = ?";
    private static final String LOG_ATTEMPT = """
            INSERT INTO alert_attempt (delivery_id, subscription_id, alert_id, rule, attempt, at, outcome, status_code,
                error, next_attempt_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String UPDATE_DELIVERY = """
            UPDATE alert_delivery SET status = ?, attempts = ?, next_attempt_at = COALESCE(?, next_attempt_at),
                held_until = NULL
            WHERE id = ? AND status = 'PENDING'""";
    private static final String ATTEMPTS = """
            SELECT delivery_id, subscription_id, alert_id, rule, attempt, at, outcome, status_code, error,
                next_attempt_at
            FROM alert_attempt WHERE subscription_id = ? ORDER BY seq DESC LIMIT ?""";
    private static final String PRUNE_ATTEMPTS = """
            DELETE FROM alert_attempt
            WHERE at < ? AND delivery_id NOT IN (SELECT id FROM alert_delivery WHERE status = 'PENDING')""";
    private static final String PRUNE_DELIVERIES =
            "DELETE FROM alert_delivery WHERE status <> 'PENDING' AND first_due_at < ?";
    private static final String PRUNE_ALERTS = """
            DELETE FROM alert
            WHERE fired_at < ?
              AND NOT EXISTS (SELECT 1 FROM alert_delivery d WHERE d.alert_id = alert.id)
              AND seq NOT IN (SELECT max(seq) FROM alert GROUP BY rule)""";
    private static final String SMTP = "SELECT host, port, security, username, sender, password FROM alert_smtp";
    private static final String SAVE_SMTP_KEEPING_PASSWORD = """
            INSERT INTO alert_smtp (id, host, port, security, username, password, sender) VALUES (1, ?, ?, ?, ?, NULL, ?)
            ON CONFLICT (id) DO UPDATE SET host = excluded.host, port = excluded.port, security = excluded.security,
                username = excluded.username, sender = excluded.sender""";
    private static final String SAVE_SMTP = """
            INSERT INTO alert_smtp (id, host, port, security, username, password, sender) VALUES (1, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET host = excluded.host, port = excluded.port, security = excluded.security,
                username = excluded.username, password = excluded.password, sender = excluded.sender""";

    private final SqliteDatabase database;

    /** A store in the given database, which the caller opens and closes. */
    public SqliteAlertStore(SqliteDatabase database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    @Override
    public List<RuleSetting> rules() {
        return database.read(sql -> {
            List<RuleSetting> settings = new ArrayList<>();
            try (ResultSet rows = sql.prepare(RULES).executeQuery()) {
                while (rows.next()) {
                    rule(rows.getString(1)).ifPresent(rule -> settings.add(setting(rule, rows)));
                }
            }
            return settings;
        });
    }

    @Override
    public void saveRule(RuleSetting setting, Instant at, String actor) {
        Objects.requireNonNull(setting, "setting");
        database.write(sql -> {
            PreparedStatement save = sql.prepare(SAVE_RULE);
            save.setString(1, setting.rule().name());
            save.setInt(2, setting.enabled() ? 1 : 0);
            save.setString(3, days(setting.days()));
            save.setInt(4, setting.percent());
            save.setInt(5, setting.minutes());
            save.setLong(6, at.toEpochMilli());
            save.setString(7, actor);
            return save.executeUpdate();
        });
    }

    @Override
    public boolean fire(Alert alert) {
        Objects.requireNonNull(alert, "alert");
        return database.write(sql -> insert(sql, alert));
    }

    @Override
    public boolean fireThrottled(Alert alert, String gate, Duration gap) {
        Objects.requireNonNull(alert, "alert");
        return database.write(sql -> {
            PreparedStatement pass = sql.prepare(PASS_GATE);
            pass.setString(1, gate);
            pass.setLong(2, alert.firedAt().toEpochMilli());
            pass.setLong(3, alert.firedAt().minus(gap).toEpochMilli());
            return pass.executeUpdate() == 1 && insert(sql, alert);
        });
    }

    private static boolean insert(SqliteDatabase.Statements sql, Alert alert) throws SQLException {
        PreparedStatement insert = sql.prepare(INSERT_ALERT);
        insert.setString(1, alert.id());
        insert.setString(2, alert.eventKey());
        insert.setString(3, alert.rule().name());
        insert.setLong(4, alert.firedAt().toEpochMilli());
        insert.setString(5, alert.summary());
        insert.setString(6, Alert.encodeFacts(alert.facts()));
        if (insert.executeUpdate() != 1) {
            return false;
        }
        PreparedStatement deliveries = sql.prepare(INSERT_DELIVERIES);
        deliveries.setString(1, alert.id());
        deliveries.setString(2, alert.id());
        deliveries.setLong(3, alert.firedAt().toEpochMilli());
        deliveries.setLong(4, alert.firedAt().toEpochMilli());
        deliveries.setString(5, alert.rule().name());
        deliveries.executeUpdate();
        return true;
    }

    @Override
    public Instant episodeSince(String name, Instant now) {
        return database.write(sql -> {
            PreparedStatement start = sql.prepare(START_EPISODE);
            start.setString(1, name);
            start.setLong(2, now.toEpochMilli());
            start.executeUpdate();
            PreparedStatement since = sql.prepare(EPISODE);
            since.setString(1, name);
            try (ResultSet row = since.executeQuery()) {
                row.next();
                return Instant.ofEpochMilli(row.getLong(1));
            }
        });
    }

    @Override
    public void endEpisode(String name) {
        database.write(sql -> {
            PreparedStatement end = sql.prepare(END_EPISODE);
            end.setString(1, name);
            return end.executeUpdate();
        });
    }

    @Override
    public List<Alert> recent(int limit) {
        return database.read(sql -> {
            PreparedStatement recent = sql.prepare(RECENT);
            recent.setInt(1, limit);
            List<Alert> alerts = new ArrayList<>();
            try (ResultSet rows = recent.executeQuery()) {
                while (rows.next()) {
                    alert(rows, 1).ifPresent(alerts::add);
                }
            }
            return alerts;
        });
    }

    @Override
    public void createSubscription(Subscription subscription, Optional<String> secret) {
        Objects.requireNonNull(subscription, "subscription");
        database.write(sql -> {
            PreparedStatement create = sql.prepare(CREATE_SUBSCRIPTION);
            create.setString(1, subscription.id());
            create.setString(2, subscription.name());
            create.setString(3, subscription.channel().name());
            create.setString(4, subscription.target());
            create.setString(5, secret.orElse(null));
            create.setLong(6, subscription.createdAt().toEpochMilli());
            create.setString(7, subscription.createdBy());
            create.setString(8, Subscription.encodeRules(subscription.rules()));
            return create.executeUpdate();
        });
    }

    @Override
    public boolean setSubscriptionRules(String id, Optional<Set<AlertRule>> rules) {
        Objects.requireNonNull(rules, "rules");
        return database.write(sql -> {
            PreparedStatement update = sql.prepare(SET_SUBSCRIPTION_RULES);
            update.setString(1, Subscription.encodeRules(rules));
            update.setString(2, id);
            return update.executeUpdate() == 1;
        });
    }

    @Override
    public List<Subscription> subscriptions() {
        return database.read(sql -> {
            List<Subscription> subscriptions = new ArrayList<>();
            try (ResultSet rows = sql.prepare(SUBSCRIPTIONS).executeQuery()) {
                while (rows.next()) {
                    subscriptions.add(subscription(rows, 1));
                }
            }
            return subscriptions;
        });
    }

    @Override
    public Optional<Subscription> subscription(String id) {
        return database.read(sql -> {
            PreparedStatement find = sql.prepare(SUBSCRIPTION);
            find.setString(1, id);
            try (ResultSet row = find.executeQuery()) {
                return row.next() ? Optional.of(subscription(row, 1)) : Optional.empty();
            }
        });
    }

    @Override
    public Optional<String> secret(String subscriptionId) {
        return database.read(sql -> {
            PreparedStatement find = sql.prepare(SECRET);
            find.setString(1, subscriptionId);
            try (ResultSet row = find.executeQuery()) {
                return row.next() ? Optional.ofNullable(row.getString(1)) : Optional.empty();
            }
        });
    }

    @Override
    public boolean deleteSubscription(String id) {
        return database.write(sql -> {
            for (String statement : List.of(DELETE_DELIVERIES, DELETE_ATTEMPTS)) {
                PreparedStatement delete = sql.prepare(statement);
                delete.setString(1, id);
                delete.executeUpdate();
            }
            PreparedStatement delete = sql.prepare(DELETE_SUBSCRIPTION);
            delete.setString(1, id);
            return delete.executeUpdate() == 1;
        });
    }

    @Override
    public List<Delivery> takeDue(Instant now, int limit, Duration hold) {
        return database.write(sql -> {
            PreparedStatement due = sql.prepare(DUE);
            long nowMillis = now.toEpochMilli();
            due.setLong(1, nowMillis);
            due.setLong(2, nowMillis);
            due.setInt(3, limit);
            List<Delivery> deliveries = new ArrayList<>();
            try (ResultSet rows = due.executeQuery()) {
                while (rows.next()) {
                    Optional<Alert> alert = alert(rows, 4);
                    if (alert.isPresent()) {
                        deliveries.add(new Delivery(
                                rows.getString(1),
                                alert.get(),
                                subscription(rows, 10),
                                rows.getInt(2),
                                Instant.ofEpochMilli(rows.getLong(3))));
                    }
                }
            }
            PreparedStatement held = sql.prepare(HOLD);
            for (Delivery delivery : deliveries) {
                held.setLong(1, now.plus(hold).toEpochMilli());
                held.setString(2, delivery.id());
                held.executeUpdate();
            }
            return deliveries;
        });
    }

    @Override
    public void recordAttempt(DeliveryAttempt attempt) {
        Objects.requireNonNull(attempt, "attempt");
        database.write(sql -> {
            PreparedStatement log = sql.prepare(LOG_ATTEMPT);
            log.setString(1, attempt.deliveryId());
            log.setString(2, attempt.subscriptionId());
            log.setString(3, attempt.alertId());
            log.setString(4, attempt.rule().name());
            log.setInt(5, attempt.attempt());
            log.setLong(6, attempt.at().toEpochMilli());
            log.setString(7, attempt.outcome().name());
            setOptionalInt(log, 8, attempt.statusCode());
            log.setString(9, attempt.error().orElse(null));
            setOptionalInstant(log, 10, attempt.nextAttemptAt());
            log.executeUpdate();
            PreparedStatement update = sql.prepare(UPDATE_DELIVERY);
            update.setString(1, deliveryStatus(attempt.outcome()));
            update.setInt(2, attempt.attempt());
            setOptionalInstant(update, 3, attempt.nextAttemptAt());
            update.setString(4, attempt.deliveryId());
            return update.executeUpdate();
        });
    }

    @Override
    public List<DeliveryAttempt> attempts(String subscriptionId, int limit) {
        return database.read(sql -> {
            PreparedStatement attempts = sql.prepare(ATTEMPTS);
            attempts.setString(1, subscriptionId);
            attempts.setInt(2, limit);
            List<DeliveryAttempt> log = new ArrayList<>();
            try (ResultSet rows = attempts.executeQuery()) {
                while (rows.next()) {
                    attempt(rows).ifPresent(log::add);
                }
            }
            return log;
        });
    }

    @Override
    public Optional<SmtpSettings> smtp() {
        return database.read(sql -> {
            try (ResultSet row = sql.prepare(SMTP).executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new SmtpSettings(
                        row.getString(1),
                        row.getInt(2),
                        SmtpSettings.Security.valueOf(row.getString(3)),
                        Optional.ofNullable(row.getString(4)),
                        row.getString(5),
                        row.getString(6) != null));
            }
        });
    }

    @Override
    public void saveSmtp(SmtpSettings settings, Optional<String> password) {
        Objects.requireNonNull(settings, "settings");
        database.write(sql -> {
            PreparedStatement save = sql.prepare(password.isPresent() ? SAVE_SMTP : SAVE_SMTP_KEEPING_PASSWORD);
            save.setString(1, settings.host());
            save.setInt(2, settings.port());
            save.setString(3, settings.security().name());
            save.setString(4, settings.username().orElse(null));
            if (password.isPresent()) {
                save.setString(5, password.get().isEmpty() ? null : password.get());
                save.setString(6, settings.from());
            } else {
                save.setString(5, settings.from());
            }
            return save.executeUpdate();
        });
    }

    @Override
    public Optional<String> smtpPassword() {
        return database.read(sql -> {
            try (ResultSet row = sql.prepare(SMTP).executeQuery()) {
                return row.next() ? Optional.ofNullable(row.getString(6)) : Optional.empty();
            }
        });
    }

    @Override
    public Pruned prune(Instant before) {
        long millis = before.toEpochMilli();
        return database.write(sql -> {
            int[] removed = new int[3];
            List<String> statements = List.of(PRUNE_ATTEMPTS, PRUNE_DELIVERIES, PRUNE_ALERTS);
            for (int i = 0; i < statements.size(); i++) {
                PreparedStatement delete = sql.prepare(statements.get(i));
                delete.setLong(1, millis);
                removed[i] = delete.executeUpdate();
            }
            return new Pruned(removed[2], removed[1], removed[0]);
        });
    }

    /** The status a delivery takes after an attempt with this outcome. */
    static String deliveryStatus(DeliveryAttempt.Outcome outcome) {
        return switch (outcome) {
            case DELIVERED -> "DELIVERED";
            case FAILED -> "PENDING";
            case GAVE_UP -> "GAVE_UP";
        };
    }

    private static Optional<AlertRule> rule(String name) {
        try {
            return Optional.of(AlertRule.valueOf(name));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // written by a newer release
        }
    }

    private static RuleSetting setting(AlertRule rule, ResultSet row) {
        try {
            return new RuleSetting(rule, row.getInt(2) == 1, parseDays(row.getString(3)), row.getInt(4), row.getInt(5));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The days as the {@code days} column keeps them: {@code 30,14,7,1}. */
    static String days(List<Integer> days) {
        return days.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /** The days the {@code days} column holds. */
    static List<Integer> parseDays(String text) {
        return Arrays.stream(text.split(","))
                .map(String::strip)
                .map(Integer::valueOf)
                .toList();
    }

    private static Optional<Alert> alert(ResultSet row, int first) throws SQLException {
        Optional<AlertRule> rule = rule(row.getString(first + 2));
        if (rule.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Alert(
                row.getString(first),
                row.getString(first + 1),
                rule.get(),
                Instant.ofEpochMilli(row.getLong(first + 3)),
                row.getString(first + 4),
                Alert.decodeFacts(row.getString(first + 5))));
    }

    private static Subscription subscription(ResultSet row, int first) throws SQLException {
        return new Subscription(
                row.getString(first),
                row.getString(first + 1),
                Subscription.Channel.valueOf(row.getString(first + 2)),
                row.getString(first + 3),
                Instant.ofEpochMilli(row.getLong(first + 4)),
                row.getString(first + 5),
                Subscription.decodeRules(row.getString(first + 6)));
    }

    private static Optional<DeliveryAttempt> attempt(ResultSet row) throws SQLException {
        Optional<AlertRule> rule = rule(row.getString(4));
        if (rule.isEmpty()) {
            return Optional.empty();
        }
        int code = row.getInt(8);
        Optional<Integer> statusCode = row.wasNull() ? Optional.empty() : Optional.of(code);
        long next = row.getLong(10);
        Optional<Instant> nextAttempt = row.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(next));
        return Optional.of(new DeliveryAttempt(
                row.getString(1),
                row.getString(2),
                row.getString(3),
                rule.get(),
                row.getInt(5),
                Instant.ofEpochMilli(row.getLong(6)),
                DeliveryAttempt.Outcome.valueOf(row.getString(7)),
                statusCode,
                Optional.ofNullable(row.getString(9)),
                nextAttempt));
    }

    private static void setOptionalInt(PreparedStatement statement, int index, Optional<Integer> value)
            throws SQLException {
        if (value.isPresent()) {
            statement.setInt(index, value.get());
        } else {
            statement.setNull(index, Types.INTEGER);
        }
    }

    private static void setOptionalInstant(PreparedStatement statement, int index, Optional<Instant> value)
            throws SQLException {
        if (value.isPresent()) {
            statement.setLong(index, value.get().toEpochMilli());
        } else {
            statement.setNull(index, Types.INTEGER);
        }
    }
}
