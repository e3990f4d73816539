package com.anycontact.innolicense.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anycontact.innolicense.license.InstallationId;
import com.anycontact.innolicense.license.InstallationStore;
import com.anycontact.innolicense.store.InstallationStoreContract;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The installation store contract on a real PostgreSQL schema with the real migrations, plus PostgreSQL
 * specifics. A second node is a second {@link PostgresDatabase} (its own pool) over the same schema.
 */
class PostgresInstallationStoreTest extends InstallationStoreContract {

    private PostgresSchema schema;

    @Override
    protected InstallationStore createStore() {
        schema = PostgresSchema.create(getClass());
        return new PostgresInstallationStore(schema.open());
    }

    @Override
    protected InstallationStore reopenStore() {
        return new PostgresInstallationStore(schema.reopen());
    }

    @Override
    protected InstallationStore openAnotherNode() {
        return new PostgresInstallationStore(schema.open());
    }

    @AfterEach
    void dropSchema() {
        if (schema != null) {
            schema.close();
        }
    }

    @Test
    void saveTrustedTimeMark_withSubMillisecondInstant_roundsUpSoTheMarkNeverComesBackEarlier() {
        store.saveTrustedTimeMark(T0.plusNanos(1));

        assertThat(store.trustedTimeMark()).isEqualTo(T0.plusMillis(1));
    }

    @Test
    void table_refusesToChangeAStoredInstallationIdEvenFromOutside() throws SQLException {
        InstallationId id = store.installationId(() -> new InstallationId("IACD-AAAA-BBBB-CCCC-DDDD"));

        assertThatThrownBy(() -> schema.execute("UPDATE installation SET installation_id = 'IACD-EEEE-FFFF-GGGG-HHHH'"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("the installation ID never changes once created");
        assertThatThrownBy(() -> schema.execute("UPDATE installation SET installation_id = NULL"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("never changes");
        assertThat(store.installationId(() -> new InstallationId("IACD-EEEE-FFFF-GGGG-HHHH")))
                .isEqualTo(id);
    }
}
