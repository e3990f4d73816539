package com.anycontact.innolicense.store.sqlite;

import com.anycontact.innolicense.store.UsageStoreContract;
import com.anycontact.innolicense.usage.UsageStore;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The usage store contract on a real SQLite file with the real migrations. */
class SqliteUsageStoreTest extends UsageStoreContract {

    @TempDir
    Path dataDirectory;

    private SqliteDatabase database;

    @Override
    protected UsageStore createStore() {
        database = SqliteDatabase.open(dataDirectory);
        return new SqliteUsageStore(database);
    }

    @Override
    protected UsageStore reopenStore() {
        database.close();
        return createStore();
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }
}
