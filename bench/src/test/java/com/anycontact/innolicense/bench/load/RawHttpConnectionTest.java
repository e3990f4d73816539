package com.anycontact.innolicense.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The minimal HTTP/1.1 client of {@link RawHttpArbiter}, against a canned server on loopback. */
class RawHttpConnectionTest {

    @Test
    void exchange_keepsOneConnectionInStepAcrossLengthChunkedAndEmptyBodies() throws Exception {
        List<String> answers = List.of(
                "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\nhello",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
                "HTTP/1.1 204 No Content\r\n\r\n",
                "HTTP/1.1 409 Conflict\r\ncontent-length: 2\r\n\r\n{}");
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<List<String>> requests = CompletableFuture.supplyAsync(() -> serve(server, answers));
            RawHttpArbiter.Connection connection = new RawHttpArbiter.Connection("127.0.0.1", server.getLocalPort());

            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < answers.size(); i++) {
                statuses.add(connection.exchange("PUT /api/v1/seats/a-" + i + " HTTP/1.1\r\nHost: x\r\n\r\n"));
            }
            connection.close();

            assertThat(statuses).containsExactly(201, 200, 204, 409);
            assertThat(requests.get()).hasSize(4).first().asString().startsWith("PUT /api/v1/seats/a-0 ");
        }
    }

    @Test
    void exchange_whenTheServerClosesTheConnection_throws() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<List<String>> requests = CompletableFuture.supplyAsync(() -> serve(server, List.of()));
            RawHttpArbiter.Connection connection = new RawHttpArbiter.Connection("127.0.0.1", server.getLocalPort());

            assertThatThrownBy(() -> connection.exchange("DELETE /x HTTP/1.1\r\nHost: x\r\n\r\n"))
                    .isInstanceOf(EOFException.class);
            connection.close();
            assertThat(requests.get()).hasSize(1);
        }
    }

    /**
     * Accepts one connection and reads a request for each answer, writing the answer back; with no
     * answers, reads one request and closes without answering.
     */
    private static List<String> serve(ServerSocket server, List<String> answers) {
        List<String> requests = new ArrayList<>();
        try (Socket socket = server.accept()) {
            InputStream in = socket.getInputStream();
            for (int i = 0; i < Math.max(answers.size(), 1); i++) {
                requests.add(readRequest(in));
                if (i < answers.size()) {
                    socket.getOutputStream().write(answers.get(i).getBytes(StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return requests;
    }

    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the client closed before the end of a request");
            }
            request.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return request.toString(StandardCharsets.US_ASCII);
    }
}
