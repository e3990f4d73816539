package com.anycontact.innolicense.cluster;

import com.anycontact.innolicense.license.TrustMode;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * This node's place among the server nodes of its installation: whether it leads (does the work that must happen
 * once: reaping, lifecycle audit, the usage record's peaks, retention), whether it may serve seats (its clock
 * agrees with the others'), and which nodes there are. The server calls {@link #tick()} once a second, before
 * the singleton work, and asks {@link #leads()} then.
 *
 * <p>The embedded server ({@link #single}) is a cluster of one: it always leads and always serves. A node on the
 * cluster database is a {@link ClusterCoordinator}.
 */
public interface Cluster extends AutoCloseable {

    /** Measures the clock, keeps or seeks the leadership, and writes the heartbeat; once a second. */
    void tick();

    /**
     * Whether this node does the singleton work now: it leads, and confirmed it holds the lock no longer than
     * {@link ClusterCoordinator#LEADERSHIP_CONFIRMED_FOR} ago, so that a node that was stopped for longer does no
     * singleton work before it confirmed again.
     */
    boolean leads();

    /** Why seat calls are refused now, or empty while this node serves them. */
    Optional<ClockSkewedException> seatRefusal();

    /** This node's clock minus the database's, as last measured; empty when embedded or not measured. */
    Optional<Duration> clockOffset();

    /**
     * The least this node's clock minus the database's can be by the reading {@link #clockOffset()} comes from:
     * that offset less half the round trip it was read over. A deadline on the database's clock computed with it
     * is never brought forward by the time a reading took; empty when {@link #clockOffset()} is.
     */
    Optional<Duration> clockOffsetAtLeast();

    /** This node's view of the cluster, for {@code /health/ready}, the API and AC Admin. */
    ClusterStatus status();

    /** Leaves the cluster: lets the leadership go and removes this node from the registry. */
    @Override
    void close();

    /**
     * The embedded server: one node, always the leader, always serving, whose clock is the only one.
     *
     * @param id the node's ID
     * @param address where it is reached
     * @param version the release it runs
     * @param startedAt when it started
     * @param clock its trusted clock, for its last-seen time
     * @param trust which vendor keys it trusts
     */
    static Cluster single(
            String id,
            Supplier<String> address,
            String version,
            Instant startedAt,
            InstantSource clock,
            TrustMode trust) {
        return new Cluster() {
            @Override
            public void tick() {}

            @Override
            public boolean leads() {
                return true;
            }

            @Override
            public Optional<ClockSkewedException> seatRefusal() {
                return Optional.empty();
            }

            @Override
            public Optional<Duration> clockOffset() {
                return Optional.empty();
            }

            @Override
            public Optional<Duration> clockOffsetAtLeast() {
                return Optional.empty();
            }

            @Override
            public ClusterStatus status() {
                ClusterNode self = new ClusterNode(
                        id,
                        address.get(),
                        version,
                        startedAt,
                        clock.instant(),
                        true,
                        Optional.empty(),
                        Duration.ZERO,
                        true,
                        false,
                        Optional.of(trust));
                return new ClusterStatus(
                        ClusterStatus.Mode.EMBEDDED,
                        id,
                        true,
                        true,
                        Optional.empty(),
                        Duration.ZERO,
                        Optional.empty(),
                        List.of(self));
            }

            @Override
            public void close() {}
        };
    }
}
