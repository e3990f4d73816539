package com.anycontact.innolicense.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Ours over HTTP: a real {@code innolicense server} process, driven with {@code java.net.http}
 * over keep-alive HTTP/1.1 connections: {@code PUT /api/v1/seats/{agentId}} claims (201) or renews
 * (200), 409 is a denial, {@code DELETE} releases (204). Raw requests rather than the client SDK, so
 * that the numbers measure the server and not the SDK's scheduling. A claim is acked after its
 * transaction committed to the server's SQLite write-ahead log.
 */
final class HttpArbiter implements SeatArbiter {

    static final String NAME = "ours-http";

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServerProcess server;
    private final boolean ownsServer;
    private final HttpClient http;
    private final String authorization;
    private final URI seats;

    /**
     * An arbiter on a running server.
     *
     * @param server the server
     * @param ownsServer whether {@link #close()} stops the server too
     */
    HttpArbiter(ServerProcess server, boolean ownsServer) {
        this.server = server;
        this.ownsServer = ownsServer;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        this.authorization = "Bearer " + server.acdToken();
        this.seats = server.base().resolve("/api/v1/seats/");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Durability durability() {
        return new Durability(Durability.Survives.PROCESS_CRASH, "SQLite WAL, synchronous=NORMAL");
    }

    @Override
    public void reset(int capacity) throws IOException, InterruptedException {
        server.applyLicense(capacity);
    }

    @Override
    public boolean claim(String agent) throws IOException, InterruptedException {
        int status = send(put(agent));
        return switch (status) {
            case 201, 200 -> true;
            case 409 -> false;
            default -> throw new IOException("claim of " + agent + " answered " + status);
        };
    }

    @Override
    public boolean renew(String agent) throws IOException, InterruptedException {
        int status = send(put(agent));
        return switch (status) {
            case 200 -> true;
            case 201, 409 -> false;
            default -> throw new IOException("renewal of " + agent + " answered " + status);
        };
    }

    @Override
    public void release(String agent) throws IOException, InterruptedException {
        int status = send(HttpRequest.newBuilder(seats.resolve(agent))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", authorization)
                .DELETE()
                .build());
        if (status != 204 && status != 404) {
            throw new IOException("release of " + agent + " answered " + status);
        }
    }

    /**
     * Claims a seat for the agent and reads the renew hint the server answers with ({@code
     * renewAfterSeconds}).
     *
     * @throws IOException when the claim is not granted
     */
    Duration renewHint(String agent) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(put(agent), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201 && response.statusCode() != 200) {
            throw new IOException("claim of " + agent + " answered " + response.statusCode() + ": " + response.body());
        }
        long seconds = JSON.readTree(response.body()).path("renewAfterSeconds").asLong(0);
        if (seconds <= 0) {
            throw new IOException("the claim's answer has no renewAfterSeconds: " + response.body());
        }
        return Duration.ofSeconds(seconds);
    }

    @Override
    public void close() throws InterruptedException {
        http.close();
        if (ownsServer) {
            server.close();
        }
    }

    private HttpRequest put(String agent) {
        return HttpRequest.newBuilder(seats.resolve(agent))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", authorization)
                .PUT(HttpRequest.BodyPublishers.noBody())
                .build();
    }

    private int send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
