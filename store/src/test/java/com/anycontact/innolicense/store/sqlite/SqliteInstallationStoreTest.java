package com.anycontact.innolicense.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.license.InstallationStore;
import com.anycontact.innolicense.store.InstallationStoreContract;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The installation store contract on a real SQLite file with the real migrations, plus SQLite specifics. A
 * second node is a second {@link SqliteDatabase} over the same file.
 */
class SqliteInstallationStoreTest extends InstallationStoreContract {

    @TempDir
    Path dataDirectory;

    private final List<SqliteDatabase> databases = new ArrayList<>();
    private SqliteDatabase database;

    @Override
    protected InstallationStore createStore() {
        database = open();
        return new SqliteInstallationStore(database);
    }

    @Override
    protected InstallationStore reopenStore() {
        database.close();
        return createStore();
    }

    @Override
    protected InstallationStore openAnotherNode() {
        return new SqliteInstallationStore(open());
    }

    @AfterEach
    void closeDatabases() {
        databases.forEach(SqliteDatabase::close);
    }

    @Test
    void saveTrustedTimeMark_withSubMillisecondInstant_roundsUpSoTheMarkNeverComesBackEarlier() {
        store.saveTrustedTimeMark(T0.plusNanos(1));

        assertThat(store.trustedTimeMark()).isEqualTo(T0.plusMillis(1));
    }

    private SqliteDatabase open() {
        SqliteDatabase opened = SqliteDatabase.open(dataDirectory);
        databases.add(opened);
        return opened;
    }
}
