package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.http.HttpLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The bounds on what clients may hold of the server, against the real server on a real port. */
@Timeout(120)
class ResourceLimitsApiTest {

    @TempDir
    Path data;

    private LicenseServer server;
    private Api api;
    private int port;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private final FakeTime clock = new FakeTime(RunningServer.START);

    private void start(HttpLimits limits) {
        server = LicenseServer.open(
                RunningServer.config(data),
                clock,
                clock.ticker(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                limits);
        port = server.start();
        api = new Api(port);
    }

    @Test
    void aClientSendingItsHeadersByteByByte_isCutOffAtTheHeaderDeadline() throws Exception {
        start(HttpLimits.DEFAULT.withHeaderDeadline(Duration.ofSeconds(1)));
        long started = System.nanoTime();
        boolean cut = false;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /health/live HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // 600 bytes, one every 50 ms: at least 30 s to send, so a cut well before that is the deadline's
            byte[] slow = "X-Slow: ".concat("a".repeat(600)).getBytes(StandardCharsets.US_ASCII);
            InputStream in = socket.getInputStream();
            for (int i = 0; i < slow.length && !cut; i++) {
                try {
                    out.write(slow[i]);
                    out.flush();
                } catch (SocketException e) {
                    cut = true;
                    break;
                }
                Thread.sleep(50);
                if (in.available() > 0 || socket.isInputShutdown()) {
                    break;
                }
            }
            if (!cut) {
                try {
                    cut = in.read() == -1;
                } catch (SocketException e) {
                    cut = true;
                }
            }
        }

        assertThat(cut).as("the server closed the connection").isTrue();
        // cut at the 1 s deadline on an idle machine; 20 s leaves a crowded one room and still tells it from the 30 s
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
        assertThat(api.get("/health/live", null).status()).isEqualTo(200);
        String scrape = api.get("/metrics", RunningServer.ADMIN_TOKEN).body();
        assertThat(Api.sample(scrape, "innolicense_http_header_deadline_cut_total"))
                .isEqualTo(1.0);
    }

    @Test
    void eventStreams_beyondTheCapPerCallerOrInTotal_areRefusedWithAClearProblem() {
        start(HttpLimits.DEFAULT.withStreams(2, 3));
        String supervisor = tokenOf("SUPERVISOR");
        try (EventStream first = new EventStream(port, RunningServer.ADMIN_TOKEN);
                EventStream second = new EventStream(port, RunningServer.ADMIN_TOKEN)) {
            assertThat(first.status).isEqualTo(200);
            assertThat(second.status).isEqualTo(200);

            Api.Reply third = stream(RunningServer.ADMIN_TOKEN);

            assertThat(third.status()).as(third.body()).isEqualTo(429);
            assertThat(third.problemType()).isEqualTo("stream-limit-reached");
            assertThat(third.json().path("detail").asText()).contains("you have 2 live-event streams open");
            try (EventStream other = new EventStream(port, supervisor)) {
                assertThat(other.status).isEqualTo(200);

                Api.Reply overall = stream(supervisor);

                assertThat(overall.status()).isEqualTo(429);
                assertThat(overall.json().path("detail").asText()).contains("the server has 3 live-event streams open");
            }
        }
    }

    @Test
    void metrics_showTheBounds() {
        start(HttpLimits.DEFAULT);

        String scrape = api.get("/metrics", RunningServer.ADMIN_TOKEN).body();

        assertThat(Api.sample(scrape, "innolicense_limit{limit=\"connections\"}"))
                .isEqualTo(1000.0);
        assertThat(Api.sample(scrape, "innolicense_limit{limit=\"header_deadline_seconds\"}"))
                .isEqualTo(10.0);
        assertThat(Api.sample(scrape, "innolicense_limit{limit=\"requests_in_flight\"}"))
                .isEqualTo(256.0);
        assertThat(Api.sample(scrape, "innolicense_limit{limit=\"event_streams\"}"))
                .isEqualTo(100.0);
        assertThat(Api.sample(scrape, "innolicense_limit{limit=\"event_streams_per_caller\"}"))
                .isEqualTo(5.0);
        assertThat(Api.sample(scrape, "innolicense_http_connections")).isPositive();
        assertThat(Api.sample(scrape, "innolicense_http_requests_in_flight")).isEqualTo(1.0);
    }

