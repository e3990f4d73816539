package com.anycontact.innolicense.store.sqlite;

import com.anycontact.innolicense.access.UserStore;
import com.anycontact.innolicense.store.UserStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The user store contract on a real SQLite file with the real migrations. */
class SqliteUserStoreTest extends UserStoreContract {

    @TempDir
    Path dataDirectory;

    private SqliteDatabase database;

    @Override
    protected UserStore createStore() {
        database = SqliteDatabase.open(dataDirectory);
        return new SqliteUserStore(database);
    }

    @Override
    protected UserStore reopenStore() {
        database.close();
        return createStore();
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }
}
