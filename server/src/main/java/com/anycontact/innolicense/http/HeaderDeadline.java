package com.anycontact.innolicense.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;

/**
 * Disconnects clients that send a request's line and headers too slowly (slowloris): once a connection's
 * first byte of a request has arrived, the headers must be complete within {@link HttpLimits#headerDeadline()}.
 * Jetty's idle timeout does not catch this, since a byte every few seconds keeps the connection busy.
 *
 * <p>Every second it looks at the connections of the server's connectors: a connection whose HTTP/1.1 parser is
 * in a request's line or headers is noted with the time it was first seen so; once that is longer ago than the
 * deadline its connection is closed. A connection between requests (its parser at the start), or reading a body,
 * is not affected (bodies are bounded by size, and idle connections by the idle timeout). Durations are on the
 * monotonic clock. Started and stopped with the server, as one of its beans.
 */
final class HeaderDeadline extends AbstractLifeCycle {

    private final Server server;
    private final long deadlineNanos;
    private final Map<EndPoint, Long> inHeadersSince = new ConcurrentHashMap<>();
    private final AtomicLong cut = new AtomicLong();
    private ScheduledExecutorService sweeper;

    HeaderDeadline(Server server, Duration deadline) {
        this.server = server;
        this.deadlineNanos = deadline.toNanos();
    }

    /** How many connections were closed for sending their headers too slowly. */
    long cut() {
        return cut.get();
    }

    @Override
    protected void doStart() {
        sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                .name("innolicense-header-deadline")
                .daemon(true)
                .factory());
        long period = Math.max(10, Math.min(1_000, deadlineNanos / 4_000_000));
        sweeper.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        sweeper.shutdownNow();
        inHeadersSince.clear();
    }

    private void sweep() {
        long now = System.nanoTime();
        inHeadersSince.keySet().removeIf(endPoint -> !endPoint.isOpen());
        for (Connector connector : server.getConnectors()) {
            for (EndPoint endPoint : connector.getConnectedEndPoints()) {
                if (!(endPoint.getConnection() instanceof HttpConnection connection)) {
                    continue;
                }
                HttpParser parser = connection.getParser();
                if (parser.isStart() || !parser.inHeaderState()) {
                    inHeadersSince.remove(endPoint);
                    continue;
                }
                long since = inHeadersSince.computeIfAbsent(endPoint, e -> now);
                if (now - since >= deadlineNanos) {
                    inHeadersSince.remove(endPoint);
                    cut.incrementAndGet();
                    endPoint.close();
                }
            }
        }
    }
}