    @Test
    void metrics_showTheBoundsSetByTheOperator() {
        ServerConfigLoader.Result loaded = ServerConfigLoader.load(
                java.util.Map.of(
                        ServerConfigLoader.Setting.MAX_CONNECTIONS, java.util.List.of("50"),
                        ServerConfigLoader.Setting.HEADER_DEADLINE, java.util.List.of("3s")),
                java.util.Map.of(
                        "INNOLICENSE_MAX_REQUESTS_IN_FLIGHT", "40",
                        "INNOLICENSE_MAX_EVENT_STREAMS", "20",
                        "INNOLICENSE_MAX_EVENT_STREAMS_PER_CALLER", "2"),
                java.util.Optional.empty());
        assertThat(loaded).isInstanceOf(ServerConfigLoader.Result.Loaded.class);
        HttpLimits limits = ((ServerConfigLoader.Result.Loaded) loaded).config().limits();
        server = LicenseServer.open(
                RunningServer.config(data).toBuilder().limits(limits).build(),
                clock,
                clock.ticker(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        api = new Api(server.start());

        String scrape = api.get("/metrics", RunningServer.ADMIN_TOKEN).body();

        assertThat(Api.sample(scrape, "innolicense_limit{limit=\"connections\"}"))
                .isEqualTo(50.0);
        assertThat(Api.sample(scrape, "innolicense_limit{limit=\"header_deadline_seconds\"}"))
                .isEqualTo(3.0);
        assertThat(Api.sample(scrape, "innolicense_limit{limit=\"requests_in_flight\"}"))
                .isEqualTo(40.0);
        assertThat(Api.sample(scrape, "innolicense_limit{limit=\"event_streams\"}"))
                .isEqualTo(20.0);
        assertThat(Api.sample(scrape, "innolicense_limit{limit=\"event_streams_per_caller\"}"))
                .isEqualTo(2.0);
    }

    @Test
    void requests_beyondTheInFlightBound_areAnswered503AtOnce() throws Exception {
        start(HttpLimits.DEFAULT.withStreams(1, 1).withRequestsInFlight(2));
        try (EventStream held = new EventStream(port, RunningServer.ADMIN_TOKEN)) {
            assertThat(held.status).isEqualTo(200);
            Api.Reply busy = null;
            // a probe that reaches the server before the stalled request takes the second place itself, and the
            // stalled request is the one answered 503 (seen on its socket): then stall another one
            for (int attempt = 0; attempt < 20 && (busy == null || busy.status() != 503); attempt++) {
                try (Socket stalled = stalledRequest()) {
                    busy = probeWhileHeld(stalled);
                }
            }

            assertThat(busy.status()).as(busy.body()).isEqualTo(503);
            assertThat(busy.problemType()).isEqualTo("server-busy");
            assertThat(busy.header("Retry-After")).contains("1");
        }
        for (int i = 0; i < 500 && api.get("/health/live", null).status() != 200; i++) {
            Thread.sleep(20);
        }
        assertThat(api.get("/health/live", null).status()).isEqualTo(200);
    }

    /** A request whose body never comes: once Jetty hands it to a handler, it holds a place in flight. */
    private Socket stalledRequest() throws IOException {
        Socket stalled = new Socket("127.0.0.1", port);
        stalled.getOutputStream()
                .write(("POST /api/v1/session HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                                + "Content-Length: 100\r\n\r\n{\"user")
                        .getBytes(StandardCharsets.US_ASCII));
        stalled.getOutputStream().flush();
        return stalled;
    }

    /**
     * Probes until one is refused, for up to ten seconds (on a crowded CI machine the stalled request took
     * longer than one to reach its handler), or until the stalled request was answered instead.
     */
    private Api.Reply probeWhileHeld(Socket stalled) throws IOException, InterruptedException {
        Api.Reply probe = null;
        for (int i = 0; i < 500; i++) {
            probe = api.get("/health/live", null);
            if (probe.status() == 503 || stalled.getInputStream().available() > 0) {
                return probe;
            }
            Thread.sleep(20);
        }
        return probe;
    }

    private Api.Reply stream(String token) {
        return api.request(
                "GET",
                "/api/v1/events",
                null,
                null,
                Map.of("Authorization", "Bearer " + token, "Accept", "text/event-stream"));
    }

    private String tokenOf(String role) {
        Api.Reply reply = api.postJson(
                "/api/v1/tokens",
                RunningServer.ADMIN_TOKEN,
                "{\"name\": \"limits " + role + "\", \"role\": \"" + role + "\"}");
        assertThat(reply.status()).isEqualTo(201);
        return reply.json().path("token").asText();
    }
}
