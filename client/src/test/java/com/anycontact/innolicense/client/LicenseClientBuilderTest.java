package com.anycontact.innolicense.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LicenseClientBuilderTest {

    private static final URI SERVER = URI.create("http://127.0.0.1:8080");

    @Test
    void build_withoutServer_namesTheMissingSetting() {
        assertThatThrownBy(() -> LicenseClient.builder().token("t").build())
                .isInstanceOf(NullPointerException.class)
                .hasMessage("server is required: call server(URI) or servers(URI...) before build()");
    }

    @Test
    void build_withoutToken_namesTheMissingSetting() {
        assertThatThrownBy(() -> LicenseClient.builder().server(SERVER).build())
                .isInstanceOf(NullPointerException.class)
                .hasMessage("token is required: call token(String) before build()");
    }

    @Test
    void server_mustBeAnAbsoluteHttpUrlWithAHostAndNoQuery() {
        LicenseClient.Builder builder = LicenseClient.builder();

        assertThatThrownBy(() -> builder.server(URI.create("ftp://host")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http or https");
        assertThatThrownBy(() -> builder.server(URI.create("/relative")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http or https");
        assertThatThrownBy(() -> builder.server(URI.create("http:opaque")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host");
        assertThatThrownBy(() -> builder.server(URI.create("http://host/?a=b")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("query");
        assertThatThrownBy(() -> builder.server(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void servers_mustNameAtLeastOneServer_eachOnce_eachAnAbsoluteHttpUrl() {
        LicenseClient.Builder builder = LicenseClient.builder();

        assertThatThrownBy(() -> builder.servers())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one");
        assertThatThrownBy(() -> builder.servers(SERVER, URI.create("http://127.0.0.1:8080")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("named twice");
        assertThatThrownBy(() -> builder.servers(SERVER, URI.create("ftp://host")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http or https");
        assertThatThrownBy(() -> builder.servers(SERVER, null)).isInstanceOf(NullPointerException.class);
        assertThat(builder.servers(SERVER, URI.create("https://node-2.example/licensing")))
                .isSameAs(builder);
    }

    @Test
    void token_mustBeVisibleAscii() {
        LicenseClient.Builder builder = LicenseClient.builder();

        assertThatThrownBy(() -> builder.token("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.token("two words")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.token("line\nbreak")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.token(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void node_mayBeNullButNotBlank() {
        assertThatThrownBy(() -> LicenseClient.builder().node(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThat(LicenseClient.builder().node(null)).isNotNull();
    }

    @Test
    void requestTimeoutAndRenewalThreads_mustBePositiveAndBounded() {
        LicenseClient.Builder builder = LicenseClient.builder();

        assertThatThrownBy(() -> builder.requestTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positive");
        assertThatThrownBy(() -> builder.requestTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.renewalThreads(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("between 1 and 64");
        assertThatThrownBy(() -> builder.renewalThreads(65)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.clock(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void build_withAServerUnderAPath_claimsBelowThatPath() {
        SeatApi api = new SeatApi(URI.create("https://host/licensing"), "t");

        assertThat(api.seat("agent-1")).isEqualTo(URI.create("https://host/licensing/api/v1/seats/agent-1"));
    }

    @Test
    void build_givesAClientThatClosesWithoutHavingClaimed() {
        LicenseClient client = LicenseClient.builder().server(SERVER).token("t").build();

        client.close();

        assertThat(client.toString()).contains("closed");
    }
}
