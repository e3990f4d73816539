package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

/** Drives a running server over real HTTP, as curl would. */
final class Api {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    /**
     * An answer.
     *
     * @param status the HTTP status
     * @param contentType the media type, or empty
     * @param json the body as JSON, or a missing node
     * @param body the body as text
     * @param headers the response headers, first value of each
     */
    record Reply(int status, String contentType, JsonNode json, String body, Map<String, String> headers) {

        /** The slug of a problem's type URI, e.g. {@code seat-limit-reached}. */
        String problemType() {
            String type = json.path("type").asText();
            return type.substring(type.lastIndexOf('/') + 1);
        }

        boolean isProblem() {
            return contentType.startsWith("application/problem+json");
        }

        Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(java.util.Locale.ROOT)));
        }
    }

    Api(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** The API of a server started in the test's own JVM. */
    static Api of(LicenseServer server) {
        return new Api(port(server));
    }

    /** The port a server started in the test's own JVM listens on. */
    static int port(LicenseServer server) {
        String url = server.url();
        return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
    }

    /** Applies a vendor key of {@code seats} seats for the installation, as the admin; fails unless it is taken. */
    void applyKey(com.anycontact.innolicense.license.InstallationId installation, long serial, int seats) {
        Reply reply = postText(
                "/api/v1/license",
                RunningServer.ADMIN_TOKEN,
                TestVendor.key(installation, serial, seats, RunningServer.LICENSE_START));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    }

    /** Makes an API token of the ACD role, as the admin, and answers it. */
    String acdToken() {
        Reply created = postJson("/api/v1/tokens", RunningServer.ADMIN_TOKEN, "{\"name\": \"acd\", \"role\": \"ACD\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().path("token").asText();
    }

    /** Sends a request; {@code token} and {@code body} may be null. */
    Reply send(String method, String path, String token, String contentType, byte[] body) {
        return request(method, path, contentType, body, headers(token));
    }

    Reply request(String method, String path, String contentType, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::header);
        try {
            HttpResponse<String> response =
                    http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            Map<String, String> responseHeaders = new LinkedHashMap<>();
            response.headers().map().forEach((name, values) -> responseHeaders.put(name.toLowerCase(), values.get(0)));
            return new Reply(
                    response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""),
                    parse(response.body()),
                    response.body(),
                    responseHeaders);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Reply get(String path, String token) {
        return send("GET", path, token, null, null);
    }

    /** How many seats are in use, as {@code GET /api/v1/seats} tells an administrator. */
    int seatsInUse() {
        return get("/api/v1/seats", RunningServer.ADMIN_TOKEN)
                .json()
                .path("inUse")
                .asInt();
    }

    /** The agents holding a lease, as {@code GET /api/v1/seats} lists them, sorted. */
    List<String> leasedAgents() {
        JsonNode leases = get("/api/v1/seats", RunningServer.ADMIN_TOKEN).json().path("leases");
        return StreamSupport.stream(leases.spliterator(), false)
                .map(lease -> lease.path("agentId").asText())
                .sorted()
                .toList();
    }

    Reply delete(String path, String token) {
        return send("DELETE", path, token, null, null);
    }

    Reply putJson(String path, String token, String json) {
        return send("PUT", path, token, "application/json", json == null ? null : bytes(json));
    }

    Reply postJson(String path, String token, String json) {
        return send("POST", path, token, "application/json", bytes(json));
    }

    Reply postText(String path, String token, String text) {
        return send("POST", path, token, "text/plain", bytes(text));
    }

    Reply claim(String token, String agent) {
        return putJson("/api/v1/seats/" + agent, token, null);
    }

    /**
     * The value of the Prometheus sample with exactly this name and labels in a {@code /metrics} scrape, e.g.
     * {@code x_total} or {@code x{state="A"}}; fails the test when there is none.
     */
    static double sample(String scrape, String series) {
        Matcher matcher =
                Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
        assertThat(matcher.find()).as(series + " in\n" + scrape).isTrue();
        return Double.parseDouble(matcher.group(1));
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, String> headers(String token) {
        return token == null ? Map.of() : Map.of("Authorization", "Bearer " + token);
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }
}
