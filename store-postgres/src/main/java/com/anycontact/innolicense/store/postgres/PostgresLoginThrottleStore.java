package com.anycontact.innolicense.store.postgres;

import com.anycontact.innolicense.access.LoginBudget;
import com.anycontact.innolicense.access.LoginFailures;
import com.anycontact.innolicense.access.LoginThrottleRecords;
import com.anycontact.innolicense.access.LoginThrottleStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The login throttle's records in the cluster database (tables {@code login_failure}, {@code login_known_good},
 * {@code login_budget}, migration V10), shared by every node: a failure counted on one node counts on all, the
 * global budget is one budget, and an unlock on one node unlocks on all.
 *
 * <p>Each step is one transaction whose first statement locks the one row of {@code login_budget} ({@code FOR
 * UPDATE}); unlocks take the same lock. So the steps of all nodes run one after another, each reading what the
 * previous one committed (READ COMMITTED takes a fresh snapshot per statement, and the reads come after the lock):
 * attempts sent to several nodes at once cannot all pass before they are counted. Logins are few (each checks an
 * Argon2id hash), so one lock for all of them costs nothing that matters.
 *
 * <p>Instants are kept in epoch milliseconds; lockout ends and the budget's refill time are rounded up, so a
 * lockout is never shortened and no millisecond of refill is counted twice.
 */
public final class PostgresLoginThrottleStore implements LoginThrottleStore {

    private static final String LOCK_BUDGET = "SELECT failures_left, read_at FROM login_budget WHERE id = 1 FOR UPDATE";

    private static final String FIND_COUNTERS = """
            SELECT whole_address, failures, locked_until, last_failure FROM login_failure
            WHERE address = ? AND ((whole_address AND username = '') OR (NOT whole_address AND username = ?))""";

    private static final String FIND_KNOWN_GOOD =
            "SELECT logged_in_at FROM login_known_good WHERE username = ? AND address = ?";

    private static final String WRITE_COUNTER = """
            INSERT INTO login_failure (address, whole_address, username, failures, locked_until, last_failure)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (address, whole_address, username) DO UPDATE
            SET failures = EXCLUDED.failures, locked_until = EXCLUDED.locked_until,
                last_failure = EXCLUDED.last_failure""";

    private static final String DELETE_COUNTER =
            "DELETE FROM login_failure WHERE address = ? AND whole_address = ? AND username = ?";

    private static final String WRITE_KNOWN_GOOD = """
            INSERT INTO login_known_good (username, address, logged_in_at) VALUES (?, ?, ?)
            ON CONFLICT (username, address) DO UPDATE
            SET logged_in_at = GREATEST(login_known_good.logged_in_at, EXCLUDED.logged_in_at)""";

    private static final String WRITE_BUDGET = "UPDATE login_budget SET failures_left = ?, read_at = ? WHERE id = 1";

    private static final String UNLOCK_USERNAME = "DELETE FROM login_failure WHERE NOT whole_address AND username = ?";

    private static final String UNLOCK_ADDRESS = "DELETE FROM login_failure WHERE address = ?";

    private static final String LOCKED_COUNT = "SELECT count(*) FROM login_failure WHERE locked_until > ?";

    private static final String SIZE = "SELECT count(*) FROM login_failure";

    private static final String FORGET_FAILURES = "DELETE FROM login_failure WHERE last_failure <= ?";

    private static final String FORGET_KNOWN_GOOD = "DELETE FROM login_known_good WHERE logged_in_at <= ?";

    private final PostgresDatabase database;

