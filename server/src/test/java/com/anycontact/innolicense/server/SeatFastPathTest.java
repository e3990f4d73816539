package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.access.AccessService;
import com.anycontact.innolicense.audit.AuditEvent;
import com.anycontact.innolicense.audit.AuditQuery;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seat calls answered on the I/O thread ({@code SeatFastPath}) against the same calls answered by the
 * API's routes: the same answers, errors included, audited the same; and the HTTP/1.1 cases where the fast
 * path must hand over or go on (a body arriving late or in pieces, pipelined requests). Which path answered
 * is told by {@code innolicense_http_seat_fast_total}.
 */
class SeatFastPathTest {

    private static final Duration STALE = AccessService.TOKEN_RECHECK.plusSeconds(1);

    @TempDir
    java.nio.file.Path dataDirectory;

    private RunningServer running;
    private Api api;
    private String acd;

    @BeforeEach
    void start() {
        running = RunningServer.start(dataDirectory);
        api = running.api;
        running.apply(1, 2);
        acd = running.token("ACD");
    }

    @AfterEach
    void stop() {
        running.close();
    }

    @Test
    void seatCalls_withAKnownToken_areAnsweredByTheFastPathExactlyAsTheRoutesAnswerThem() {
        api.claim(acd, "warm-up");
        api.delete("/api/v1/seats/warm-up", acd);

        double before = fastAnswers();
        List<String> routes = scenario("r", () -> {
            running.clock.advance(STALE); // the token is checked in the store again: the route answers
            return acd;
        });
        double afterRoutes = fastAnswers();
        List<String> fast = scenario("f", () -> acd);
        double afterFast = fastAnswers();

        assertThat(afterRoutes - before)
                .as("seat calls the fast path answered while the token was stale")
                .isZero();
        assertThat(afterFast - afterRoutes)
                .as("seat calls the fast path answered with a known token (all but the bad body)")
                .isEqualTo(routes.size() - 1);
        assertThat(fast).containsExactlyElementsOf(routes);
        assertThat(fast).anyMatch(answer -> answer.startsWith("409 ") && answer.contains("seat-limit-reached"));
        Api.Reply audit = api.get("/api/v1/audit?type=CLAIM_DENIED", RunningServer.ADMIN_TOKEN);
        assertThat(audit.json().path("events").size())
                .as("a denial audited on each path")
                .isEqualTo(2);
    }

