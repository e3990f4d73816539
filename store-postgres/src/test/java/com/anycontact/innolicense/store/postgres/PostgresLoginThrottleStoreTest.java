package com.anycontact.innolicense.store.postgres;

import com.anycontact.innolicense.access.LoginThrottleStore;
import com.anycontact.innolicense.store.LoginThrottleStoreContract;
import org.junit.jupiter.api.AfterEach;

/**
 * The login throttle store contract on a real PostgreSQL schema with the real migrations, node B being a second
 * connection pool on the same schema, as a second server node.
 */
class PostgresLoginThrottleStoreTest extends LoginThrottleStoreContract {

    private PostgresSchema schema;

    @Override
    protected LoginThrottleStore createStore() {
        schema = PostgresSchema.create(getClass());
        return new PostgresLoginThrottleStore(schema.open());
    }

    @Override
    protected LoginThrottleStore otherNode() {
        return new PostgresLoginThrottleStore(schema.open());
    }

    @AfterEach
    void dropSchema() {
        if (schema != null) {
            schema.close();
        }
    }
}
