package com.anycontact.innolicense.store.postgres;

import com.anycontact.innolicense.store.UsageStoreContract;
import com.anycontact.innolicense.usage.UsageStore;
import org.junit.jupiter.api.AfterEach;

/** The usage store contract on a real PostgreSQL schema with the real migrations. */
class PostgresUsageStoreTest extends UsageStoreContract {

    private PostgresSchema schema;

    @Override
    protected UsageStore createStore() {
        schema = PostgresSchema.create(getClass());
        return new PostgresUsageStore(schema.open());
    }

    @Override
    protected UsageStore reopenStore() {
        return new PostgresUsageStore(schema.reopen());
    }

    @AfterEach
    void dropSchema() {
        if (schema != null) {
            schema.close();
        }
    }
}
