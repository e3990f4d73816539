package com.anycontact.innolicense.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anycontact.innolicense.store.StoreException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A node given a standby of the cluster database ({@link OpeningChecks}): refused when the URL names the standby
 * alone, before anything is tried on it; served by the primary when the URL lists the standby first and both with
 * {@code targetServerType=primary}, as docs/cluster.md advises.
 */
class PostgresStandbyTest {

    @Test
    void aStandbyAlone_isRefused_withWhatToDo() throws Exception {
        try (OwnStandby standby = OwnStandby.start()) {
            PostgresUrl url = PostgresUrl.parse(
                    "jdbc:postgresql://" + standby.hostPort() + "/innolicense?user=postgres", Optional.empty());
            assertThatThrownBy(() -> PostgresDatabase.open(url))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("is a standby (in recovery), which refuses every write")
                    .hasMessageContaining("nothing was written")
                    .hasMessageContaining("list every server of the database with targetServerType=primary");
        }
    }

    @Test
    void theStandbyListedFirst_withTargetServerTypePrimary_opensThePrimary() throws Exception {
        try (OwnStandby standby = OwnStandby.start();
                PostgresSchema schema = PostgresSchema.create(getClass())) {
            String both = schema.url()
                    .jdbcUrl()
                    .replace(standby.primaryHostPort(), standby.hostPort() + "," + standby.primaryHostPort());
            assertThat(both).contains(standby.hostPort() + ",");
            PostgresUrl url = PostgresUrl.parse(both + "&targetServerType=primary&user=postgres", Optional.empty());
            try (PostgresDatabase database = PostgresDatabase.open(url, 2);
                    Connection connection = database.dedicatedConnection("standby-test");
                    Statement statement = connection.createStatement();
                    ResultSet row = statement.executeQuery("SELECT pg_is_in_recovery()")) {
                row.next();
                assertThat(row.getBoolean(1))
                        .as("the node's connections are to the primary")
                        .isFalse();
            }
        }
    }
}
