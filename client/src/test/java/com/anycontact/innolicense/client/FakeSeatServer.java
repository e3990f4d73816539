package com.anycontact.innolicense.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The seat API of the license server (DESIGN §6, issue 3) on the JDK's {@link HttpServer}, on loopback, with
 * answers a test can script. Its {@link Seats} live apart from the HTTP server, so that a restarted server can
 * keep them (a durable server) or start empty.
 */
final class FakeSeatServer implements AutoCloseable {

    static final String TOKEN = "acd-test-token";
    static final String PROBLEMS = "https://innoacd.anycontact.com/problems/";
    private static final String SEATS_PATH = "/api/v1/seats/";

    /** One request as the script sees it. */
    record Exchange(String method, String agentId) {}

    /** An answer. */
    record Reply(int status, String contentType, String body, Map<String, String> headers) {}

    /** The leases, by the rules of the real seat ledger, timed by the given clock. */
    static final class Seats {

        private record Held(String node, String station, Instant claimedAt, Instant expiresAt, long sequence) {}

        private final InstantSource clock;
        private final Map<String, Held> held = new HashMap<>();
        private final Duration ttl;
        private final Duration renewAfter;
        private int capacity;
        private long sequence;
        private int claims;
        private int renewals;
        private int releases;
        private int denials;

        Seats(int capacity, Duration ttl, Duration renewAfter) {
            this(capacity, ttl, renewAfter, InstantSource.system());
        }

        Seats(int capacity, Duration ttl, Duration renewAfter, InstantSource clock) {
            this.capacity = capacity;
            this.ttl = ttl;
            this.renewAfter = renewAfter;
            this.clock = clock;
        }

        synchronized Reply claim(String agent, String node, String station) {
            Instant now = clock.instant();
            Held lease = held.get(agent);
            if (lease != null && lease.expiresAt().isAfter(now)) {
                long ahead = held.values().stream()
                        .filter(other -> other.expiresAt().isAfter(now) && other.sequence() < lease.sequence())
                        .count();
                if (ahead >= capacity) {
                    held.remove(agent);
                    return problem(
                            409,
                            "capacity-reduced",
                            "capacity dropped to " + capacity + "; the lease of " + agent + " is released",
                            Map.of("capacity", capacity, "inUse", inUse(now)));
                }
                Held renewed = new Held(
                        node != null ? node : lease.node(),
                        station != null ? station : lease.station(),
                        lease.claimedAt(),
                        now.plus(ttl),
                        lease.sequence());
                held.put(agent, renewed);
                renewals++;
                return grant(200, agent, renewed, now);
            }
            if (inUse(now) >= capacity) {
                denials++;
                return problem(
                        409,
                        "seat-limit-reached",
                        "all " + capacity + " seats are in use; agent " + agent + " gets none",
                        Map.of("capacity", capacity, "inUse", inUse(now)));
            }
            Held claimed = new Held(node, station, now, now.plus(ttl), ++sequence);
            held.put(agent, claimed);
            claims++;
            return grant(201, agent, claimed, now);
        }

        synchronized Reply release(String agent) {
            Held lease = held.remove(agent);
            if (lease == null || !lease.expiresAt().isAfter(clock.instant())) {
                return problem(404, "lease-not-held", "agent " + agent + " holds no seat", Map.of());
            }
            releases++;
            return new Reply(204, null, "", Map.of());
        }

        /** Drops a lease as an administrator would, without the client knowing. */
        synchronized void evict(String agent) {
            held.remove(agent);
        }

        synchronized void capacity(int seats) {
            capacity = seats;
        }

        synchronized boolean holds(String agent) {
            Held lease = held.get(agent);
            return lease != null && lease.expiresAt().isAfter(clock.instant());
        }

        synchronized int inUse() {
            return inUse(clock.instant());
        }

        synchronized int claims() {
            return claims;
        }

        synchronized int renewals() {
            return renewals;
        }

        synchronized int releases() {
            return releases;
        }

        synchronized int denials() {
            return denials;
        }

        private int inUse(Instant now) {
            return (int) held.values().stream()
                    .filter(lease -> lease.expiresAt().isAfter(now))
                    .count();
        }

        private Reply grant(int status, String agent, Held lease, Instant now) {
            String body = "{\"agentId\":" + quote(agent)
                    + ",\"node\":" + quote(lease.node())
                    + ",\"station\":" + quote(lease.station())
                    + ",\"claimedAt\":" + quote(lease.claimedAt().toString())
                    + ",\"renewedAt\":" + quote(now.toString())
                    + ",\"expiresAt\":" + quote(lease.expiresAt().toString())
                    + ",\"renewAfterSeconds\":" + seconds(renewAfter)
                    + ",\"leaseTtlSeconds\":" + seconds(ttl)
                    + ",\"comingLater\":{\"members\":[1,2.5,true,null]}}";
            return new Reply(status, "application/json", body, Map.of());
        }
    }

