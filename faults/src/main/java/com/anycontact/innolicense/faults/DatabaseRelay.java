package com.anycontact.innolicense.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A TCP relay on the loopback between one server node and one PostgreSQL server, which the harness can cut (a
 * network partition of that node alone, while the other nodes still reach the database) or slow down ({@link
 * #delay}).
 *
 * <p>While cut, the relay forwards nothing either way and holds every connection open, as a network that drops
 * every packet does while TCP on both ends keeps the connection up; a connection made meanwhile is accepted (the
 * kernel would queue it) and held the same. Healed, it forwards again what was held, as TCP's retransmission would,
 * on every connection that neither end has given up meanwhile; whatever one end closes, the relay closes on the
 * other. A database that refuses the relay's connection (stopped, or a standby gone) closes the node's.
 */
final class DatabaseRelay implements AutoCloseable {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final ServerSocket listener;
    private final int targetPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    /** Guards {@link #cut}; a lock rather than a monitor, so that a virtual thread waiting for the heal never pins its carrier. */
    private final ReentrantLock gate = new ReentrantLock();

    private final Condition healed = gate.newCondition();
    private boolean cut;
    private volatile boolean closed;
    private volatile long delayNanos;

    private DatabaseRelay(ServerSocket listener, int targetPort) {
        this.listener = listener;
        this.targetPort = targetPort;
    }

    /** A relay on a free loopback port to the server on {@code targetPort}, accepting at once. */
    static DatabaseRelay to(int targetPort) throws IOException {
        ServerSocket listener = new ServerSocket(0, 64, LOOPBACK);
        DatabaseRelay relay = new DatabaseRelay(listener, targetPort);
        Thread.ofVirtual().name("relay-accept-" + listener.getLocalPort()).start(relay::accept);
        return relay;
    }

    /** The port the node connects to. */
    int port() {
        return listener.getLocalPort();
    }

    /** Stops forwarding, both ways, on every connection, and holds new ones. */
    void cut() {
        gate.lock();
        try {
            cut = true;
        } finally {
            gate.unlock();
        }
    }

    /** Forwards again, starting with what was held. */
    void heal() {
        gate.lock();
        try {
            cut = false;
            healed.signalAll();
        } finally {
            gate.unlock();
        }
    }

    /**
     * Holds whatever is read, either way, for {@code delay} before forwarding it, in order (a slow or congested
     * network; a connection's chunks wait one after the other, so a burst waits longer); {@link Duration#ZERO} to
     * forward at once again. What is held then still goes out after its wait.
     */
    void delay(Duration delay) {
        delayNanos = delay.toNanos();
    }

    /** Closes the listener and every connection. */
    @Override
    public void close() {
        closed = true;
        heal();
        closeQuietly(listener);
        sockets.forEach(DatabaseRelay::closeQuietly);
        sockets.clear();
    }

    private void accept() {
        while (!closed) {
            Socket node;
            try {
                node = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            sockets.add(node);
            Thread.ofVirtual().name("relay-" + port() + "-connect").start(() -> connect(node));
        }
    }

    private void connect(Socket node) {
        Socket database = new Socket();
        sockets.add(database); // so that close() ends it even while it waits for the heal
        try {
            awaitHealed();
            database.connect(new InetSocketAddress(LOOPBACK, targetPort), 3_000);
            database.setTcpNoDelay(true);
            node.setTcpNoDelay(true);
        } catch (IOException | InterruptedException e) {
            closeBoth(node, database);
            return;
        }
        Thread.ofVirtual().name("relay-" + port() + "-up").start(() -> pump(node, database));
        pump(database, node);
    }

    /**
     * Copies from one socket to the other until either closes. Whatever is read while cut (bytes, or the end of
     * the connection) waits for the heal: an end that gives up during a partition is not seen by the other until
     * then, so a PostgreSQL session of a node cut off keeps its locks, as it would.
     */
    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            while (true) {
                int read;
                try {
                    read = in.read(buffer);
                } catch (IOException e) {
                    read = -1;
                }
                awaitHealed();
                if (read < 0) {
                    break;
                }
                long delay = delayNanos;
                if (delay > 0) {
                    Thread.sleep(Duration.ofNanos(delay));
                }
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // the other end went away: so does this one
        }
        closeBoth(from, to);
    }

    private void awaitHealed() throws InterruptedException {
        gate.lock();
        try {
            while (cut && !closed) {
                healed.await();
            }
        } finally {
            gate.unlock();
        }
    }

    private void closeBoth(Socket one, Socket other) {
        closeQuietly(one);
        closeQuietly(other);
        sockets.remove(one);
        sockets.remove(other);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // already closed
        }
    }
}
