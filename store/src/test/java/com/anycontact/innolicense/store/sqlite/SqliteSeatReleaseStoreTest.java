package com.anycontact.innolicense.store.sqlite;

import com.anycontact.innolicense.seat.SeatReleaseStore;
import com.anycontact.innolicense.store.SeatReleaseStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The force-release store contract on a real SQLite file with the real migrations. */
class SqliteSeatReleaseStoreTest extends SeatReleaseStoreContract {

    @TempDir
    Path dataDirectory;

    private SqliteDatabase database;

    @Override
    protected SeatReleaseStore createStore() {
        database = SqliteDatabase.open(dataDirectory);
        return new SqliteSeatReleaseStore(database);
    }

    @Override
    protected SeatReleaseStore reopenStore() {
        database.close();
        return createStore();
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }
}
