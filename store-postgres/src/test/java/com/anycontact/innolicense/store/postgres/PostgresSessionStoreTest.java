package com.anycontact.innolicense.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.access.Principal;
import com.anycontact.innolicense.access.Role;
import com.anycontact.innolicense.access.Session;
import com.anycontact.innolicense.access.SessionStore;
import com.anycontact.innolicense.access.Sessions;
import com.anycontact.innolicense.store.SessionStoreContract;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The session store contract on a real PostgreSQL schema with the real migrations, node B being a second
 * connection pool on the same schema, as a second server node.
 */
class PostgresSessionStoreTest extends SessionStoreContract {

    private final List<PostgresSchema> schemas = new ArrayList<>();
    private PostgresSchema schema;
    private int maxSessions;

    @Override
    protected SessionStore createStore(int maxSessions) {
        schema = PostgresSchema.create(getClass());
        schemas.add(schema);
        this.maxSessions = maxSessions;
        return new PostgresSessionStore(schema.open(), maxSessions);
    }

    @Override
    protected SessionStore otherNode() {
        return new PostgresSessionStore(schema.open(), maxSessions);
    }

    @AfterEach
    void dropSchemas() {
        schemas.forEach(PostgresSchema::close);
    }

    @Test
    void noColumn_holdsTheSessionIdOrItsCsrfToken() throws Exception {
        Sessions sessions = new Sessions(
                store,
                () -> now.get(),
                Sessions.DEFAULT_IDLE_TIMEOUT,
                Sessions.DEFAULT_ABSOLUTE_TIMEOUT,
                Sessions.SHARED_TOUCH_EVERY);
        Session session =
                sessions.create(new Principal("alice", Role.ADMIN, Principal.Kind.USER, "alice"), "192.0.2.1");

        List<String> values = new ArrayList<>();
        try (Connection connection = schema.connect();
                Statement select = connection.createStatement();
                ResultSet rows = select.executeQuery("SELECT * FROM browser_session")) {
            ResultSetMetaData columns = rows.getMetaData();
            while (rows.next()) {
                for (int i = 1; i <= columns.getColumnCount(); i++) {
                    values.add(String.valueOf(rows.getObject(i)));
                }
            }
        }

        assertThat(values).contains(session.digest());
        assertThat(String.join(" ", values)).doesNotContain(session.id()).doesNotContain(session.csrfToken());
    }
}
