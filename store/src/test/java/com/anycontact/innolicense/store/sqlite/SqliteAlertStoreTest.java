package com.anycontact.innolicense.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.alert.AlertStore;
import com.anycontact.innolicense.alert.Delivery;
import com.anycontact.innolicense.store.AlertStoreContract;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
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

    @Test
    void aSubscriptionMadeBeforeRulesCouldBeChosen_takesEveryRuleAfterTheMigration(@TempDir Path older)
            throws SQLException {
        String url = "jdbc:sqlite:" + older.resolve(SqliteDatabase.FILE_NAME);
        org.flywaydb.core.Flyway.configure()
                .dataSource(url, null, null)
                .locations("classpath:db/migration/sqlite")
                .target("17")
                .load()
                .migrate();
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO alert_subscription (id, name, channel, target, secret, created_at,"
                    + " created_by) VALUES ('sub_old', 'ops', 'EMAIL', 'ops@example.com', NULL, 0, 'admin')");
        }

        try (SqliteDatabase upgraded = SqliteDatabase.open(older)) {
            SqliteAlertStore alerts = new SqliteAlertStore(upgraded);
            assertThat(alerts.subscription("sub_old").orElseThrow().rules()).isEmpty();
            alerts.fire(alert("a1", "k1", T0));
            assertThat(alerts.takeDue(T0, 10, Duration.ofMinutes(5)))
                    .extracting(Delivery::id)
                    .containsExactly("msg_a1_sub_old");
        }
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }
}
