-- Access control: users and API tokens. Instants are INTEGER epoch milliseconds (UTC), given by
-- the server's clock as parameters. No password and no token secret is ever stored: users keep
-- an Argon2id hash in PHC string form, tokens the SHA-256 of their secret in lowercase hex.

-- Usernames are unique without regard to ASCII case (COLLATE NOCASE on the key), and kept as
-- spelled when created.
CREATE TABLE app_user (
    username      TEXT    NOT NULL PRIMARY KEY COLLATE NOCASE,
    role          TEXT    NOT NULL CHECK (role IN ('ADMIN', 'SUPERVISOR')),
    password_hash TEXT    NOT NULL,
    created_at    INTEGER NOT NULL
) STRICT;

-- A token is found by the digest of the secret a request presents: unique, so indexed.
CREATE TABLE api_token (
    id            TEXT    NOT NULL PRIMARY KEY,
    name          TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('ADMIN', 'SUPERVISOR', 'ACD')),
    secret_digest TEXT    NOT NULL UNIQUE,
    created_at    INTEGER NOT NULL,
    created_by    TEXT    NOT NULL,
    revoked_at    INTEGER
) STRICT;
