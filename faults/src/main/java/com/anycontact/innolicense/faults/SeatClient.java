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
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The seat calls of one ACD, over HTTP, each attempt turned into an {@link Op} with its times on the harness's
 * monotonic clock. A refused connection is {@link Op.Outcome#REFUSED} (the server never saw the call); a timeout
 * or a broken connection is {@link Op.Outcome#UNKNOWN}.
 *
 * <p>With several nodes (a cluster) it fails over as the Java SDK does ({@code LicenseClient.builder().servers}):
 * a refused connection, a timeout or a 5xx passes the same call on to the next node at once (claims, renewals and
 * releases are idempotent per agent), and a node that failed is tried last for a while (half a second, doubling up
 * to {@link #MAX_BACKOFF}). Unlike the SDK, which stays with the node that answered last, the client goes back to
 * its home node once that node's backoff has passed, so that the harness sees a restarted node rejoin; the
 * backoff is capped below the lease TTL for the same reason.
 */
final class SeatClient {

    /** The longest a failed node is put last. */
    static final Duration MAX_BACKOFF = Duration.ofSeconds(4);

    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<ServerNode> nodes;
    private final int home;
    private final String acdToken;
    private final Duration timeout;
    private final HttpClient http;
    private final Served served;
    private final long[] backoffUntil;
    private final long[] backoff;

    /** The invocation time of the latest call each node answered with a seat answer (not 5xx), shared by clients. */
    static final class Served {
        private final AtomicLongArray byNode;

        /** For a run of this many nodes. */
        Served(int nodes) {
            byNode = new AtomicLongArray(nodes);
            for (int i = 0; i < nodes; i++) {
                byNode.set(i, Long.MIN_VALUE);
            }
        }

        void served(int node, long invoked) {
            byNode.accumulateAndGet(node, invoked, Math::max);
        }

        /** The latest invocation a node answered with a seat answer; {@code node} < 0: any node. */
        long lastInvocation(int node) {
            if (node >= 0) {
                return byNode.get(node);
            }
            long last = Long.MIN_VALUE;
            for (int i = 0; i < byNode.length(); i++) {
                last = Math.max(last, byNode.get(i));
            }
            return last;
        }
    }

    /**
     * A client of one node.
     *
     * @param node the node
     * @param acdToken the ACD token
     * @param timeout how long to wait for an answer before giving up on it
     * @param http the HTTP client, shared by the agents of the node
     */
    SeatClient(ServerNode node, String acdToken, Duration timeout, HttpClient http) {
        this(List.of(node), 0, acdToken, timeout, http, new Served(node.id() + 1));
    }

    /**
     * A client of a cluster, failing over between its nodes.
     *
     * @param nodes every node, in the order failover tries them after the home node
     * @param home the index of the node tried first
     * @param acdToken the ACD token
     * @param timeout how long to wait for an answer before giving up on it
     * @param http the HTTP client, shared by the agents
     * @param served where the clients of the run record the nodes' seat answers
     */
    SeatClient(List<ServerNode> nodes, int home, String acdToken, Duration timeout, HttpClient http, Served served) {
        this.nodes = List.copyOf(nodes);
        this.home = home;
        this.acdToken = Objects.requireNonNull(acdToken, "acdToken");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.http = Objects.requireNonNull(http, "http");
        this.served = Objects.requireNonNull(served, "served");
        this.backoffUntil = new long[nodes.size()];
        this.backoff = new long[nodes.size()];
    }

    /**
     * Makes one call, failing over to the other nodes while a node refuses, times out or answers 5xx.
     *
     * @return every attempt, in order; the last one is what the ACD was told
     */
    List<Op> call(String agent, Op.Kind kind) {
        List<Integer> order = new ArrayList<>();
        List<Integer> later = new ArrayList<>();
        long now = System.nanoTime();
        for (int i = 0; i < nodes.size(); i++) {
            int index = (home + i) % nodes.size();
            (backoffUntil[index] - now > 0 ? later : order).add(index);
        }
        order.addAll(later);
        List<Op> attempts = new ArrayList<>();
        for (int index : order) {
            Op op = attempt(nodes.get(index), agent, kind);
            attempts.add(op);
            if (op.outcome() == Op.Outcome.ANSWERED && op.status() < 500) {
                backoff[index] = 0;
                backoffUntil[index] = 0;
                break;
            }
            backoff[index] =
                    backoff[index] == 0 ? FIRST_BACKOFF.toNanos() : Math.min(2 * backoff[index], MAX_BACKOFF.toNanos());
            backoffUntil[index] = System.nanoTime() + backoff[index];
        }
        return attempts;
    }

    private Op attempt(ServerNode node, String agent, Op.Kind kind) {
        HttpRequest.Builder request = HttpRequest.newBuilder(node.base().resolve("/api/v1/seats/" + agent))
                .timeout(timeout)
                .header("Authorization", "Bearer " + acdToken);
        request = kind == Op.Kind.RELEASE ? request.DELETE() : request.PUT(HttpRequest.BodyPublishers.noBody());
        long invoked = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            long answered = System.nanoTime();
            if (response.statusCode() < 500) {
                served.served(node.id(), invoked);
            }
            Op op = answer(node, agent, kind, invoked, answered, response.statusCode(), response.body());
            return unfit(response) == null ? op : withProblem(op, unfit(response));
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

    /** The invocation time of the latest call its first node answered with a seat answer, for the harness's waits. */
    long lastServedInvocation() {
        return served.lastInvocation(nodes.getFirst().id());
    }

    private static Op answer(
            ServerNode node, String agent, Op.Kind kind, long invoked, long answered, int status, String body) {
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

    /**
     * What is wrong with a refusal's form, or null: a 503 must say when to retry ({@code Retry-After}), and no
     * answer may carry a stack trace.
     */
    private static String unfit(HttpResponse<String> response) {
        String body = response.body();
        if (body.contains("Exception") || body.contains("\tat ")) {
            return "stack-trace-in-answer";
        }
        if (response.statusCode() == 503
                && response.headers().firstValue("Retry-After").isEmpty()) {
            return "no-retry-after";
        }
        return null;
    }

    private static Op withProblem(Op op, String problem) {
        return new Op(
                op.agent(),
                op.node(),
                op.kind(),
                op.invokedNanos(),
                op.answeredNanos(),
                op.outcome(),
                op.status(),
                op.problem() + " " + problem,
                op.claimedAt(),
                op.expiresAt());
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
