package com.anycontact.innolicense.bench.load;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Ours over HTTP, as {@link HttpArbiter}, but through a minimal blocking HTTP/1.1 client: one
 * keep-alive socket per client thread, a request written in one go, the answer's status read and
 * its body skipped. It costs the load generator a fraction of what {@code java.net.http} does, so
 * on a shared 2-core machine it shows more of what the server itself can do.
 */
final class RawHttpArbiter implements SeatArbiter {

    static final String NAME = "ours-http-raw";

    private final ServerProcess server;
    private final SeatCallConnections connections;

    /** An arbiter on a running server, which {@link #close()} stops. */
    RawHttpArbiter(ServerProcess server) {
        this.server = server;
        this.connections = new SeatCallConnections(List.of(new SeatCallConnections.Server(
                server.base().getHost(),
                server.base().getPort(),
                "Authorization: Bearer " + server.acdToken() + "\r\n")));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Durability durability() {
        return new Durability(
                Durability.Survives.PROCESS_CRASH,
                "group commit to a SQLite journal (WAL, synchronous=NORMAL); renewals at checkpoints");
    }

    @Override
    public void reset(int capacity) throws IOException, InterruptedException {
        connections.closeAll();
        server.applyLicense(capacity);
    }

    @Override
    public boolean claim(String agent) throws IOException {
        return SeatAnswers.claimed(agent, connections.send("PUT", agent));
    }

    @Override
    public boolean renew(String agent) throws IOException {
        return SeatAnswers.renewed(agent, connections.send("PUT", agent));
    }

    @Override
    public void release(String agent) throws IOException {
        SeatAnswers.released(agent, connections.send("DELETE", agent));
    }

    @Override
    public void close() throws InterruptedException {
        connections.closeAll();
        server.close();
    }

    /** One keep-alive connection, used by one thread at a time. */
    static final class Connection {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final StringBuilder line = new StringBuilder();

        Connection(String host, int port) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 5_000);
            socket.setSoTimeout(30_000);
            in = new BufferedInputStream(socket.getInputStream(), 8192);
            out = new BufferedOutputStream(socket.getOutputStream(), 1024);
        }

        private static final int ERROR_BODY_LIMIT = 4096;

        private String errorBody = "";

        int exchange(String request) throws IOException {
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String statusLine = readLine();
            if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12) {
                throw new IOException("not an HTTP/1.1 answer: " + statusLine);
            }
            int status = Integer.parseInt(statusLine.substring(9, 12));
            long length = 0;
            boolean chunked = false;
            for (String header = readLine(); !header.isEmpty(); header = readLine()) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).strip());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            if (chunked) {
                for (long size = Long.parseLong(readLine().strip(), 16); size > 0; ) {
                    skip(size);
                    readLine();
                    size = Long.parseLong(readLine().strip(), 16);
                }
                while (!readLine().isEmpty()) {
                    // trailers
                }
            } else if (status >= 500 && length <= ERROR_BODY_LIMIT) {
                errorBody = new String(in.readNBytes((int) length), StandardCharsets.UTF_8);
            } else {
                skip(length);
            }
            return status;
        }

        /**
         * The body of the last answer of status 500 or more that had a length (a problem, saying which refusal it
         * is), or empty.
         */
        String errorBody() {
            return errorBody;
        }

        private String readLine() throws IOException {
            line.setLength(0);
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new EOFException("the server closed the connection");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }

        private void skip(long bytes) throws IOException {
            long left = bytes;
            while (left > 0) {
                long skipped = in.skip(left);
                if (skipped <= 0) {
                    if (in.read() < 0) {
                        throw new EOFException("the server closed the connection mid-answer");
                    }
                    skipped = 1;
                }
                left -= skipped;
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Closing a connection that is gone already is not a failure of the run.
            }
        }
    }
}
