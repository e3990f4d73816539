package com.anycontact.innolicense.store.postgres;

import com.anycontact.innolicense.access.TokenStore;
import com.anycontact.innolicense.store.TokenStoreContract;
import org.junit.jupiter.api.AfterEach;

/** The token store contract on a real PostgreSQL schema with the real migrations. */
class PostgresTokenStoreTest extends TokenStoreContract {

    private PostgresSchema schema;

    @Override
    protected TokenStore createStore() throws Exception {
        schema = PostgresSchema.create(getClass());
        return new PostgresTokenStore(schema.open());
    }

    @Override
    protected TokenStore reopenStore() throws Exception {
        return new PostgresTokenStore(schema.reopen());
    }

    @AfterEach
    void dropSchema() throws Exception {
        if (schema != null) {
            schema.close();
        }
    }
}
