package com.anycontact.innolicense.server;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP receiver of webhooks on a free local port: it records every request (headers and body) and answers
 * with the statuses queued by {@link #answer}, then with its default. {@link #stallNext} makes it keep the next
 * request unanswered, as a receiver that hangs, until {@link #release}; each request has a thread of its own.
 */
final class WebhookReceiver implements AutoCloseable {

    /** One request received. */
    record Received(String path, Map<String, String> headers, String body) {}

    private final HttpServer server;
    private final List<Received> received = new ArrayList<>();
    private final Deque<Integer> answers = new ArrayDeque<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private int defaultStatus = 204;
    private final List<CountDownLatch> stalledAll = new ArrayList<>();
    private CountDownLatch stall;

    WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new ConcurrentHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
            int status;
            CountDownLatch stalled;
            synchronized (this) {
                received.add(new Received(
                        exchange.getRequestURI().getPath(), headers, new String(body, StandardCharsets.UTF_8)));
                status = answers.isEmpty() ? defaultStatus : answers.poll();
                stalled = stall;
                stall = null;
                if (stalled != null) {
                    stalledAll.add(stalled);
                }
            }
            if (stalled != null) {
                try {
                    stalled.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.setExecutor(threads);
        server.start();
    }

    /** The URL of the receiver's path {@code /hooks/innolicense}. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/innolicense";
    }

    /** Answers the next requests with these statuses, in order, then with the default. */
    synchronized void answer(Integer... statuses) {
        answers.addAll(List.of(statuses));
    }

    /** Answers every request not queued with this status. */
    synchronized void answerByDefault(int status) {
        defaultStatus = status;
    }

    /** Keeps the next request unanswered until {@link #release} (or a minute). */
    synchronized void stallNext() {
        stall = new CountDownLatch(1);
    }

    /** Answers the stalled request, and stalls none later. */
    synchronized void release() {
        stall = null;
        stalledAll.forEach(CountDownLatch::countDown);
    }

    /** What was received so far. */
    synchronized List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        threads.shutdownNow();
    }
}
