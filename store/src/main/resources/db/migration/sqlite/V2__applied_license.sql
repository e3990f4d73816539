-- Every license applied to this installation, superseded and future-dated ones included: the
-- lifecycle is evaluated over all of them. key_text is the signed key in its canonical text form,
-- from which the license is read back; serial and license_id repeat what it says, for people
-- reading the table. Instants are INTEGER epoch milliseconds (UTC), given by the server's trusted
-- clock.

CREATE TABLE applied_license (
    serial     INTEGER NOT NULL PRIMARY KEY CHECK (serial >= 1),
    license_id TEXT    NOT NULL,
    key_text   TEXT    NOT NULL,
    applied_at INTEGER NOT NULL,
    applied_by TEXT    NOT NULL
) STRICT;
