package com.anycontact.innolicense.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** A client of {@code GET /api/v1/events} that parses the stream into events, read on a thread of its own. */
final class EventStream implements AutoCloseable {

    /** One event; {@code name} is {@value #END} when the stream ended. */
    record Event(String name, JsonNode data) {}

    static final String END = "(end)";

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private final Thread reader;
    final int status;

    EventStream(int port, String token) {
        this(port, java.util.Map.of("Authorization", "Bearer " + token));
    }

    /** A stream requested with these headers, e.g. a session cookie. */
    EventStream(int port, java.util.Map<String, String> headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/events"))
                .header("Accept", "text/event-stream");
        headers.forEach(builder::header);
        HttpRequest request = builder.build();
        HttpResponse<Stream<String>> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        this.status = response.statusCode();
        Iterator<String> lines = response.body().iterator();
        this.reader = Thread.ofVirtual().start(() -> read(lines));
    }

    private void read(Iterator<String> lines) {
        String name = "message";
        StringBuilder data = new StringBuilder();
        try {
            while (lines.hasNext()) {
                String line = lines.next();
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        events.add(new Event(name, Api.JSON.readTree(data.toString())));
                    }
                    name = "message";
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).strip());
                }
            }
        } catch (IOException | RuntimeException e) {
            // the stream broke: reported as its end
        }
        events.add(new Event(END, Api.JSON.missingNode()));
    }

    /** The next event that matches, waiting at most {@code timeout}; fails when none came. */
    Event next(Predicate<Event> matching, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Event event = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
            if (event == null) {
                throw new AssertionError("no matching event within " + timeout);
            }
            if (matching.test(event) || event.name().equals(END)) {
                return event;
            }
        }
    }

    /** The next event, or the end, or {@code null} when nothing came within {@code timeout}. */
    Event poll(Duration timeout) throws InterruptedException {
        return events.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    static Predicate<Event> named(String name) {
        return event -> event.name().equals(name);
    }

    @Override
    public void close() {
        reader.interrupt();
        http.close();
    }
}
