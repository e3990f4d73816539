package com.anycontact.innolicense.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reading the database URL an operator gives; no server needed. */
class PostgresUrlTest {

    @Test
    void connectionUri_withUserAndPassword_becomesAJdbcUrlWithoutThem() {
        PostgresUrl url = PostgresUrl.parse(
                "postgresql://innolicense:p%40ss:w0rd@db.example.com:5433/licensing?sslmode=require", Optional.empty());

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:5433/licensing?sslmode=require");
        assertThat(url.user()).contains("innolicense");
        assertThat(url.password()).contains("p@ss:w0rd");
        assertThat(url.display()).isEqualTo("postgresql://db.example.com:5433/licensing");
        assertThat(url.toString()).doesNotContain("w0rd");
    }

    @Test
    void connectionUri_withoutPassword_takesTheOneGivenApart() {
        PostgresUrl url = PostgresUrl.parse("postgres://innolicense@db/licensing", Optional.of("secret"));

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db/licensing");
        assertThat(url.user()).contains("innolicense");
        assertThat(url.password()).contains("secret");
    }

    @Test
    void connectionUri_withAPassword_keepsItOverTheOneGivenApart() {
        PostgresUrl url = PostgresUrl.parse("postgresql://u:inside@db/licensing", Optional.of("apart"));

        assertThat(url.password()).contains("inside");
    }

    @Test
    void connectionUri_withSeveralHosts_keepsThemAllForFailover() {
        PostgresUrl url = PostgresUrl.parse(
                "postgresql://u@db1:5432,db2:5432/licensing?targetServerType=primary", Optional.empty());

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db1:5432,db2:5432/licensing?targetServerType=primary");
        assertThat(url.display()).isEqualTo("postgresql://db1:5432,db2:5432/licensing");
    }

    @Test
    void jdbcUrl_isKeptAsGivenAndShownWithoutItsParameters() {
        PostgresUrl url = PostgresUrl.parse(
                "jdbc:postgresql://127.0.0.1:5432/innolicense?user=postgres&password=pw", Optional.empty());

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/innolicense?user=postgres&password=pw");
        assertThat(url.user()).isEmpty();
        assertThat(url.display()).isEqualTo("postgresql://127.0.0.1:5432/innolicense");
    }

    @Test
    void otherText_isRefusedWithWhatIsExpected() {
        assertThatThrownBy(() -> PostgresUrl.parse("mysql://db/licensing", Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a PostgreSQL URL; use postgresql://");
        assertThatThrownBy(() -> PostgresUrl.parse("postgresql://db", Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("names no host or no database");
        assertThatThrownBy(() -> PostgresUrl.parse("postgresql:///licensing", Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("names no host or no database");
    }
}
