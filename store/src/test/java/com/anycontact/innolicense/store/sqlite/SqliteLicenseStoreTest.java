package com.anycontact.innolicense.store.sqlite;

import static com.anycontact.innolicense.store.TestLicenses.license;
import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.license.LicenseStore;
import com.anycontact.innolicense.store.LicenseStoreContract;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The license store contract on a real SQLite file with the real migrations, plus SQLite specifics. */
class SqliteLicenseStoreTest extends LicenseStoreContract {

    @TempDir
    Path dataDirectory;

    private SqliteDatabase database;

    @Override
    protected LicenseStore createStore() {
        database = SqliteDatabase.open(dataDirectory);
        return new SqliteLicenseStore(database);
    }

    @Override
    protected LicenseStore reopenStore() {
        database.close();
        return createStore();
    }

    @Override
    protected void overwriteKeyText(long serial, String keyText) throws SQLException {
        try (Connection sql = DriverManager.getConnection("jdbc:sqlite:" + database.file());
                PreparedStatement update =
                        sql.prepareStatement("UPDATE applied_license SET key_text = ? WHERE serial = ?")) {
            update.setString(1, keyText);
            update.setLong(2, serial);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }

    @Test
    void add_withSubMillisecondInstant_keepsWholeMilliseconds() {
        store.add(applied(license(1, "2026-12-01", 5), T0.plusNanos(456_789), "admin"));

        assertThat(store.all())
                .singleElement()
                .satisfies(applied -> assertThat(applied.appliedAt()).isEqualTo(T0));
    }
}
