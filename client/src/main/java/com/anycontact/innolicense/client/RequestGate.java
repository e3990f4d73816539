package com.anycontact.innolicense.client;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;

/**
 * Sends background requests (renewals, releases at close) with at most a fixed number in flight and queues
 * the rest, so that thousands of leases renewing at once (after a server restart, say) open a bounded number
 * of connections instead of one each.
 *
 * <p>Requests leave the queue in a loop, never by recursion: an answer that completes at once (a client
 * already shut down fails every request on the spot) must not grow the stack by one frame per queued request.
 */
final class RequestGate {

    private record Pending(HttpRequest request, CompletableFuture<HttpResponse<String>> answer) {}

    private final HttpClient http;
    private final int maxInFlight;
    private final Queue<Pending> waiting = new ArrayDeque<>();
    private final ThreadLocal<Boolean> draining = ThreadLocal.withInitial(() -> false);
    private int inFlight;

    RequestGate(HttpClient http, int maxInFlight) {
        this.http = http;
        this.maxInFlight = maxInFlight;
    }

    /** Sends the request when a slot is free; the future completes with the answer or the failure. */
    CompletableFuture<HttpResponse<String>> send(HttpRequest request) {
        CompletableFuture<HttpResponse<String>> answer = new CompletableFuture<>();
        synchronized (waiting) {
            waiting.add(new Pending(request, answer));
        }
        drain();
        return answer;
    }

    private void drain() {
        if (draining.get()) {
            return;
        }
        draining.set(true);
        try {
            while (true) {
                Pending next;
                synchronized (waiting) {
                    if (inFlight >= maxInFlight || waiting.isEmpty()) {
                        return;
                    }
                    next = waiting.poll();
                    inFlight++;
                }
                launch(next);
            }
        } finally {
            draining.set(false);
        }
    }

    private void launch(Pending pending) {
        CompletableFuture<HttpResponse<String>> sent;
        try {
            sent = http.sendAsync(pending.request(), HttpResponse.BodyHandlers.ofString());
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((response, failure) -> {
            synchronized (waiting) {
                inFlight--;
            }
            if (failure != null) {
                pending.answer().completeExceptionally(failure);
            } else {
                pending.answer().complete(response);
            }
            drain();
        });
    }
}
