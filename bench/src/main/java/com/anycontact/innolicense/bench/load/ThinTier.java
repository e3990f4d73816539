package com.anycontact.innolicense.bench.load;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The thinnest HTTP tier in front of the PostgreSQL peer, to measure what a middle tier costs on this machine by
 * itself: a process that answers {@code PUT /api/v1/seats/AGENT} with the peer's claim and {@code DELETE} with its
 * release ({@link PostgresArbiter}'s statements, on a table of its own), nothing else. One platform thread and one
 * JDBC connection per client connection, blocking reads and writes, no pool, no JSON, no batching, no
 * idempotence, no denial records, no events, no clock checks: a lower bound of the processor time any server
 * between the ACD and PostgreSQL spends, not a design.
 *
 * <p>Run by {@link ThinTierArbiter}: {@code java -cp benchmarks.jar ...ThinTier PORT JDBC_URL TABLE}; prints
 * {@code listening} once it accepts connections.
 */
public final class ThinTier {

    private ThinTier() {}

    /** Serves until killed. */
    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        String jdbcUrl = args[1];
        String table = args[2];
        try (ServerSocket server = new ServerSocket(port, 512, InetAddress.getLoopbackAddress())) {
            System.out.println("listening");
            System.out.flush();
            while (true) {
                Socket client = server.accept();
                client.setTcpNoDelay(true);
                Thread.ofPlatform().daemon().start(() -> serve(client, jdbcUrl, table));
            }
        }
    }

    private static void serve(Socket client, String jdbcUrl, String table) {
        try (client;
                Connection database = DriverManager.getConnection(jdbcUrl);
                PreparedStatement claim = database.prepareStatement("UPDATE " + table
                        + " SET agent_id = ?, expires_at = ? WHERE slot = (SELECT slot FROM " + table
                        + " WHERE agent_id IS NULL OR expires_at <= ? LIMIT 1 FOR UPDATE SKIP LOCKED)"
                        + " RETURNING slot");
                PreparedStatement release = database.prepareStatement(
                        "UPDATE " + table + " SET agent_id = NULL, expires_at = NULL WHERE agent_id = ?")) {
            InputStream in = new BufferedInputStream(client.getInputStream(), 8192);
            OutputStream out = new BufferedOutputStream(client.getOutputStream(), 512);
            StringBuilder line = new StringBuilder();
            while (true) {
                String requestLine = readLine(in, line);
                if (requestLine == null) {
                    return;
                }
                while (!readLine(in, line).isEmpty()) {
                    // headers: every request of the bench has no body
                }
                int path = requestLine.indexOf("/api/v1/seats/");
                String agent = requestLine.substring(path + 14, requestLine.indexOf(' ', path));
                String status;
                if (requestLine.startsWith("PUT ")) {
                    long now = System.currentTimeMillis();
                    claim.setString(1, agent);
                    claim.setLong(2, now + SeatArbiter.LEASE_TTL_MILLIS);
                    claim.setLong(3, now);
                    try (ResultSet slot = claim.executeQuery()) {
                        status = slot.next() ? "201 Created" : "409 Conflict";
                    }
                } else {
                    release.setString(1, agent);
                    release.executeUpdate();
                    status = "204 No Content";
                }
                out.write(("HTTP/1.1 " + status + "\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (IOException | SQLException | RuntimeException e) {
            System.err.println("a connection ended: " + e);
        }
    }

    private static String readLine(InputStream in, StringBuilder line) throws IOException {
        line.setLength(0);
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                return null;
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
