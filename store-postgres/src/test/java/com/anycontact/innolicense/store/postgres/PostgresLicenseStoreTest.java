package com.anycontact.innolicense.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.license.LicenseStore;
import com.anycontact.innolicense.store.LicenseStoreContract;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;

/** The license store contract on a real PostgreSQL schema with the real migrations. */
class PostgresLicenseStoreTest extends LicenseStoreContract {

    private PostgresSchema schema;

    @Override
    protected LicenseStore createStore() throws Exception {
        schema = PostgresSchema.create(getClass());
        return new PostgresLicenseStore(schema.open());
    }

    @Override
    protected LicenseStore reopenStore() throws Exception {
        return new PostgresLicenseStore(schema.reopen());
    }

    @Override
    protected void overwriteKeyText(long serial, String keyText) throws SQLException {
        try (Connection sql = schema.connect();
                PreparedStatement update =
                        sql.prepareStatement("UPDATE applied_license SET key_text = ? WHERE serial = ?")) {
            update.setString(1, keyText);
            update.setLong(2, serial);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
    }

    @AfterEach
    void dropSchema() throws Exception {
        if (schema != null) {
            schema.close();
        }
    }
}
