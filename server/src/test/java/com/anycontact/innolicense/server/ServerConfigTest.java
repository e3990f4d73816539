package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anycontact.innolicense.http.HttpLimits;
import com.anycontact.innolicense.http.TrustedProxies;
import com.anycontact.innolicense.store.postgres.PostgresUrl;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerConfigTest {

    private static ServerConfig everyComponentSet() {
        return ServerConfig.builder()
                .host("127.0.0.1")
                .port(9443)
                .dataDirectory(Path.of("/srv/innolicense"))
                .developmentTrust(List.of(TestVendor.publicKey()))
                .leaseTtl(Duration.ofSeconds(30))
                .adminPassword(Optional.of("a long admin password"))
                .bootstrapToken(Optional.of(RunningServer.ADMIN_TOKEN))
                .secureCookies(true)
                .retention(new ServerConfig.Retention(Duration.ofDays(30), Optional.of(Duration.ofDays(90))))
                .database(Optional.of(PostgresUrl.parse("postgresql://db.example:5432/innolicense", Optional.empty())))
                .trustedProxies(TrustedProxies.of(List.of("10.0.0.0/8")))
                .limits(HttpLimits.DEFAULT)
                .cluster(new ServerConfig.ClusterSettings(
                        Optional.of(URI.create("http://node-1:8080")), Duration.ofSeconds(1)))
                .build();
    }

    @Test
    void builder_withoutCalls_holdsTheDefaults() {
        ServerConfig config = ServerConfig.builder().build();

        assertThat(config.host()).isEqualTo(ServerConfig.DEFAULT_HOST);
        assertThat(config.port()).isEqualTo(ServerConfig.DEFAULT_PORT);
        assertThat(config.dataDirectory()).isEqualTo(ServerConfig.DEFAULT_DATA_DIRECTORY);
        assertThat(config.developmentTrust()).isEmpty();
        assertThat(config.leaseTtl()).isEqualTo(ServerConfig.DEFAULT_LEASE_TTL);
        assertThat(config.adminPassword()).isEmpty();
        assertThat(config.bootstrapToken()).isEmpty();
        assertThat(config.secureCookies()).isFalse();
        assertThat(config.retention()).isEqualTo(ServerConfig.Retention.DEFAULT);
        assertThat(config.database()).isEmpty();
        assertThat(config.trustedProxies()).isEqualTo(TrustedProxies.none());
        assertThat(config.limits()).isEqualTo(HttpLimits.DEFAULT);
        assertThat(config.cluster()).isEqualTo(ServerConfig.ClusterSettings.DEFAULT);
    }

    @Test
    void toBuilder_keepsEveryComponent() {
        ServerConfig config = everyComponentSet();

        assertThat(config.toBuilder().build()).isEqualTo(config);
    }

    @Test
    void toBuilder_changesOnlyTheComponentsCalled() {
        ServerConfig config = everyComponentSet();

        ServerConfig changed =
                config.toBuilder().leaseTtl(Duration.ofMinutes(5)).build();

        assertThat(changed.leaseTtl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(changed.toBuilder().leaseTtl(config.leaseTtl()).build()).isEqualTo(config);
    }

    @Test
    void build_checksTheRanges_asTheRecordDoes() {
        assertThatThrownBy(() -> ServerConfig.builder().port(70_000).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("port");
        assertThatThrownBy(() ->
                        ServerConfig.builder().leaseTtl(Duration.ofDays(2)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lease TTL");
        assertThatThrownBy(() -> ServerConfig.builder().database(null).build())
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("database");
    }
}
