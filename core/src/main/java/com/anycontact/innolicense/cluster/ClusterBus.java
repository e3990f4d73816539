package com.anycontact.innolicense.cluster;

import java.time.Instant;

/**
 * The bus between the server nodes of one installation: short text messages that one node publishes and every
 * other node receives, so that what one node changed (a seat claimed, a key applied, a token revoked) is seen by
 * all of them at once. Delivery is best effort: a message may be lost (a node without a connection to the bus, a
 * node that crashed right after its change), and the bus tells the receiving node so, as far as it can know
 * it, with {@link Listener#missed}; the node then reads again from the database what it keeps in memory.
 *
 * <p>A message is one line of text (no line break) of at most {@link #MAX_MESSAGE_BYTES} UTF-8 bytes; it must not
 * carry secrets, since whoever may connect to the database may listen. A node does not receive its own messages.
 */
public interface ClusterBus extends AutoCloseable {

    /** The longest message, in UTF-8 bytes. */
    int MAX_MESSAGE_BYTES = 4_000;

    /**
     * Starts listening and sending; returns once the first attempt to listen has ended, connected or not, so
     * that a node serves only after it listens when the database can be reached.
     *
     * @param listener told of every message from another node, and of what may have been missed
     */
    void start(Listener listener);

    /**
     * Hands a message over for sending to the other nodes; never blocks. A message that cannot be sent (the queue
     * is full, the database cannot be reached) is dropped, counted, and reported to the other nodes as missed.
     *
     * @throws IllegalArgumentException when the message has a line break or is longer than {@link
     *     #MAX_MESSAGE_BYTES}
     */
    void publish(String message);

    /** What the bus has done since it started, for metrics. */
    Stats stats();

    /** Stops listening and sending; messages not yet sent are dropped. */
    @Override
    void close();

    /** Told what the other nodes publish, on the bus's own thread; it must be quick and must not block. */
    interface Listener {

        /** A message from another node. */
        void received(String message);

        /**
         * Messages published since {@code since} may have been lost (the listening connection was lost and is back,
         * or a gap in another node's messages was seen): whatever the node keeps in memory from them should be read
         * again. Also told once when listening first begins, for what changed while the node started.
         *
         * @param since the last moment, by the bus's clock, at which the node was known to receive everything
         */
        void missed(Instant since);
    }

    /**
     * Counters of the bus.
     *
     * @param listening whether the listening connection is up now
     * @param sent messages sent to the database
     * @param received messages received from other nodes
     * @param dropped messages that could not be sent
     * @param reconnects times the listening connection was opened again after it was lost
     * @param missed times {@link Listener#missed} was told, the first start included
     */
    record Stats(boolean listening, long sent, long received, long dropped, long reconnects, long missed) {}

    /** The bus of a server that has no other nodes (the embedded database): sends nothing, receives nothing. */
    static ClusterBus alone() {
        return new ClusterBus() {
            @Override
            public void start(Listener listener) {}

            @Override
            public void publish(String message) {}

            @Override
            public Stats stats() {
                return new Stats(false, 0, 0, 0, 0, 0);
            }

            @Override
            public void close() {}
        };
    }
}