    /** A store in the given database, which the caller opens and closes. */
    public PostgresLoginThrottleStore(PostgresDatabase database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    @Override
    public <T> T update(String username, String address, Instant now, Function<LoginThrottleRecords, T> step) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(step, "step");
        return database.transaction(connection -> {
            LoginBudget budget = lockBudget(connection);
            Optional<LoginFailures> pair = Optional.empty();
            Optional<LoginFailures> whole = Optional.empty();
            try (PreparedStatement find = connection.prepareStatement(FIND_COUNTERS)) {
                find.setString(1, address);
                find.setString(2, username);
                try (ResultSet rows = find.executeQuery()) {
                    while (rows.next()) {
                        LoginFailures counter = new LoginFailures(
                                rows.getInt(2),
                                Instant.ofEpochMilli(rows.getLong(3)),
                                Instant.ofEpochMilli(rows.getLong(4)));
                        if (rows.getBoolean(1)) {
                            whole = Optional.of(counter);
                        } else {
                            pair = Optional.of(counter);
                        }
                    }
                }
            }
            Optional<Instant> knownGood = Optional.empty();
            try (PreparedStatement find = connection.prepareStatement(FIND_KNOWN_GOOD)) {
                find.setString(1, username);
                find.setString(2, address);
                try (ResultSet row = find.executeQuery()) {
                    if (row.next()) {
                        knownGood = Optional.of(Instant.ofEpochMilli(row.getLong(1)));
                    }
                }
            }
            LoginThrottleRecords records = new LoginThrottleRecords(pair, whole, knownGood, budget);
            T result = step.apply(records);
            if (records.addressChanged()) {
                writeCounter(connection, address, true, "", records.address());
            }
            if (records.pairChanged()) {
                writeCounter(connection, address, false, username, records.pair());
            }
            if (records.knownGoodChanged()) {
                try (PreparedStatement write = connection.prepareStatement(WRITE_KNOWN_GOOD)) {
                    write.setString(1, username);
                    write.setString(2, address);
                    write.setLong(3, records.knownGoodSince().orElseThrow().toEpochMilli());
                    write.executeUpdate();
                }
            }
            if (records.budgetChanged()) {
                try (PreparedStatement write = connection.prepareStatement(WRITE_BUDGET)) {
                    write.setDouble(1, records.budget().left());
                    write.setLong(
                            2, PostgresDatabase.ceilingMillis(records.budget().readAt()));
                    write.executeUpdate();
                }
            }
            return result;
        });
    }

    @Override
    public int unlock(String username, String address) {
        return database.transaction(connection -> {
            lockBudget(connection);
            int deleted = 0;
            if (username != null) {
                deleted += delete(connection, UNLOCK_USERNAME, username);
            }
            if (address != null) {
                deleted += delete(connection, UNLOCK_ADDRESS, address);
            }
            return deleted;
        });
    }

    @Override
    public int lockedCount(Instant now) {
        Objects.requireNonNull(now, "now");
        return database.autoCommit(connection -> {
            try (PreparedStatement count = connection.prepareStatement(LOCKED_COUNT)) {
                count.setLong(1, now.toEpochMilli());
                try (ResultSet row = count.executeQuery()) {
                    row.next();
                    return row.getInt(1);
                }
            }
        });
    }

    @Override
    public int size() {
        return database.autoCommit(connection -> {
            try (PreparedStatement count = connection.prepareStatement(SIZE);
                    ResultSet row = count.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        });
    }

    @Override
    public int forget(Instant failedBefore, Instant loggedInBefore) {
        Objects.requireNonNull(failedBefore, "failedBefore");
        Objects.requireNonNull(loggedInBefore, "loggedInBefore");
        return database.autoCommit(connection -> {
            int deleted = 0;
            try (PreparedStatement delete = connection.prepareStatement(FORGET_FAILURES)) {
                delete.setLong(1, failedBefore.toEpochMilli());
                deleted += delete.executeUpdate();
            }
            try (PreparedStatement delete = connection.prepareStatement(FORGET_KNOWN_GOOD)) {
                delete.setLong(1, loggedInBefore.toEpochMilli());
                deleted += delete.executeUpdate();
            }
            return deleted;
        });
    }

    private static LoginBudget lockBudget(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(LOCK_BUDGET);
                ResultSet row = lock.executeQuery()) {
            if (!row.next()) {
                throw new SQLException("the login_budget row is missing; the schema was changed by hand");
            }
            double left = row.getDouble(1);
            if (row.wasNull()) {
                return LoginBudget.FULL;
            }
            return new LoginBudget(left, Instant.ofEpochMilli(row.getLong(2)));
        }
    }

    private static void writeCounter(
            Connection connection,
            String address,
            boolean wholeAddress,
            String username,
            Optional<LoginFailures> counter)
            throws SQLException {
        if (counter.isPresent()) {
            try (PreparedStatement write = connection.prepareStatement(WRITE_COUNTER)) {
                write.setString(1, address);
                write.setBoolean(2, wholeAddress);
                write.setString(3, username);
                write.setInt(4, counter.get().count());
                write.setLong(5, PostgresDatabase.ceilingMillis(counter.get().lockedUntil()));
                write.setLong(6, counter.get().lastFailure().toEpochMilli());
                write.executeUpdate();
            }
        } else {
            try (PreparedStatement delete = connection.prepareStatement(DELETE_COUNTER)) {
                delete.setString(1, address);
                delete.setBoolean(2, wholeAddress);
                delete.setString(3, username);
                delete.executeUpdate();
            }
        }
    }

    private static int delete(Connection connection, String sql, String key) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(sql)) {
            delete.setString(1, key);
            return delete.executeUpdate();
        }
    }
}
