package com.anycontact.innolicense.store.postgres;

import com.anycontact.innolicense.seat.SeatReleaseStore;
import com.anycontact.innolicense.store.SeatReleaseStoreContract;
import org.junit.jupiter.api.AfterEach;

/**
 * The force-release store contract on a real PostgreSQL schema with the real migrations; a reopened store is
 * another node's view of the same database.
 */
class PostgresSeatReleaseStoreTest extends SeatReleaseStoreContract {

    private PostgresSchema schema;

    @Override
    protected SeatReleaseStore createStore() {
        schema = PostgresSchema.create(getClass());
        return new PostgresSeatReleaseStore(schema.open());
    }

    @Override
    protected SeatReleaseStore reopenStore() {
        return new PostgresSeatReleaseStore(schema.reopen());
    }

    @AfterEach
    void dropSchema() {
        if (schema != null) {
            schema.close();
        }
    }
}
