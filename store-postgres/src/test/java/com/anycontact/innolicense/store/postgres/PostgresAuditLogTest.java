package com.anycontact.innolicense.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anycontact.innolicense.audit.AuditEvent.Type;
import com.anycontact.innolicense.audit.AuditLog;
import com.anycontact.innolicense.audit.AuditQuery;
import com.anycontact.innolicense.store.AuditLogContract;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The audit log contract on a real PostgreSQL schema with the real migrations, plus PostgreSQL specifics. */
class PostgresAuditLogTest extends AuditLogContract {

    private PostgresSchema schema;

    @Override
    protected AuditLog createLog() {
        schema = PostgresSchema.create(getClass());
        return new PostgresAuditLog(schema.open());
    }

    @Override
    protected AuditLog reopenLog() {
        return new PostgresAuditLog(schema.reopen());
    }

    @AfterEach
    void dropSchema() {
        if (schema != null) {
            schema.close();
        }
    }

    @Test
    void table_refusesUpdateDeleteAndTruncateEvenFromOutside() {
        log.record(T0, "admin", Type.LOGIN, "logged in");

        assertThatThrownBy(() -> schema.execute("UPDATE audit_event SET actor = 'nobody'"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("append-only: events are never changed");
        assertThatThrownBy(() -> schema.execute("DELETE FROM audit_event"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("append-only: only events written to an archive file are removed");
        assertThatThrownBy(() -> schema.execute("TRUNCATE audit_event"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("append-only");
        assertThat(log.find(AuditQuery.newest(10)))
                .singleElement()
                .satisfies(event -> assertThat(event.actor()).isEqualTo("admin"));
    }
}
