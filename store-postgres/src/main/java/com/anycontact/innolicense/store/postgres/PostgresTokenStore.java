package com.anycontact.innolicense.store.postgres;

import com.anycontact.innolicense.access.ApiToken;
import com.anycontact.innolicense.access.Role;
import com.anycontact.innolicense.access.TokenStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * API tokens in the cluster database (table {@code api_token}), found by the digest of their secret through its
 * unique index, with its optional expiry and ACD node binding. The secret itself is never given to this store. A
 * revocation is one guarded update, so of two nodes revoking one token only the first records when.
 */
public final class PostgresTokenStore implements TokenStore {

    private static final String COLUMNS = "id, name, role, created_at, created_by, revoked_at, expires_at, node";

    private static final String CREATE = """
            INSERT INTO api_token (id, name, role, secret_digest, created_at, created_by, revoked_at, expires_at, node)
            VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?)""";

    private static final String FIND_BY_DIGEST = "SELECT " + COLUMNS + " FROM api_token WHERE secret_digest = ?";

    private static final String LIST = "SELECT " + COLUMNS + " FROM api_token ORDER BY created_at, seq";

    private static final String REVOKE = "UPDATE api_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL";

    private final PostgresDatabase database;

    /** A store in the given database, which the caller opens and closes. */
    public PostgresTokenStore(PostgresDatabase database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    /**
     * {@inheritDoc}
     *
     * @throws com.anycontact.innolicense.store.StoreException when a token with that ID or digest exists
     *     already, which random IDs and secrets make a bug
     */
    @Override
    public void create(ApiToken token, String secretDigest) {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(secretDigest, "secretDigest");
        if (token.isRevoked()) {
            throw new IllegalArgumentException("a new token cannot be revoked already: " + token.id());
        }
        database.autoCommit(connection -> {
            try (PreparedStatement create = connection.prepareStatement(CREATE)) {
                create.setString(1, token.id());
                create.setString(2, token.name());
                create.setString(3, token.role().name());
                create.setString(4, secretDigest);
                create.setLong(5, token.createdAt().toEpochMilli());
                create.setString(6, token.createdBy());
                if (token.expiresAt().isPresent()) {
                    create.setLong(7, token.expiresAt().get().toEpochMilli());
                } else {
                    create.setNull(7, Types.BIGINT);
                }
                create.setString(8, token.node().orElse(null));
                return create.executeUpdate();
            }
        });
    }

    @Override
    public Optional<ApiToken> findBySecretDigest(String digest) {
        Objects.requireNonNull(digest, "digest");
        return database.autoCommit(connection -> {
            try (PreparedStatement find = connection.prepareStatement(FIND_BY_DIGEST)) {
                find.setString(1, digest);
                try (ResultSet row = find.executeQuery()) {
                    return row.next() ? Optional.of(token(row)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<ApiToken> list() {
        return database.autoCommit(connection -> {
            List<ApiToken> tokens = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(LIST);
                    ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    tokens.add(token(rows));
                }
            }
            return tokens;
        });
    }

    @Override
    public boolean revoke(String id, Instant at) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(at, "at");
        return database.autoCommit(connection -> {
            try (PreparedStatement revoke = connection.prepareStatement(REVOKE)) {
                revoke.setLong(1, at.toEpochMilli());
                revoke.setString(2, id);
                return revoke.executeUpdate() == 1;
            }
        });
    }

    private static ApiToken token(ResultSet row) throws SQLException {
        long revokedAt = row.getLong(6);
        Optional<Instant> revoked = row.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(revokedAt));
        long expiresAt = row.getLong(7);
        Optional<Instant> expires = row.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(expiresAt));
        return new ApiToken(
                row.getString(1),
                row.getString(2),
                Role.valueOf(row.getString(3)),
                Instant.ofEpochMilli(row.getLong(4)),
                row.getString(5),
                revoked,
                expires,
                Optional.ofNullable(row.getString(8)));
    }
}
