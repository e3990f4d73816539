package com.anycontact.innolicense.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anycontact.innolicense.cluster.ClusterBus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cluster bus on a real PostgreSQL: two buses on one database, as two nodes, hear each other and not
 * themselves; a lost listening connection is opened again and reported as missed; a gap in a node's sequence
 * numbers is reported as missed; installations in two schemas of one database do not hear each other.
 */
class PostgresClusterBusTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2027-01-15T09:00:00Z"));

    private PostgresSchema schema;
    private PostgresDatabase database;
    private final List<ClusterBus> buses = new ArrayList<>();

    @BeforeEach
    void open() {
        schema = PostgresSchema.create(getClass());
        database = schema.open();
    }

    @AfterEach
    void close() {
        buses.forEach(ClusterBus::close);
        if (schema != null) {
            schema.close();
        }
    }

    @Test
    void aMessage_reachesTheOtherNode_andNotItsSender() throws Exception {
        Heard heardByA = new Heard();
        Heard heardByB = new Heard();
        ClusterBus a = bus("IACD-TEST", heardByA);
        bus("IACD-TEST", heardByB);

        a.publish("{\"kind\":\"CLAIMED\"}");

        assertThat(heardByB.next()).isEqualTo("{\"kind\":\"CLAIMED\"}");
        a.publish("second");
        assertThat(heardByB.next()).isEqualTo("second");
        assertThat(heardByA.messages).isEmpty();
        assertThat(a.stats().sent()).isEqualTo(2);
        assertThat(a.stats().listening()).isTrue();
    }

    @Test
    void aBurstOfMessages_arrivesComplete_andInOrder_inFewNotifications() throws Exception {
        Heard heard = new Heard();
        ClusterBus a = bus("IACD-TEST", new Heard());
        bus("IACD-TEST", heard);
        String padding = "x".repeat(500);

        for (int i = 0; i < 2_000; i++) {
            a.publish(i + " " + padding);
        }

        for (int i = 0; i < 2_000; i++) {
            assertThat(heard.next()).isEqualTo(i + " " + padding);
        }
        assertThat(heard.missedSince).hasSize(1).as("only the first start's");
    }

    @Test
    void installationsInOneDatabase_doNotHearEachOther() throws Exception {
        Heard other = new Heard();
        ClusterBus a = bus("IACD-AAAA", new Heard());
        bus("IACD-BBBB", other);
        Heard same = new Heard();
        bus("IACD-AAAA", same);

        a.publish("for A only");

        assertThat(same.next()).isEqualTo("for A only");
        assertThat(other.messages.poll(500, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void aLostListeningConnection_isOpenedAgain_andWhatMayHaveBeenMissedIsTold() throws Exception {
        Heard heard = new Heard();
        ClusterBus a = bus("IACD-TEST", new Heard());
        ClusterBus b = bus("IACD-TEST", heard);
        assertThat(heard.missedSince.poll(WAIT.toSeconds(), TimeUnit.SECONDS))
                .as("told at the first start")
                .isNotNull();

        terminateListeners();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (b.stats().reconnects() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }

        assertThat(b.stats().reconnects()).isGreaterThanOrEqualTo(1);
        assertThat(heard.missedSince.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(CLOCK.instant());
        a.publish("after the reconnect");
        assertThat(heard.next()).isEqualTo("after the reconnect");
    }

    @Test
    void aGapInAnotherNodesSequence_isToldAsMissed() throws Exception {
        Heard heard = new Heard();
        bus("IACD-TEST", heard);
        heard.missedSince.poll(WAIT.toSeconds(), TimeUnit.SECONDS);

        notify("innolicense IACD-TEST", "othernode 1\nfirst");
        assertThat(heard.next()).isEqualTo("first");
        notify("innolicense IACD-TEST", "othernode 3\nthird");

        assertThat(heard.next()).isEqualTo("third");
        assertThat(heard.missedSince.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isNotNull();
    }

    @Test
    void aMessageWithALineBreak_orTooLong_isRefused() {
        ClusterBus a = bus("IACD-TEST", new Heard());

        assertThatThrownBy(() -> a.publish("two\nlines")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.publish("x".repeat(ClusterBus.MAX_MESSAGE_BYTES + 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLongScope_givesAChannelWithinPostgresLimit() {
        String channel = PostgresClusterBus.channel("s".repeat(200));

        assertThat(channel.length()).isLessThanOrEqualTo(63);
        assertThat(PostgresClusterBus.channel("IACD-7K3M-Q9XW-2D4F-HT6B"))
                .isEqualTo("innolicense IACD-7K3M-Q9XW-2D4F-HT6B");
    }

    private ClusterBus bus(String scope, Heard heard) {
        PostgresClusterBus bus = new PostgresClusterBus(database, scope, CLOCK);
        buses.add(bus);
        bus.start(heard);
        return bus;
    }

    private void terminateListeners() throws SQLException {
        try (Connection connection = schema.connect();
                PreparedStatement terminate =
                        connection.prepareStatement("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                                + " WHERE application_name = 'innolicense-cluster-listener'");
                ResultSet result = terminate.executeQuery()) {
            result.next();
            assertThat(result.getInt(1)).isGreaterThanOrEqualTo(1);
        }
    }

    private void notify(String channel, String payload) throws SQLException {
        try (Connection connection = schema.connect();
                PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
            notify.setString(1, channel);
            notify.setString(2, payload);
            notify.execute();
        }
    }

    /** What a bus's listener was told. */
    private static final class Heard implements ClusterBus.Listener {
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final BlockingQueue<Instant> missedSince = new LinkedBlockingQueue<>();

        @Override
        public void received(String message) {
            messages.add(message);
        }

        @Override
        public void missed(Instant since) {
            missedSince.add(since);
        }

        String next() throws InterruptedException {
            String message = messages.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            if (message == null) {
                throw new AssertionError("no message within " + WAIT);
            }
            return message;
        }
    }
}
