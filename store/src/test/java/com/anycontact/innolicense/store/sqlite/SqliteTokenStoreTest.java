package com.anycontact.innolicense.store.sqlite;

import com.anycontact.innolicense.access.TokenStore;
import com.anycontact.innolicense.store.TokenStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The token store contract on a real SQLite file with the real migrations. */
class SqliteTokenStoreTest extends TokenStoreContract {

    @TempDir
    Path dataDirectory;

    private SqliteDatabase database;

    @Override
    protected TokenStore createStore() {
        database = SqliteDatabase.open(dataDirectory);
        return new SqliteTokenStore(database);
    }

    @Override
    protected TokenStore reopenStore() {
        database.close();
        return createStore();
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }
}
