package com.anycontact.innolicense.store.postgres;

import com.anycontact.innolicense.access.UserStore;
import com.anycontact.innolicense.store.UserStoreContract;
import org.junit.jupiter.api.AfterEach;

/** The user store contract on a real PostgreSQL schema with the real migrations. */
class PostgresUserStoreTest extends UserStoreContract {

    private PostgresSchema schema;

    @Override
    protected UserStore createStore() throws Exception {
        schema = PostgresSchema.create(getClass());
        return new PostgresUserStore(schema.open());
    }

    @Override
    protected UserStore reopenStore() throws Exception {
        return new PostgresUserStore(schema.reopen());
    }

    @AfterEach
    void dropSchema() throws Exception {
        if (schema != null) {
            schema.close();
        }
    }
}
