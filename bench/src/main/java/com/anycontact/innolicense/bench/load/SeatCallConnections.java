package com.anycontact.innolicense.bench.load;

import java.io.IOException;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The client threads' keep-alive connections to the servers of one arbiter, through the minimal HTTP client of
 * {@link RawHttpArbiter.Connection}: a thread's first seat call picks the next server round-robin (or always the
 * first, {@link #firstOnly}) and keeps its connection. An answer of 500 or more fails the call with the problem the
 * server answered (which refusal: database, store, clock skew, busy); a failed connection is dropped, so that the
 * thread's next call connects anew.
 */
final class SeatCallConnections {

    /**
     * A server that takes seat calls.
     *
     * @param authorization the header line that authorizes the calls, CRLF included, or empty for none
     */
    record Server(String host, int port, String authorization) {}

    private record Held(Server server, RawHttpArbiter.Connection connection) {}

    private final List<Server> servers;
    private final Queue<RawHttpArbiter.Connection> open = new ConcurrentLinkedQueue<>();
    private final ThreadLocal<Held> held = new ThreadLocal<>();
    private final AtomicInteger next = new AtomicInteger();
    private volatile boolean firstOnly;

    SeatCallConnections(List<Server> servers) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("no server to send seat calls to");
        }
        this.servers = List.copyOf(servers);
    }

    /** Sends every thread to the first server from now on. */
    void firstOnly() {
        firstOnly = true;
    }

    /** Sends {@code METHOD /api/v1/seats/AGENT} on this thread's connection; answers the status, below 500. */
    int send(String method, String agent) throws IOException {
        Held mine = held.get();
        if (mine == null) {
            Server server =
                    firstOnly ? servers.getFirst() : servers.get(Math.floorMod(next.getAndIncrement(), servers.size()));
            mine = new Held(server, new RawHttpArbiter.Connection(server.host(), server.port()));
            open.add(mine.connection());
            held.set(mine);
        }
        Server server = mine.server();
        try {
            int status = mine.connection()
                    .exchange(method + " /api/v1/seats/" + agent + " HTTP/1.1\r\nHost: " + server.host() + ":"
                            + server.port() + "\r\n" + server.authorization() + "Content-Length: 0\r\n\r\n");
            if (status >= 500) {
                throw new IOException(method + " " + agent + " on " + server.host() + ":" + server.port() + " answered "
                        + status + ": " + mine.connection().errorBody());
            }
            return status;
        } catch (IOException e) {
            held.remove();
            open.remove(mine.connection());
            mine.connection().close();
            throw e;
        }
    }

    /** Closes every connection; the next call of each thread picks a server again, the first server first. */
    void closeAll() {
        RawHttpArbiter.Connection connection;
        while ((connection = open.poll()) != null) {
            connection.close();
        }
        next.set(0);
    }
}
