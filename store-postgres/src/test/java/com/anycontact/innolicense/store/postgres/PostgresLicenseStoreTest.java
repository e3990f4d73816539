package com.anycontact.innolicense.store.postgres;

import com.anycontact.innolicense.license.LicenseStore;
import com.anycontact.innolicense.store.LicenseStoreContract;
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

    @AfterEach
    void dropSchema() throws Exception {
        if (schema != null) {
            schema.close();
        }
    }
}