    /** A script's answer that closes the connection without answering, as a server closing a keep-alive one. */
    static final Reply DROP = new Reply(0, null, "", Map.of());

    private final HttpServer http;
    private final ThreadPoolExecutor handlers;
    private final Seats seats;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile Function<Exchange, Reply> script = exchange -> null;
    private volatile String token = TOKEN;

    private FakeSeatServer(int port, Seats seats) throws IOException {
        this.seats = seats;
        this.handlers = (ThreadPoolExecutor) Executors.newFixedThreadPool(4);
        handlers.prestartAllCoreThreads();
        this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        http.setExecutor(handlers);
        http.createContext(SEATS_PATH, this::handle);
        http.start();
    }

    /** Starts a server on a free port. */
    static FakeSeatServer start(Seats seats) {
        return start(0, seats);
    }

    /** Starts a server on the given port, for example the port of one just stopped. */
    static FakeSeatServer start(int port, Seats seats) {
        try {
            return new FakeSeatServer(port, seats);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    int port() {
        return http.getAddress().getPort();
    }

    Seats seats() {
        return seats;
    }

    int requests() {
        return requests.get();
    }

    /** Answers each request with what the script returns, or as the seat API does when it returns null. */
    void script(Function<Exchange, Reply> script) {
        this.script = script;
    }

    /** Accepts only this token from now on, as if the old one was revoked. */
    void acceptOnly(String newToken) {
        this.token = newToken;
    }

    @Override
    public void close() {
        http.stop(0);
        handlers.shutdownNow();
    }

    static Reply problem(int status, String slug, String detail, Map<String, Integer> members) {
        StringBuilder body = new StringBuilder("{\"type\":" + quote(PROBLEMS + slug) + ",\"title\":\"" + slug
                + "\",\"status\":" + status + ",\"detail\":" + quote(detail));
        members.forEach((name, value) ->
                body.append(",").append(quote(name)).append(":").append(value));
        return new Reply(status, "application/problem+json", body.append("}").toString(), Map.of());
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            byte[] bodyBytes;
            try (InputStream in = exchange.getRequestBody()) {
                bodyBytes = in.readAllBytes();
            }
            String agent = URLDecoder.decode(
                    exchange.getRequestURI().getRawPath().substring(SEATS_PATH.length()), StandardCharsets.UTF_8);
            String method = exchange.getRequestMethod();
            Reply reply = script.apply(new Exchange(method, agent));
            if (reply == DROP) {
                // the JDK server closes the connection without an answer when a handler throws
                throw new IOException("connection dropped by the script");
            }
            if (reply == null) {
                reply = answer(exchange, method, agent, new String(bodyBytes, StandardCharsets.UTF_8));
            }
            send(exchange, reply);
        }
    }

    private Reply answer(HttpExchange exchange, String method, String agent, String body) {
        if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            return problem(401, "invalid-credentials", "the bearer token is unknown or revoked", Map.of());
        }
        if (agent.isEmpty() || !agent.matches("[A-Za-z0-9][A-Za-z0-9._@:-]{0,63}")) {
            return problem(400, "invalid-agent-id", "'" + agent + "' is not an agent ID", Map.of());
        }
        return switch (method) {
            case "PUT" -> {
                Map<String, Object> members = body.isEmpty() ? Map.of() : Json.parseObject(body);
                yield seats.claim(agent, (String) members.get("node"), (String) members.get("station"));
            }
            case "DELETE" -> seats.release(agent);
            default -> problem(405, "method-not-allowed", method + " is not allowed", Map.of());
        };
    }

    private static void send(HttpExchange exchange, Reply reply) throws IOException {
        reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        if (reply.contentType() != null) {
            exchange.getResponseHeaders().add("Content-Type", reply.contentType());
        }
        byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static String quote(String text) {
        if (text == null) {
            return "null";
        }
        Map<String, String> wrapper = new LinkedHashMap<>();
        wrapper.put("v", text);
        String object = Json.writeObject(wrapper);
        return object.substring("{\"v\":".length(), object.length() - 1);
    }

    private static String seconds(Duration duration) {
        return BigDecimal.valueOf(duration.toMillis()).movePointLeft(3).toPlainString();
    }
}
