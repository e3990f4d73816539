package com.anycontact.innolicense.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The seat calls of the ACD, over HTTP to one node, each turned into an {@link Op} with its times on the
 * harness's monotonic clock. A refused connection is {@link Op.Outcome#REFUSED} (the server never saw the
 * call); a timeout or a broken connection is {@link Op.Outcome#UNKNOWN}.
 */
final class SeatClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServerNode node;
    private final String acdToken;
    private final Duration timeout;
    private final HttpClient http;
    private final AtomicLong lastServed = new AtomicLong(Long.MIN_VALUE);

    /**
     * A client of one node.
     *
     * @param node the node
     * @param acdToken the ACD token
     * @param timeout how long to wait for an answer before giving up on it
     * @param http the HTTP client, shared by the agents of the node
     */
    SeatClient(ServerNode node, String acdToken, Duration timeout, HttpClient http) {
        this.node = Objects.requireNonNull(node, "node");
        this.acdToken = Objects.requireNonNull(acdToken, "acdToken");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.http = Objects.requireNonNull(http, "http");
    }

    /** Makes one call and says what became of it. */
    Op call(String agent, Op.Kind kind) {
        HttpRequest.Builder request = HttpRequest.newBuilder(node.base().resolve("/api/v1/seats/" + agent))
                .timeout(timeout)
                .header("Authorization", "Bearer " + acdToken);
        request = kind == Op.Kind.RELEASE ? request.DELETE() : request.PUT(HttpRequest.BodyPublishers.noBody());
        long invoked = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            long answered = System.nanoTime();
            if (response.statusCode() < 500) {
                lastServed.accumulateAndGet(invoked, Math::max);
            }
            return answer(agent, kind, invoked, answered, response.statusCode(), response.body());
        } catch (HttpConnectTimeoutException e) {
            return new Op(agent, node.id(), kind, invoked, System.nanoTime(), Op.Outcome.UNKNOWN, 0, "", null, null);
        } catch (HttpTimeoutException e) {
            return new Op(agent, node.id(), kind, invoked, System.nanoTime(), Op.Outcome.UNKNOWN, 0, "", null, null);
        } catch (IOException e) {
            Op.Outcome outcome = refused(e) ? Op.Outcome.REFUSED : Op.Outcome.UNKNOWN;
            return new Op(agent, node.id(), kind, invoked, System.nanoTime(), outcome, 0, "", null, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Op(agent, node.id(), kind, invoked, System.nanoTime(), Op.Outcome.UNKNOWN, 0, "", null, null);
        }
    }

    /** The invocation time of the latest call answered with a seat answer (not 5xx), for the harness's waits. */
    long lastServedInvocation() {
        return lastServed.get();
    }

    private Op answer(String agent, Op.Kind kind, long invoked, long answered, int status, String body) {
        Instant claimedAt = null;
        Instant expiresAt = null;
        String problem = "";
        try {
            JsonNode json = body.isBlank() ? JSON.missingNode() : JSON.readTree(body);
            if (status == 200 || status == 201) {
                claimedAt = instant(json, "claimedAt");
                expiresAt = instant(json, "expiresAt");
            } else {
                String type = json.path("type").asText("");
                problem = type.substring(type.lastIndexOf('/') + 1);
            }
        } catch (IOException | RuntimeException e) {
            problem = "unreadable-body";
        }
        return new Op(
                agent, node.id(), kind, invoked, answered, Op.Outcome.ANSWERED, status, problem, claimedAt, expiresAt);
    }

    private static Instant instant(JsonNode json, String field) {
        String text = json.path(field).asText("");
        return text.isEmpty() ? null : Instant.parse(text);
    }

    private static boolean refused(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }
}