    @Test
    void aRenewalRefusedForReducedCapacity_onTheFastPath_isAnsweredAndAudited() {
        running.apply(2, 3);
        api.claim(acd, "a1");
        api.claim(acd, "a2");
        api.claim(acd, "a3");
        running.apply(3, 2);
        double before = fastAnswers();

        Api.Reply refused = api.claim(acd, "a3");

        assertThat(fastAnswers() - before).isEqualTo(1);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.problemType()).isEqualTo("capacity-reduced");
        assertThat(refused.json().path("capacity").asInt()).isEqualTo(2);
        assertThat(api.get("/api/v1/audit?type=LEASE_CAPACITY_REDUCED", RunningServer.ADMIN_TOKEN)
                        .json()
                        .path("events")
                        .size())
                .isEqualTo(1);
        assertThat(api.claim(acd, "a1").status()).isEqualTo(200);
    }

    @Test
    void pipelinedSeatCalls_onOneConnection_areAnsweredInOrder() throws IOException {
        api.claim(acd, "warm-up");
        try (Socket socket = socket()) {
            String calls = request("PUT", "p1", "")
                    + request("PUT", "p1", "{\"node\":\"acd-2\"}")
                    + request("DELETE", "p1", null)
                    + request("DELETE", "p1", null)
                    + request("PUT", "p2", "");
            send(socket.getOutputStream(), calls);
            InputStream in = new BufferedInputStream(socket.getInputStream());

            assertThat(readStatus(in)).isEqualTo(201);
            assertThat(readStatus(in)).isEqualTo(200);
            assertThat(readStatus(in)).isEqualTo(204);
            assertThat(readStatus(in)).isEqualTo(404);
            assertThat(readStatus(in)).isEqualTo(201);
        }
        assertThat(api.seatsInUse()).isEqualTo(2);
    }

    /**
     * The ACD's usual connection: each call sent once the last one's answer has arrived. After an answer
     * written by the journal's writer, the connection is handed back to the selector without a read; every
     * next request must still be read and answered.
     */
    @Test
    void seatCalls_eachSentAfterTheLastAnswerOnOneConnection_areAllAnsweredByTheFastPath() throws IOException {
        api.claim(acd, "warm-up");
        double before = fastAnswers();
        try (Socket socket = socket()) {
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            for (int i = 0; i < 300; i++) {
                send(out, request("PUT", "k1", i % 2 == 0 ? "" : "{\"station\":\"s1\"}"));
                assertThat(readStatus(in)).as("claim %d", i).isEqualTo(201);
                send(out, request("DELETE", "k1", null));
                assertThat(readStatus(in)).as("release %d", i).isEqualTo(204);
            }
        }
        assertThat(fastAnswers() - before).isEqualTo(600);
        assertThat(api.seatsInUse()).isEqualTo(1);
    }

    /**
     * A client that sends its next call without waiting for the answer to the last, a moment after it (not in the
     * same packet): the selector, still watching the connection while the first call is decided, sees the second
     * arrive then, or after the answer; either way both are answered, in order, by the fast path.
     */
    @Test
    void aSeatCallSentWhileTheLastIsDecided_isAnsweredAfterIt() throws Exception {
        api.claim(acd, "warm-up");
        double before = fastAnswers();
        try (Socket socket = socket()) {
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            for (int i = 0; i < 200; i++) {
                send(out, request("PUT", "e1", ""));
                Thread.sleep(0, (i % 10) * 100_000); // 0 to 0.9 ms: before, during and after the decision
                send(out, request("DELETE", "e1", null));
                assertThat(readStatus(in)).as("claim %d", i).isEqualTo(201);
                assertThat(readStatus(in)).as("release %d", i).isEqualTo(204);
            }
        }
        assertThat(fastAnswers() - before).isEqualTo(400);
        assertThat(api.seatsInUse()).isEqualTo(1);
    }

    /** The end of the stream arriving while a call is decided: the answer is written, then the connection closed. */
    @Test
    void aClientThatHalfClosesWhileItsCallIsDecided_getsTheAnswerAndThenTheConnectionClosed() throws Exception {
        api.claim(acd, "warm-up");
        for (int i = 0; i < 20; i++) {
            try (Socket socket = socket()) {
                socket.setTcpNoDelay(true);
                send(socket.getOutputStream(), request("PUT", "f" + i, ""));
                Thread.sleep(0, (i % 10) * 100_000);
                socket.shutdownOutput();
                InputStream in = new BufferedInputStream(socket.getInputStream());

                assertThat(readStatus(in)).as("claim %d", i).isIn(201, 409);
                assertThat(in.read()).as("the server closed connection %d", i).isEqualTo(-1);
            }
        }
        assertThat(api.seatsInUse()).isEqualTo(2);
    }

    @Test
    void aSeatCallAskingToCloseTheConnection_isAnsweredAndTheConnectionClosed() throws IOException {
        api.claim(acd, "warm-up");
        try (Socket socket = socket()) {
            String claim = request("PUT", "c1", "").replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n");
            send(socket.getOutputStream(), claim);
            InputStream in = new BufferedInputStream(socket.getInputStream());

            assertThat(readStatus(in)).isEqualTo(201);
            assertThat(in.read()).as("the server closed the connection").isEqualTo(-1);
        }
    }

    @Test
    void aClientThatStopsSendingAfterItsCall_getsTheAnswerAndThenTheConnectionClosed() throws IOException {
        api.claim(acd, "warm-up");
        try (Socket socket = socket()) {
            send(socket.getOutputStream(), request("PUT", "h1", ""));
            socket.shutdownOutput();
            InputStream in = new BufferedInputStream(socket.getInputStream());

            assertThat(readStatus(in)).isEqualTo(201);
            assertThat(in.read()).as("the server closed the connection").isEqualTo(-1);
        }
    }

    @Test
    void aClaimBody_arrivingAfterItsHeadersOrInPieces_isReadWhole() throws Exception {
        running.apply(2, 10);
        api.claim(acd, "warm-up");
        double before = fastAnswers();
        String late = "{\"node\":\"acd-late\"}";
        String pieces = "{\"node\":\"acd-1\",\"station\":\"desk 7\"}";
        try (Socket socket = socket()) {
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());

            send(out, head("PUT", "late", late.length()));
            Thread.sleep(200);
            send(out, late);
            assertThat(readStatus(in)).isEqualTo(201);

            send(out, (head("PUT", "pieces", pieces.length()) + pieces.substring(0, 10)));
            Thread.sleep(200);
            send(out, pieces.substring(10));
            assertThat(readStatus(in)).isEqualTo(201);
        }
        assertThat(fastAnswers() - before).as("answered by the fast path").isEqualTo(2);
        var leases = api.get("/api/v1/seats", RunningServer.ADMIN_TOKEN).json().path("leases");
        List<String> seen = new ArrayList<>();
        leases.forEach(lease -> seen.add(lease.path("agentId").asText() + "@"
                + lease.path("node").asText() + "/" + lease.path("station").asText()));
        assertThat(seen).contains("late@acd-late/null", "pieces@acd-1/desk 7");
    }

    @Test
    void aDenial_answeredByTheFastPath_isInTheAuditLogTheDenialRecordsAndTheLiveEvents() throws Exception {
        String supervisor = running.token("SUPERVISOR");
        try (EventStream stream = new EventStream(running.server.start(), supervisor)) {
            stream.next(EventStream.named("usage"), Duration.ofSeconds(10));
            api.claim(acd, "d-1");
            api.claim(acd, "d-2");
            double before = fastAnswers();

            Api.Reply denied = api.claim(acd, "d-3");

            assertThat(fastAnswers() - before).isEqualTo(1);
            assertThat(denied.status()).isEqualTo(409);
            assertThat(denied.problemType()).isEqualTo("seat-limit-reached");
            assertThat(stream.next(
                                    event -> event.name().equals("usage")
                                            && event.data().path("denialsToday").asInt() == 1,
                                    Duration.ofSeconds(10))
                            .data()
                            .path("inUse")
                            .asInt())
                    .isEqualTo(2);
        }
        assertThat(api.get("/api/v1/usage", supervisor)
                        .json()
                        .path("recentDenials")
                        .get(0)
                        .path("agentId")
                        .asText())
                .isEqualTo("d-3");
        assertThat(running.audited(AuditEvent.Type.CLAIM_DENIED))
                .singleElement()
                .satisfies(event -> assertThat(event.detail()).isEqualTo("agent d-3: all 2 seats in use"));
        assertThat(running.server.audit().verifyChain().intact()).isTrue();
    }

    @Test
    void deniedClaims_ofManyAgentsAtOnce_areEachAuditedOnceInAnIntactChain() throws Exception {
        api.claim(acd, "held-1");
        api.claim(acd, "held-2");
        int clients = 16;
        int claimsEach = 10;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(clients);
        try {
            List<java.util.concurrent.Future<List<Integer>>> statuses = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                String client = "many-" + c;
                statuses.add(pool.submit(() -> {
                    List<Integer> mine = new ArrayList<>();
                    for (int i = 0; i < claimsEach; i++) {
                        // an agent of its own for every claim: each is the agent's first denial, audited
                        mine.add(api.claim(acd, client + "-" + i).status());
                    }
                    return mine;
                }));
            }
            for (java.util.concurrent.Future<List<Integer>> status : statuses) {
                assertThat(status.get(60, java.util.concurrent.TimeUnit.SECONDS))
                        .containsOnly(409);
            }
        } finally {
            pool.shutdownNow();
        }

        List<AuditEvent> audited =
                running.server.audit().find(AuditQuery.newest(1_000).withType(AuditEvent.Type.CLAIM_DENIED));
        assertThat(audited).hasSize(clients * claimsEach);
        for (int c = 0; c < clients; c++) {
            for (int i = 0; i < claimsEach; i++) {
                String detail = "agent many-" + c + "-" + i + ": all 2 seats in use";
                assertThat(audited)
                        .filteredOn(event -> event.detail().equals(detail))
                        .hasSize(1);
            }
        }
        assertThat(running.server.audit().verifyChain().intact()).isTrue();
    }

    @Test
    void repeatedDenialsOfOneAgent_areAuditedOnceAMinute_theNextEntryCountingTheRest() {
        api.claim(acd, "held-1");
        api.claim(acd, "held-2");

        for (int i = 0; i < 5; i++) {
            assertThat(api.claim(acd, "retrying").status()).isEqualTo(409);
            running.clock.advance(java.time.Duration.ofSeconds(10));
            api.claim(acd, "held-1"); // renewed, so that the seats stay taken
            api.claim(acd, "held-2");
        }
        assertThat(api.claim(acd, "other").status()).isEqualTo(409);
        awaitDenialEntries(2);
        running.clock.advance(java.time.Duration.ofSeconds(11)); // 61 s after the first entry
        api.claim(acd, "held-1");
        api.claim(acd, "held-2");
        assertThat(api.claim(acd, "retrying").status()).isEqualTo(409);

        List<AuditEvent> audited = awaitDenialEntries(3);
        assertThat(audited.stream().map(AuditEvent::detail).sorted())
                .containsExactly(
                        "agent other: all 2 seats in use",
                        "agent retrying: all 2 seats in use",
                        "agent retrying: all 2 seats in use; 4 more denials of this agent since its previous entry,"
                                + " not audited one by one");
        assertThat(running.server.ledger().denials())
                .as("every denial counted all the same")
                .isEqualTo(7);
        assertThat(running.server.audit().verifyChain().intact()).isTrue();
    }

    /** The denial entries, once there are as many as expected (they are written after the answer). */
    private List<AuditEvent> awaitDenialEntries(int expected) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (true) {
            List<AuditEvent> audited =
                    running.server.audit().find(AuditQuery.newest(100).withType(AuditEvent.Type.CLAIM_DENIED));
            if (audited.size() >= expected || System.nanoTime() > deadline) {
                assertThat(audited).hasSize(expected);
                return audited;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
        }
    }

    @Test
    void fastPathAnswers_areTimedUnderTheRouteTemplate() {
        api.claim(acd, "warm-up");
        api.claim(acd, "t1");
        api.delete("/api/v1/seats/t1", acd);

        String scrape = api.get("/metrics", RunningServer.ADMIN_TOKEN).body();

        assertThat(scrape)
                .contains(
                        "http_server_requests_seconds_count{method=\"PUT\",status=\"201\",uri=\"/api/v1/seats/{agentId}\"}")
                .contains(
                        "http_server_requests_seconds_count{method=\"DELETE\",status=\"204\",uri=\"/api/v1/seats/{agentId}\"}")
                .doesNotContain("/api/v1/seats/t1");
    }

    /**
     * The same seat calls for agents named with the prefix; each answer as status, media type and body with
     * the instants and the prefix masked, so that two runs compare equal.
     */
    private List<String> scenario(String prefix, Supplier<String> token) {
        List<String> answers = new ArrayList<>();
        answers.add(masked(prefix, api.claim(token.get(), prefix + "-1")));
        answers.add(masked(
                prefix,
                api.putJson(
                        "/api/v1/seats/" + prefix + "-1", token.get(), "{\"node\":\"acd-1\",\"station\":\"desk 7\"}")));
        answers.add(masked(prefix, api.claim(token.get(), prefix + "-2")));
        answers.add(masked(prefix, api.claim(token.get(), prefix + "-3")));
        answers.add(masked(prefix, api.delete("/api/v1/seats/" + prefix + "-1", token.get())));
        answers.add(masked(prefix, api.delete("/api/v1/seats/" + prefix + "-1", token.get())));
        answers.add(masked(prefix, api.delete("/api/v1/seats/" + prefix + "-2", token.get())));
        answers.add(masked(prefix, api.putJson("/api/v1/seats/" + prefix + "-4", token.get(), "{\"nod\":\"x\"}")));
        return answers;
    }

    private static String masked(String prefix, Api.Reply reply) {
        String body = reply.body()
                .replaceAll("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z", "<instant>")
                .replace(prefix + "-", "<agent>-");
        // a 204 has no body; Javalin still names its default media type, the fast path names none
        String mediaType = reply.status() == 204
                ? ""
                : reply.contentType().toLowerCase(Locale.ROOT).replace(" ", "");
        return reply.status() + " " + mediaType + " " + body;
    }

    private double fastAnswers() {
        return Api.sample(api.get("/metrics", RunningServer.ADMIN_TOKEN).body(), "innolicense_http_seat_fast_total");
    }

    private Socket socket() throws IOException {
        Socket socket = new Socket(
                "127.0.0.1", java.net.URI.create(running.server.url()).getPort());
        socket.setSoTimeout(10_000);
        return socket;
    }

    private String request(String method, String agent, String body) {
        if (body == null) {
            return head(method, agent, -1);
        }
        return head(method, agent, body.length()) + body;
    }

    private String head(String method, String agent, int length) {
        return method + " /api/v1/seats/" + agent + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + acd
                + "\r\n" + (length >= 0 ? "Content-Type: application/json\r\nContent-Length: " + length + "\r\n" : "")
                + "\r\n";
    }

    /** Writes a request (or part of one) and sends it at once. */
    private static void send(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Reads one answer and returns its status. */
    private static int readStatus(InputStream in) throws IOException {
        String status = line(in);
        int length = 0;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(header.substring(15).strip());
            }
        }
        assertThat(in.readNBytes(length)).hasSize(length);
        return Integer.parseInt(status.split(" ")[1]);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the connection closed mid-answer");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }
}
