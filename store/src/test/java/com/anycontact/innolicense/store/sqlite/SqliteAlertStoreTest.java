package com.anycontact.innolicense.store.sqlite;

import com.anycontact.innolicense.alert.AlertStore;
import com.anycontact.innolicense.store.AlertStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The alert store contract on a real SQLite file with the real migrations. */
class SqliteAlertStoreTest extends AlertStoreContract {

    @TempDir
    Path dataDirectory;

    private SqliteDatabase database;

    @Override
    protected AlertStore createStore() {
        database = SqliteDatabase.open(dataDirectory);
        return new SqliteAlertStore(database);
    }

    @Override
    protected AlertStore reopenStore() {
        database.close();
        return createStore();
    }

    /** The embedded database is one process's: another node is another store over the same open file. */
    @Override
    protected AlertStore anotherNode() {
        return new SqliteAlertStore(database);
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }
}
