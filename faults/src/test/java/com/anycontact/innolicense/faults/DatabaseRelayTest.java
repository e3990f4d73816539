package com.anycontact.innolicense.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The relay that cuts one node off from the database: it forwards both ways; cut, it forwards nothing, neither
 * bytes nor the end of a connection, and holds new connections; healed, it delivers what it held; delayed, it
 * forwards everything that much later. Against an echo
 * server on the loopback standing in for PostgreSQL.
 */
class DatabaseRelayTest {

    private ServerSocket echo;
    private final AtomicInteger echoConnections = new AtomicInteger();
    private final AtomicInteger echoEnds = new AtomicInteger();
    private DatabaseRelay relay;

    @BeforeEach
    void start() throws IOException {
        echo = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket client = echo.accept();
                    echoConnections.incrementAndGet();
                    Thread.ofVirtual().start(() -> echoOn(client));
                } catch (IOException e) {
                    return;
                }
            }
        });
        relay = DatabaseRelay.to(echo.getLocalPort());
    }

    private void echoOn(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                out.write(b);
                out.flush();
            }
        } catch (IOException e) {
            // the client went away
        }
        echoEnds.incrementAndGet();
    }

    @AfterEach
    void stop() throws IOException {
        relay.close();
        echo.close();
    }

    @Test
    void forwards_thenHoldsWhileCut_thenDeliversWhatItHeld() throws Exception {
        try (Socket node = connect()) {
            assertThat(roundTrip(node, 'a', 2_000)).isEqualTo('a');

            relay.cut();
            node.getOutputStream().write('b');
            node.getOutputStream().flush();
            assertThat(answer(node, 500)).as("an answer while cut").isEqualTo(-1);

            relay.heal();
            assertThat(answer(node, 2_000))
                    .as("the held byte's echo after the heal")
                    .isEqualTo('b');
            assertThat(roundTrip(node, 'c', 2_000)).isEqualTo('c');
        }
    }

    @Test
    void aConnectionMadeWhileCut_isHeldUntilTheHeal() throws Exception {
        relay.cut();
        try (Socket node = connect()) {
            node.getOutputStream().write('x');
            node.getOutputStream().flush();
            assertThat(answer(node, 500)).isEqualTo(-1);
            assertThat(echoConnections)
                    .as("connections that reached the database while cut")
                    .hasValue(0);

            relay.heal();
            assertThat(answer(node, 2_000)).isEqualTo('x');
            assertThat(echoConnections).hasValue(1);
        }
    }

    @Test
    void aNodeThatGivesUpWhileCut_isSeenByTheDatabaseOnlyAfterTheHeal() throws Exception {
        Socket node = connect();
        assertThat(roundTrip(node, 'a', 2_000)).isEqualTo('a');
        relay.cut();
        node.close();
        Thread.sleep(300);
        assertThat(echoEnds).as("database connections ended while cut").hasValue(0);

        relay.heal();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (echoEnds.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(echoEnds).as("database connections ended after the heal").hasValue(1);
    }

    @Test
    void delayed_holdsWhatItForwardsBothWays_thenForwardsAtOnceAgain() throws Exception {
        try (Socket node = connect()) {
            assertThat(roundTrip(node, 'a', 2_000)).isEqualTo('a');

            relay.delay(Duration.ofMillis(700));
            long sent = System.nanoTime();
            node.getOutputStream().write('b');
            node.getOutputStream().flush();
            assertThat(answer(node, 1_000))
                    .as("no echo within 1 s: 0.7 s there, 0.7 s back")
                    .isEqualTo(-1);
            assertThat(answer(node, 5_000)).as("the echo, later").isEqualTo('b');
            assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThanOrEqualTo(Duration.ofMillis(1_400));

            relay.delay(Duration.ZERO);
            assertThat(roundTrip(node, 'c', 1_000))
                    .as("forwarded at once again")
                    .isEqualTo('c');
        }
    }

    private Socket connect() throws IOException {
        return new Socket(InetAddress.getLoopbackAddress(), relay.port());
    }

    private static int roundTrip(Socket socket, char sent, int waitMillis) throws IOException {
        socket.getOutputStream().write(sent);
        socket.getOutputStream().flush();
        return answer(socket, waitMillis);
    }

    /** The next byte, or -1 when none came within the wait. */
    private static int answer(Socket socket, int waitMillis) throws IOException {
        socket.setSoTimeout(waitMillis);
        try {
            return socket.getInputStream().read();
        } catch (SocketTimeoutException e) {
            return -1;
        }
    }
}
