package com.anycontact.innolicense.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;

/** Reading the server's answers and naming its resources. */
class SeatAnswersTest {

    @Test
    void grant_readsTheServersAnswerAndIgnoresUnknownMembers() {
        SeatGrant grant = SeatGrant.parse("""
                {"agentId":"agent-1","node":"acd-1","station":null,"claimedAt":"2026-03-02T08:00:00Z",
                 "renewedAt":"2026-03-02T08:00:20Z","expiresAt":"2026-03-02T08:01:20Z",
                 "renewAfterSeconds":20,"leaseTtlSeconds":60,"future":{"x":[1,2]}}
                """);

        assertThat(grant)
                .isEqualTo(new SeatGrant(
                        "agent-1",
                        "acd-1",
                        null,
                        Instant.parse("2026-03-02T08:00:00Z"),
                        Instant.parse("2026-03-02T08:01:20Z"),
                        Duration.ofSeconds(20),
                        Duration.ofSeconds(60)));
    }

    @Test
    void grant_readsFractionalSecondsAndOffsets() {
        SeatGrant grant = SeatGrant.parse("""
                {"agentId":"a","claimedAt":"2026-03-02T09:00:00+01:00","expiresAt":"2026-03-02T08:00:00.3Z",
                 "renewAfterSeconds":0.1,"leaseTtlSeconds":0.3}
                """);

        assertThat(grant.claimedAt()).isEqualTo(Instant.parse("2026-03-02T08:00:00Z"));
        assertThat(grant.renewAfter()).isEqualTo(Duration.ofMillis(100));
        assertThat(grant.leaseTtl()).isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void grant_withoutHintsOrWithNonsenseHints_leavesThemOut() {
        SeatGrant grant = SeatGrant.parse("""
                {"agentId":"a","claimedAt":"2026-03-02T08:00:00Z","expiresAt":"2026-03-02T08:01:00Z",
                 "renewAfterSeconds":-5,"leaseTtlSeconds":"60"}
                """);

        assertThat(grant.renewAfter()).isNull();
        assertThat(grant.leaseTtl()).isNull();
    }

    @Test
    void grant_lackingWhatTheClientNeeds_isRefused() {
        assertThatThrownBy(() -> SeatGrant.parse("{\"agentId\":\"a\",\"claimedAt\":\"2026-03-02T08:00:00Z\"}"))
                .hasMessageContaining("expiresAt");
        assertThatThrownBy(() -> SeatGrant.parse(
                        "{\"agentId\":\"a\",\"claimedAt\":\"yesterday\",\"expiresAt\":\"2026-03-02T08:00:00Z\"}"))
                .hasMessageContaining("claimedAt");
        assertThatThrownBy(() -> SeatGrant.parse("{\"agentId\":7}")).hasMessageContaining("agentId");
        assertThatThrownBy(() -> SeatGrant.parse("<html>")).hasMessageStartingWith("not JSON");
    }

    @Test
    void problem_readsTypeByItsLastSegmentAndItsMembers() {
        Problem problem = Problem.of(answer(
                409,
                "application/problem+json",
                "{\"type\":\"https://innoacd.anycontact.com/problems/seat-limit-reached\",\"title\":\"Seat limit"
                        + " reached\",\"status\":409,\"detail\":\"all 2 seats are in use\",\"capacity\":2,"
                        + "\"inUse\":2,\"agentId\":\"a\"}",
                Map.of()));

        assertThat(problem.is("seat-limit-reached")).isTrue();
        assertThat(problem.detail()).isEqualTo("all 2 seats are in use");
        assertThat(problem.intMember("capacity")).isEqualTo(2);
        assertThat(problem.intMember("inUse")).isEqualTo(2);
        assertThat(problem.intMember("agentId")).isEqualTo(-1);
        assertThat(problem.intMember("missing")).isEqualTo(-1);
    }

    @Test
    void problem_typeSegments() {
        assertThat(Problem.lastSegment("https://x/problems/capacity-reduced/")).isEqualTo("capacity-reduced");
        assertThat(Problem.lastSegment("/problems/lease-not-held")).isEqualTo("lease-not-held");
        assertThat(Problem.lastSegment("urn:problem:invalid-agent-id")).isEqualTo("invalid-agent-id");
        assertThat(Problem.lastSegment("about:blank")).isNull();
    }

    @Test
    void problem_ofAnAnswerThatIsNotJson_summarisesTheBodyAndReadsRetryAfter() {
        Problem problem = Problem.of(answer(
                503, "text/html", "<h1>Service\n  Unavailable</h1>" + "x".repeat(500), Map.of("Retry-After", "3")));

        assertThat(problem.type()).isNull();
        assertThat(problem.detail())
                .startsWith("the server answered 503: <h1>Service Unavailable</h1>xxx")
                .endsWith("…");
        assertThat(problem.retryAfter()).contains(Duration.ofSeconds(3));
    }

    @Test
    void problem_ofBrokenJsonOrAnEmptyBody_stillHasADetail() {
        assertThat(Problem.of(answer(500, "application/problem+json", "{", Map.of()))
                        .detail())
                .isEqualTo("the server answered 500: {");
        assertThat(Problem.of(answer(502, null, "", Map.of("Retry-After", "Wed, 21 Oct 2026 07:28:00 GMT"))))
                .satisfies(problem -> {
                    assertThat(problem.detail()).isEqualTo("the server answered 502 without a body");
                    assertThat(problem.retryAfter()).isEmpty();
                });
    }

    @Test
    void encode_leavesAgentIdCharactersAndEscapesTheRest() {
        assertThat(SeatApi.encode("team.a_b-c~d@site:7")).isEqualTo("team.a_b-c~d@site:7");
        assertThat(SeatApi.encode("a b/c?d#e%")).isEqualTo("a%20b%2Fc%3Fd%23e%25");
        assertThat(SeatApi.encode("zoë")).isEqualTo("zo%C3%AB");
        assertThat(SeatApi.encode("..")).isEqualTo("%2E%2E");
    }

    @Test
    void claimRequest_carriesTheTokenAndABodyOnlyWhenThereIsSomethingToSay() {
        SeatApi api = new SeatApi(URI.create("http://host:8080/"), "secret");

        HttpRequest bare = api.claim("a", null, null, Duration.ofSeconds(1));
        HttpRequest full = api.claim("a", "n", "s", Duration.ofSeconds(1));

        assertThat(bare.uri()).isEqualTo(URI.create("http://host:8080/api/v1/seats/a"));
        assertThat(bare.method()).isEqualTo("PUT");
        assertThat(bare.headers().firstValue("Authorization")).contains("Bearer secret");
        assertThat(bare.bodyPublisher().orElseThrow().contentLength()).isZero();
        assertThat(full.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(full.bodyPublisher().orElseThrow().contentLength())
                .isEqualTo("{\"node\":\"n\",\"station\":\"s\"}".length());
        assertThat(api.release("a", Duration.ofSeconds(1)).method()).isEqualTo("DELETE");
    }

    private static HttpResponse<String> answer(
            int status, String contentType, String body, Map<String, String> headers) {
        java.util.Map<String, List<String>> all = new java.util.HashMap<>();
        headers.forEach((name, value) -> all.put(name, List.of(value)));
        if (contentType != null) {
            all.put("Content-Type", List.of(contentType));
        }
        HttpHeaders httpHeaders = HttpHeaders.of(all, (name, value) -> true);
        return new HttpResponse<>() {
            @Override
            public int statusCode() {
                return status;
            }

            @Override
            public HttpRequest request() {
                return HttpRequest.newBuilder(URI.create("http://host/")).build();
            }

            @Override
            public Optional<HttpResponse<String>> previousResponse() {
                return Optional.empty();
            }

            @Override
            public HttpHeaders headers() {
                return httpHeaders;
            }

            @Override
            public String body() {
                return body;
            }

            @Override
            public Optional<SSLSession> sslSession() {
                return Optional.empty();
            }

            @Override
            public URI uri() {
                return URI.create("http://host/");
            }

            @Override
            public HttpClient.Version version() {
                return HttpClient.Version.HTTP_1_1;
            }
        };
    }
}
