package com.anycontact.innolicense.store.postgres;

import com.anycontact.innolicense.alert.AlertStore;
import com.anycontact.innolicense.store.AlertStoreContract;
import org.junit.jupiter.api.AfterEach;

/** The alert store contract on a real PostgreSQL schema with the real migrations; each node a pool of its own. */
class PostgresAlertStoreTest extends AlertStoreContract {

    private PostgresSchema schema;

    @Override
    protected AlertStore createStore() throws Exception {
        schema = PostgresSchema.create(getClass());
        return new PostgresAlertStore(schema.open());
    }

    @Override
    protected AlertStore reopenStore() throws Exception {
        return new PostgresAlertStore(schema.reopen());
    }

    @Override
    protected AlertStore anotherNode() {
        return new PostgresAlertStore(schema.open());
    }

    @AfterEach
    void dropSchema() throws Exception {
        if (schema != null) {
            schema.close();
        }
    }
}
