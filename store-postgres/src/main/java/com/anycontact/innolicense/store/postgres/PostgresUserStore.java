package com.anycontact.innolicense.store.postgres;

import com.anycontact.innolicense.access.Role;
import com.anycontact.innolicense.access.StoredUser;
import com.anycontact.innolicense.access.User;
import com.anycontact.innolicense.access.UserStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Users in the cluster database (table {@code app_user}). Usernames are compared without regard to ASCII
 * case, as in the SQLite store: the key is the name with its ASCII letters lowered ({@code lower()} under the
 * "C" collation, a generated column), in lookups and in the primary key alike. Creation is one {@code INSERT
 * ... ON CONFLICT DO NOTHING}, so two creations of one username, on any nodes, cannot both succeed.
 */
public final class PostgresUserStore implements UserStore {

    private static final String KEY = "lower(?::text COLLATE \"C\")";

    private static final String FIND =
            "SELECT username, role, password_hash, created_at, password_change_required FROM app_user WHERE username_key = "
                    + KEY;

    private static final String CREATE = """
            INSERT INTO app_user (username, role, password_hash, created_at, password_change_required)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (username_key) DO NOTHING""";

    private static final String LIST = "SELECT username, role, created_at FROM app_user ORDER BY username_key";

    private static final String DELETE = "DELETE FROM app_user WHERE username_key = " + KEY;

    private static final String SET_PASSWORD_HASH = "UPDATE app_user SET password_hash = ? WHERE username_key = " + KEY;

    private static final String CHANGE_PASSWORD =
            "UPDATE app_user SET password_hash = ?, password_change_required = FALSE WHERE username_key = " + KEY;

    private static final String COUNT = "SELECT count(*) FROM app_user";

    private final PostgresDatabase database;

    /** A store in the given database, which the caller opens and closes. */
    public PostgresUserStore(PostgresDatabase database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    @Override
    public Optional<StoredUser> find(String username) {
        Objects.requireNonNull(username, "username");
        return database.autoCommit(connection -> {
            try (PreparedStatement find = connection.prepareStatement(FIND)) {
                find.setString(1, username);
                try (ResultSet row = find.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    User user = new User(
                            row.getString(1), Role.valueOf(row.getString(2)), Instant.ofEpochMilli(row.getLong(4)));
                    return Optional.of(new StoredUser(user, row.getString(3), row.getBoolean(5)));
                }
            }
        });
    }

    @Override
    public boolean create(StoredUser stored) {
        Objects.requireNonNull(stored, "stored");
        User user = stored.user();
        return database.autoCommit(connection -> {
            try (PreparedStatement create = connection.prepareStatement(CREATE)) {
                create.setString(1, user.username());
                create.setString(2, user.role().name());
                create.setString(3, stored.passwordHash());
                create.setLong(4, user.createdAt().toEpochMilli());
                create.setBoolean(5, stored.passwordChangeRequired());
                return create.executeUpdate() == 1;
            }
        });
    }

    @Override
    public List<User> list() {
        return database.autoCommit(connection -> {
            List<User> users = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(LIST);
                    ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    users.add(new User(
                            rows.getString(1), Role.valueOf(rows.getString(2)), Instant.ofEpochMilli(rows.getLong(3))));
                }
            }
            return users;
        });
    }

    @Override
    public boolean delete(String username) {
        Objects.requireNonNull(username, "username");
        return database.autoCommit(connection -> {
            try (PreparedStatement delete = connection.prepareStatement(DELETE)) {
                delete.setString(1, username);
                return delete.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean setPasswordHash(String username, String hash) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(hash, "hash");
        return database.autoCommit(connection -> {
            try (PreparedStatement update = connection.prepareStatement(SET_PASSWORD_HASH)) {
                update.setString(1, hash);
                update.setString(2, username);
                return update.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean changePassword(String username, String hash) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(hash, "hash");
        return database.autoCommit(connection -> {
            try (PreparedStatement update = connection.prepareStatement(CHANGE_PASSWORD)) {
                update.setString(1, hash);
                update.setString(2, username);
                return update.executeUpdate() == 1;
            }
        });
    }

    @Override
    public int count() {
        return database.autoCommit(connection -> {
            try (PreparedStatement select = connection.prepareStatement(COUNT);
                    ResultSet row = select.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        });
    }
}
