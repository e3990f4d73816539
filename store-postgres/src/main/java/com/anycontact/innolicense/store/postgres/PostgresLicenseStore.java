package com.anycontact.innolicense.store.postgres;

import com.anycontact.innolicense.license.AppliedLicense;
import com.anycontact.innolicense.license.KeyDecoding;
import com.anycontact.innolicense.license.License;
import com.anycontact.innolicense.license.LicenseKeyFormat;
import com.anycontact.innolicense.license.LicenseStore;
import com.anycontact.innolicense.store.StoreException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The applied licenses in the cluster database, table {@code applied_license}. Each row keeps the key text;
 * the license is decoded from it when read, so the row can never disagree with the signed terms. Serials are
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
    public List<AppliedLicense> all() {
        return database.autoCommit(connection -> {
            List<AppliedLicense> licenses = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(ALL);
                    ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String keyText = rows.getString(3);
                    License license = decode(rows.getLong(1), rows.getString(2), keyText);
                    licenses.add(new AppliedLicense(
                            license, keyText, Instant.ofEpochMilli(rows.getLong(4)), rows.getString(5)));
                }
            }
            return licenses;
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

    private License decode(long serial, String licenseId, String keyText) {
        return switch (LicenseKeyFormat.decode(keyText)) {
            case KeyDecoding.Decoded decoded
            when decoded.license().serial() == serial
                    && decoded.license().licenseId().equals(licenseId) -> decoded.license();
            case KeyDecoding.Decoded decoded ->
                throw new StoreException(
                        "the stored key of serial " + serial + " (" + licenseId + ") is for serial "
                                + decoded.license().serial() + " ("
                                + decoded.license().licenseId() + ") in "
                                + database.url(),
                        null);
            case KeyDecoding.Undecodable undecodable ->
                throw new StoreException(
                        "the stored key of serial " + serial + " (" + licenseId + ") no longer decodes: "
                                + undecodable.message() + " in " + database.url(),
                        null);
        };
    }
}
