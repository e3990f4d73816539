package com.anycontact.innolicense.store.postgres;

import com.anycontact.innolicense.license.AppliedLicense;
import com.anycontact.innolicense.license.License;
import com.anycontact.innolicense.license.LicenseStore;
import com.anycontact.innolicense.license.StoredLicenses;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Objects;

/**
 * The applied licenses in the cluster database, table {@code applied_license}. Each row keeps the key text;
 * the license is decoded from it when read, so the row can never disagree with the signed terms, and a row
 * whose key does not decode is reported in {@link StoredLicenses#undecodable()}, never thrown. Serials are
 * unique by the primary key, whichever node applies the key. Instants are kept as epoch milliseconds.
 */
public final class PostgresLicenseStore implements LicenseStore {

    private static final String ALL = """
            SELECT serial, license_id, key_text, applied_at, applied_by FROM applied_license ORDER BY serial""";

    private static final String ADD = """
            INSERT INTO applied_license (serial, license_id, key_text, applied_at, applied_by)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (serial) DO NOTHING""";

    private static final String LICENSE_ID = "SELECT license_id FROM applied_license WHERE serial = ?";

    private final PostgresDatabase database;

    /** A store in the given database, which the caller opens and closes. */
    public PostgresLicenseStore(PostgresDatabase database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    @Override
    public StoredLicenses read() {
        return database.autoCommit(connection -> {
            StoredLicenses.Reader reader = new StoredLicenses.Reader();
            try (PreparedStatement select = connection.prepareStatement(ALL);
                    ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    reader.row(
                            rows.getLong(1),
                            rows.getString(2),
                            rows.getString(3),
                            Instant.ofEpochMilli(rows.getLong(4)),
                            rows.getString(5));
                }
            }
            return reader.result();
        });
    }

    @Override
    public void add(AppliedLicense applied) {
        Objects.requireNonNull(applied, "applied");
        License license = applied.license();
        database.transaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(ADD)) {
                insert.setLong(1, license.serial());
                insert.setString(2, license.licenseId());
                insert.setString(3, applied.keyText());
                insert.setLong(4, applied.appliedAt().toEpochMilli());
                insert.setString(5, applied.appliedBy());
                if (insert.executeUpdate() == 1) {
                    return null;
                }
            }
            try (PreparedStatement existing = connection.prepareStatement(LICENSE_ID)) {
                existing.setLong(1, license.serial());
                try (ResultSet row = existing.executeQuery()) {
                    row.next();
                    throw new IllegalArgumentException("serial " + license.serial() + " is already stored, as license "
                            + row.getString(1) + "; cannot add license " + license.licenseId());
                }
            }
        });
    }
}
