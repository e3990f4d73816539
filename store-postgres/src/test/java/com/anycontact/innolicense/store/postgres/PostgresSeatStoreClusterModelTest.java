package com.anycontact.innolicense.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.anycontact.innolicense.seat.AgentId;
import com.anycontact.innolicense.seat.ClaimRequest;
import com.anycontact.innolicense.seat.ClaimResult;
import com.anycontact.innolicense.seat.Lease;
import com.anycontact.innolicense.store.DatabaseUnreachableException;
import com.anycontact.innolicense.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * A model-based test of the seat store as a cluster uses it: two or three nodes (each its own {@link
 * PostgresDatabase} with its own connection pool, and its own clock, offset from the database's by up to the
 * clock-skew bound) share one real PostgreSQL schema, and random chains of claims, renewals, releases, reaps (by
 * whichever node leads), time advances, capacity changes, a node's connections ended by the server
 * ({@code pg_terminate_backend}, as a network fault or a PostgreSQL restart ends them), node restarts (pool
 * closed, schema opened again, a new clock offset) and claims from several nodes at once are checked against a
 * reference model after every step.
 *
 * <p>The model is the seat rules written plainly, each call judged by the clock of the node that makes it (as
 * the store judges it: every instant is the calling node's). Checked after every step, through a connection of
 * its own:
 *
 * <ul>
 *   <li>the lease table, the claim sequence and the denial count equal the model's, and the store's live
 *       leases and count at a node's clock equal the model's;
 *   <li>the seat cap: judged by the most-ahead clock a serving node may have (database time + bound), every
 *       live lease ranks within the capacity it was last granted or renewed under (so never more live leases than
 *       capacity, also after capacity drops);
 *   <li>an acked claim or renewal made at database time {@code t} is held, with at least its acked expiry (a
 *       renewal never shortens a lease, whatever its node's clock), and live at every node's
 *       clock, until {@code t + TTL - 2 * bound} (docs/cluster.md, "Clock skew"): no node's reap and no other
 *       node's claim takes it earlier; a renewal in that window is answered {@code Renewed}, with the same claim, unless
 *       capacity dropped;
 *   <li>{@code CapacityReduced} is answered only to a lease granted under more capacity than the call's.
 * </ul>
 *
 * <p>A call on a node whose connections were just ended may fail with a {@link StoreException} or {@link
 * DatabaseUnreachableException} (and its circuit
 * then refuses calls until it reaches the database again); such a call never reached the database, so the model
 * is left as it was. Calls on a node that was not hit since it was last (re)started must not fail, and every node
 * must answer again within seconds without a restart. (A node that answered again after a hit may still fail a
 * call later: its pool can hold more connections that were ended and not yet used since, each found dead only
 * when a call uses it. With seat calls in batches a node touches fewer of its connections per step, which made
 * that show.) Claims from several nodes at once (threads behind a start gate, optionally with one
 * node's connections ended meanwhile) cannot be predicted one by one: their answers are checked for what any
 * order allows (no two grants of one claim sequence, a denial only with every seat taken, a lease only where a
 * grant was answered or the call failed) and the model then takes the table as it is.
 */
class PostgresSeatStoreClusterModelTest {

    private static final Duration TTL = Duration.ofSeconds(60);
    private static final long TTL_MILLIS = TTL.toMillis();

    /** The clock-skew bound B (the server's default {@code --max-clock-offset}). */
    private static final long BOUND_MILLIS = 2_000;

    private static final long T0 = Instant.parse("2026-03-01T08:00:00Z").toEpochMilli();
    private static final int NODES = 3;
    private static final Duration RECOVERY = Duration.ofSeconds(15);

    private PostgresSchema schema;
    private Connection admin;
    private ExecutorService threads;
    private final List<Node> nodes = new ArrayList<>();
    private PostgresSeatStore observer;

    @BeforeProperty
    void openCluster() throws SQLException {
        schema = PostgresSchema.create(getClass());
        for (int i = 0; i < NODES; i++) {
            nodes.add(new Node(
                    "seat-model-node-" + i + "-" + ProcessHandle.current().pid()));
        }
        observer = new PostgresSeatStore(schema.open("seat-model-observer"));
        admin = schema.connect();
        threads = Executors.newCachedThreadPool();
    }

    /** Every node answers again within seconds of its last fault, without a restart. */
    @AfterProperty
    void closeCluster() throws SQLException {
        try {
            for (Node node : nodes) {
                node.awaitRecovery();
            }
        } finally {
            closeAll();
        }
    }

    private void closeAll() throws SQLException {
        if (threads != null) {
            threads.shutdownNow();
        }
        if (admin != null) {
            admin.close();
        }
        nodes.clear();
        if (schema != null) {
            schema.close();
        }
    }

    @Property(tries = 100)
    void atCapacity1_theClusterFollowsTheModel(@ForAll("capacity1") ActionChain<Machine> chain) {
        chain.withInvariant("cluster matches the model", Machine::check).run();
    }

    @Property(tries = 100)
    void atCapacity2_theClusterFollowsTheModel(@ForAll("capacity2") ActionChain<Machine> chain) {
        chain.withInvariant("cluster matches the model", Machine::check).run();
    }

    @Property(tries = 50)
    void atCapacity4_theClusterFollowsTheModel(@ForAll("capacity4") ActionChain<Machine> chain) {
        chain.withInvariant("cluster matches the model", Machine::check).run();
    }

    @Provide
    Arbitrary<ActionChain<Machine>> capacity1() {
        return chains(1);
    }

    @Provide
    Arbitrary<ActionChain<Machine>> capacity2() {
        return chains(2);
    }

    @Provide
    Arbitrary<ActionChain<Machine>> capacity4() {
        return chains(4);
    }

    private Arbitrary<ActionChain<Machine>> chains(int capacity) {
        List<String> agents =
                IntStream.range(0, capacity + 3).mapToObj(i -> "agent-" + i).toList();
        Arbitrary<String> agent = Arbitraries.of(agents);
        Arbitrary<Integer> node = Arbitraries.integers().between(0, NODES - 1);
        Arbitrary<Long> offset = Arbitraries.oneOf(
                Arbitraries.longs().between(-BOUND_MILLIS, BOUND_MILLIS),
                Arbitraries.of(-BOUND_MILLIS, -1_000L, 0L, 1_000L, BOUND_MILLIS));
        Arbitrary<Long> advance = Arbitraries.oneOf(
                Arbitraries.longs().between(1, 2 * TTL_MILLIS),
                Arbitraries.of(
                        1L,
                        BOUND_MILLIS,
                        2 * BOUND_MILLIS,
                        TTL_MILLIS / 3,
                        TTL_MILLIS - 2 * BOUND_MILLIS - 1,
                        TTL_MILLIS - 2 * BOUND_MILLIS,
                        TTL_MILLIS - 1,
                        TTL_MILLIS));
        Arbitrary<Integer> capacities = Arbitraries.integers().between(Math.max(0, capacity - 1), capacity + 1);
        Arbitrary<List<Tuple.Tuple2<String, Integer>>> rush = Arbitraries.of(agents)
                .set()
                .ofMinSize(2)
                .ofMaxSize(Math.min(agents.size(), capacity + 3))
                .flatMap(set -> node.list().ofSize(set.size()).map(nodesOf -> {
                    List<String> rushing = new ArrayList<>(set);
                    return IntStream.range(0, rushing.size())
                            .mapToObj(i -> Tuple.of(rushing.get(i), nodesOf.get(i)))
                            .toList();
                }));
        Arbitrary<Integer> nodeCount = Arbitraries.integers().between(2, NODES);
        return Arbitraries.lazy(() -> nodeCount.flatMap(count -> offset.list()
                .ofSize(count)
                .flatMap(offsets -> ActionChain.<Machine>startWith(() -> new Machine(capacity, offsets))
                        .withAction(
                                10,
                                independent(Arbitraries.of(agents)
                                        .flatMap(a -> node.map(n -> Transformer.<Machine>mutate(
                                                "node " + n + " claims for " + a, m -> m.claim(n, a))))))
                        .withAction(
                                2,
                                independent(agent.flatMap(a -> node.map(n -> Transformer.<Machine>mutate(
                                        "node " + n + " releases " + a, m -> m.release(n, a))))))
                        .withAction(
                                3,
                                independent(node.map(n -> Transformer.<Machine>mutate(
                                        "node " + n + " renews every seat it sees", m -> m.renewAll(n)))))
                        .withAction(
                                5,
                                independent(advance.map(ms ->
                                        Transformer.<Machine>mutate("advance " + ms + " ms", m -> m.advance(ms)))))
                        .withAction(
                                2,
                                independent(node.map(
                                        n -> Transformer.<Machine>mutate("node " + n + " reaps", m -> m.reap(n)))))
                        .withAction(
                                1,
                                independent(capacities.map(
                                        c -> Transformer.<Machine>mutate("capacity " + c, m -> m.capacity = c))))
                        .withAction(
                                1,
                                independent(node.map(n -> Transformer.<Machine>mutate(
                                        "node " + n + "'s connections are ended", m -> m.kill(n)))))
                        .withAction(
                                1,
                                independent(node.flatMap(n -> offset.map(o -> Transformer.<Machine>mutate(
                                        "node " + n + " restarts with clock offset " + o + " ms",
                                        m -> m.restart(n, o))))))
                        .withAction(
                                2,
                                independent(rush.flatMap(r -> Arbitraries.of(-1, 0, 1, 2)
                                        .map(k -> Transformer.<Machine>mutate(
                                                "at once " + r + (k >= 0 ? ", node " + k + "'s connections ended" : ""),
                                                m -> m.rush(r, k))))))
                        .withMaxTransformations(25))));
    }

    private static Action.Independent<Machine> independent(Arbitrary<Transformer<Machine>> transformers) {
        return () -> transformers;
    }

    /** One server node's store: a pool of its own, named so that its connections can be found and ended. */
    final class Node {
        final String name;
        PostgresDatabase database;
        PostgresSeatStore store;

        /** Whether its connections were ended since it was last (re)started: its calls may fail. */
        volatile boolean hit;

        Node(String name) {
            this.name = name;
            open();
        }

        void open() {
            database = schema.open(name);
            store = new PostgresSeatStore(database);
        }

        void restart() {
            database.close();
            open();
            hit = false;
        }

        /** Ends every connection of this node's pool, from outside, as a network fault would. */
        int kill() {
            try (PreparedStatement kill = admin.prepareStatement(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = ?")) {
                kill.setString(1, name);
                hit = true;
                try (ResultSet row = kill.executeQuery()) {
                    row.next();
                    return row.getInt(1);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot end the connections of " + name, e);
            }
        }

        void awaitRecovery() {
            long deadline = System.nanoTime() + RECOVERY.toNanos();
            while (true) {
                try {
                    store.inUse(Instant.ofEpochMilli(T0));
                    return;
                } catch (StoreException | DatabaseUnreachableException e) {
                    if (System.nanoTime() - deadline >= 0) {
                        fail(name + " did not answer again within " + RECOVERY + " of its connections ending", e);
                    }
                    pause();
                }
            }
        }
    }

    /** A node's clock: the database's time plus the node's offset. */
    record NodeClock(Supplier<Long> databaseTime, long offsetMillis) implements InstantSource {
        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public long millis() {
            return databaseTime.get() + offsetMillis;
        }
    }

    /** What a claim or renewal acked: the claim, and until when (the node's instant), at what database time. */
    record Ack(long sequence, long expiresAt, long atDatabaseTime, int capacity) {
        /** Until when the cluster promises to keep it: TTL - 2B after the database time of the ack. */
        long promisedUntil() {
            return atDatabaseTime + TTL_MILLIS - 2 * BOUND_MILLIS;
        }
    }

    /** The cluster under test, the model beside it, and the time every clock follows. */
    final class Machine {
        final Model model = new Model();
        final Map<String, Ack> acks = new HashMap<>();
        final Map<String, Integer> grantedUnder = new HashMap<>();
        final List<Node> serving;
        final List<NodeClock> clocks = new ArrayList<>();
        long now = T0;
        int capacity;

        Machine(int capacity, List<Long> offsets) {
            this.capacity = capacity;
            this.serving = nodes.subList(0, offsets.size());
            offsets.forEach(offset -> clocks.add(new NodeClock(() -> now, offset)));
            try (Statement reset = admin.createStatement()) {
                reset.execute("DELETE FROM lease");
                reset.execute("DELETE FROM denial");
                reset.execute(
                        "UPDATE seat_counter SET last_claim_seq = 0, denials = 0, live_bound = NULL WHERE id = 1");
            } catch (SQLException e) {
                throw new IllegalStateException("cannot empty the seat tables", e);
            }
        }

        void claim(int n, String agent) {
            int index = n % serving.size();
            long at = clock(index);
            Ack ack = acks.get(agent);
            boolean renewing = ack != null && now < ack.promisedUntil() && capacity >= ack.capacity();
            call(
                            index,
                            () -> serving.get(index)
                                    .store
                                    .claim(
                                            ClaimRequest.of(new AgentId(agent)),
                                            capacity,
                                            Instant.ofEpochMilli(at),
                                            TTL))
                    .ifPresent(actual -> {
                        ClaimResult expected = model.claim(agent, capacity, at);
                        assertThat(describe(actual))
                                .as("claim for %s on node %d at its %s", agent, index, Instant.ofEpochMilli(at))
                                .isEqualTo(describe(expected));
                        if (renewing) {
                            assertThat(actual)
                                    .as(
                                            "%s renews within TTL - 2B of its last ack: it keeps claim #%d",
                                            agent, ack.sequence())
                                    .isInstanceOfSatisfying(
                                            ClaimResult.Renewed.class,
                                            renewed -> assertThat(
                                                            renewed.lease().claimSequence())
                                                    .isEqualTo(ack.sequence()));
                        }
                        answered(agent, actual);
                    });
        }

        void renewAll(int n) {
            int index = n % serving.size();
            long at = clock(index);
            for (String agent : model.live(at).map(Model.Held::agent).toList()) {
                claim(index, agent);
            }
        }

        void release(int n, String agent) {
            int index = n % serving.size();
            long at = clock(index);
            call(index, () -> serving.get(index).store.release(new AgentId(agent), Instant.ofEpochMilli(at)))
                    .ifPresent(actual -> {
                        assertThat(actual)
                                .as("release of %s on node %d", agent, index)
                                .isEqualTo(model.release(agent, at));
                        acks.remove(agent);
                        grantedUnder.remove(agent);
                    });
        }

        void advance(long millis) {
            now += millis;
        }

        void reap(int n) {
            int index = n % serving.size();
            long at = clock(index);
            call(index, () -> serving.get(index).store.reap(Instant.ofEpochMilli(at)))
                    .ifPresent(reaped -> assertThat(reaped.stream()
                                    .map(PostgresSeatStoreClusterModelTest::describe)
                                    .toList())
                            .as("reaped by node %d at its %s", index, Instant.ofEpochMilli(at))
                            .containsExactlyElementsOf(model.reap(at).stream()
                                    .map(Model.Held::describeLease)
                                    .toList()));
        }

        void kill(int n) {
            int index = n % serving.size();
            serving.get(index).kill();
        }

        void restart(int n, long offset) {
            int index = n % serving.size();
            serving.get(index).restart();
            clocks.set(index, new NodeClock(() -> now, offset));
        }

        /**
         * Claims for several agents at once, each on its node, from threads behind a start gate; when {@code
         * killed} names a node, its connections are ended while they run.
         */
        void rush(List<Tuple.Tuple2<String, Integer>> claims, int killed) {
            int victim = killed < 0 ? -1 : killed % serving.size();
            CountDownLatch gate = new CountDownLatch(1);
            List<Future<ClaimResult>> answers = new ArrayList<>();
            for (Tuple.Tuple2<String, Integer> claim : claims) {
                int index = claim.get2() % serving.size();
                Instant at = Instant.ofEpochMilli(clock(index));
                answers.add(threads.submit(() -> {
                    gate.await();
                    return serving.get(index)
                            .store
                            .claim(ClaimRequest.of(new AgentId(claim.get1())), capacity, at, TTL);
                }));
            }
            Future<Integer> killing = threads.submit(() -> {
                gate.await();
                return victim < 0 ? 0 : serving.get(victim).kill();
            });
            gate.countDown();
            Map<String, ClaimResult> answered = new LinkedHashMap<>();
            Set<String> failed = new HashSet<>();
            for (int i = 0; i < claims.size(); i++) {
                String agent = claims.get(i).get1();
                int index = claims.get(i).get2() % serving.size();
                try {
                    answered.put(agent, answers.get(i).get(RECOVERY.toSeconds(), TimeUnit.SECONDS));
                } catch (ExecutionException e) {
                    if (!isOutage(e.getCause()) || !(index == victim || serving.get(index).hit)) {
                        throw new AssertionError("claim for " + agent + " on node " + index + " failed", e);
                    }
                    failed.add(agent);
                } catch (InterruptedException | TimeoutException e) {
                    throw new AssertionError("claim for " + agent + " did not answer", e);
                }
            }
            try {
                killing.get(RECOVERY.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("ending node " + victim + "'s connections failed", e);
            }
            adoptRush(answered, failed);
        }

        private void adoptRush(Map<String, ClaimResult> answered, Set<String> failed) {
            Map<String, Model.Held> table = table();
            long lastSequence = model.lastSequence;
            long latest = IntStream.range(0, serving.size())
                    .mapToLong(this::clock)
                    .max()
                    .orElseThrow();
            Set<Long> granted = new HashSet<>();
            int denied = 0;
            for (Map.Entry<String, ClaimResult> entry : answered.entrySet()) {
                String agent = entry.getKey();
                Model.Held before = model.leases.get(agent);
                Model.Held after = table.get(agent);
                switch (entry.getValue()) {
                    case ClaimResult.Claimed claimed -> {
                        long sequence = claimed.lease().claimSequence();
                        assertThat(sequence).as("a new claim for %s", agent).isGreaterThan(lastSequence);
                        assertThat(granted.add(sequence))
                                .as("claim #%d granted once", sequence)
                                .isTrue();
                        assertThat(after)
                                .as("%s's granted lease is in the table", agent)
                                .isNotNull();
                        assertThat(after.describe()).isEqualTo(describe(claimed.lease()));
                    }
                    case ClaimResult.Renewed renewed -> {
                        assertThat(before)
                                .as("%s renewed a lease it held", agent)
                                .isNotNull();
                        assertThat(renewed.lease().claimSequence()).isEqualTo(before.sequence());
                    }
                    case ClaimResult.Denied d -> {
                        denied++;
                        assertThat(d.inUse())
                                .as("%s denied with every seat taken", agent)
                                .isGreaterThanOrEqualTo(d.capacity());
                        assertThat(after == null || (before != null && after.sequence() == before.sequence()))
                                .as("%s was denied and holds no new lease", agent)
                                .isTrue();
                    }
                    case ClaimResult.CapacityReduced reduced ->
                        assertThat(after).as("%s gave its seat up", agent).isNull();
                }
                answered(agent, entry.getValue());
            }
            for (Map.Entry<String, Model.Held> row : table.entrySet()) {
                Model.Held before = model.leases.get(row.getKey());
                boolean unchanged = row.getValue().equals(before)
                        || (before != null && row.getValue().equals(before.asFreed()) && before.expiresAt() <= latest);
                boolean explained = answered.containsKey(row.getKey()) || failed.contains(row.getKey());
                assertThat(unchanged || explained)
                        .as(
                                "lease %s changed only by a claim of this step",
                                row.getValue().describe())
                        .isTrue();
            }
            long denials = observer.denials();
            assertThat(denials - model.denials)
                    .as("denials recorded by this step")
                    .isBetween((long) denied, (long) denied + failed.size());
            for (String agent : failed) {
                Model.Held after = table.get(agent);
                Ack ack = acks.get(agent);
                if (after == null) {
                    acks.remove(agent);
                    grantedUnder.remove(agent);
                } else if (!after.equals(model.leases.get(agent))) {
                    grantedUnder.put(agent, capacity);
                    if (ack != null && after.sequence() == ack.sequence()) {
                        // a renewal that committed and lost its answer: never earlier than acked (V18), whatever
                        // the clock of its node
                        assertThat(after.expiresAt())
                                .as("%s's lease, renewed by a call of this step that failed", agent)
                                .isGreaterThanOrEqualTo(ack.expiresAt());
                    }
                }
            }
            model.adopt(table, counter()[0], denials, liveBound());
        }

        /** The invariants, after every step, read on a connection of the test's own. */
        void check() {
            Map<String, Model.Held> table = table();
            assertThat(table.values().stream().map(Model.Held::describe).toList())
                    .as("the lease table")
                    .containsExactlyElementsOf(model.leases.values().stream()
                            .sorted(Comparator.comparingLong(Model.Held::sequence))
                            .map(Model.Held::describe)
                            .toList());
            long[] counter = counter();
            assertThat(counter[0]).as("the last claim sequence").isEqualTo(model.lastSequence);
            assertThat(counter[1]).as("the denials counted").isEqualTo(model.denials);

            Instant atNode0 = Instant.ofEpochMilli(clock(0));
            List<Lease> live = observer.leases(atNode0);
            assertThat(live.stream()
                            .map(PostgresSeatStoreClusterModelTest::describe)
                            .toList())
                    .as("live leases at node 0's %s", atNode0)
                    .containsExactlyElementsOf(
                            model.live(clock(0)).map(Model.Held::describe).toList());
            assertThat(observer.inUse(atNode0)).isEqualTo(live.size());
            long[] tally = tally();
            assertThat(tally[0])
                    .as("the tally of leases not freed (V17), against the leases not freed")
                    .isEqualTo(tally[1]);
            assertThat(observer.repairSeatCount())
                    .as("the leader's check of the count finds nothing to repair in what the nodes did")
                    .isEmpty();

            long aheadOfAll = now + BOUND_MILLIS;
            List<Model.Held> liveAhead = table.values().stream()
                    .filter(lease -> lease.isLiveAt(aheadOfAll))
                    .toList();
            for (int rank = 0; rank < liveAhead.size(); rank++) {
                String agent = liveAhead.get(rank).agent();
                assertThat(rank)
                        .as(
                                "rank of %s's lease (live %s, by the most-ahead clock a serving node may have) within"
                                        + " the capacity it was last granted under; leases %s",
                                agent, Instant.ofEpochMilli(aheadOfAll), liveAhead)
                        .isLessThan(grantedUnder.getOrDefault(agent, 0));
            }

            acks.forEach((agent, ack) -> {
                if (now < ack.promisedUntil()) {
                    Model.Held held = table.get(agent);
                    assertThat(held)
                            .as(
                                    "%s's acked claim #%d, promised until %s",
                                    agent, ack.sequence(), Instant.ofEpochMilli(ack.promisedUntil()))
                            .isNotNull();
                    assertThat(held.sequence()).isEqualTo(ack.sequence());
                    assertThat(held.freed()).as("%s's lease freed", agent).isFalse();
                    assertThat(held.expiresAt()).isGreaterThanOrEqualTo(ack.expiresAt());
                    for (int i = 0; i < serving.size(); i++) {
                        assertThat(held.expiresAt())
                                .as("%s's lease is live at node %d's clock", agent, i)
                                .isGreaterThan(clock(i));
                    }
                }
            });
        }

        @Override
        public String toString() {
            return serving.size() + " nodes at offsets "
                    + clocks.stream().map(NodeClock::offsetMillis).toList() + " ms, capacity " + capacity
                    + ", database time t0+" + (now - T0) + " ms";
        }

        private void answered(String agent, ClaimResult result) {
            switch (result) {
                case ClaimResult.Claimed claimed -> acked(agent, claimed.lease());
                case ClaimResult.Renewed renewed -> acked(agent, renewed.lease());
                case ClaimResult.CapacityReduced reduced -> {
                    Ack ack = acks.remove(agent);
                    grantedUnder.remove(agent);
                    assertThat(ack == null || capacity < ack.capacity())
                            .as(
                                    "%s's seat is taken back only when capacity dropped below %s",
                                    agent, ack == null ? "-" : ack.capacity())
                            .isTrue();
                }
                case ClaimResult.Denied denied -> {}
            }
        }

        private void acked(String agent, Lease lease) {
            grantedUnder.put(agent, capacity);
            acks.put(agent, new Ack(lease.claimSequence(), lease.expiresAt().toEpochMilli(), now, capacity));
        }

        /** Runs a call on a node: empty when it failed because the node's connections were ended. */
        private <T> Optional<T> call(int index, Supplier<T> work) {
            try {
                T result = work.get();
                return Optional.of(result);
            } catch (StoreException | DatabaseUnreachableException e) {
                if (!serving.get(index).hit) {
                    throw new AssertionError("node " + index + " failed although nothing happened to it", e);
                }
                return Optional.empty();
            }
        }

        private long clock(int index) {
            return clocks.get(index).millis();
        }

        private Map<String, Model.Held> table() {
            Map<String, Model.Held> rows = new LinkedHashMap<>();
            try (Statement select = admin.createStatement();
                    ResultSet row = select.executeQuery(
                            "SELECT agent_id, claim_seq, claimed_at, expires_at, freed_at IS NOT NULL FROM lease"
                                    + " ORDER BY claim_seq")) {
                while (row.next()) {
                    rows.put(
                            row.getString(1),
                            new Model.Held(
                                    row.getString(1),
                                    row.getLong(2),
                                    row.getLong(3),
                                    row.getLong(4),
                                    row.getBoolean(5)));
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read the lease table", e);
            }
            return rows;
        }

        /** The bound of live leases the claims keep (migration V14), or null while unknown. */
        private Long liveBound() {
            try (Statement select = admin.createStatement();
                    ResultSet row = select.executeQuery("SELECT live_bound FROM seat_counter")) {
                row.next();
                long bound = row.getLong(1);
                return row.wasNull() ? null : bound;
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read the seat counter", e);
            }
        }

        /** The sum of the tally of leases not freed, and the leases not freed counted row by row. */
        private long[] tally() {
            try (Statement select = admin.createStatement();
                    ResultSet row = select.executeQuery("SELECT (SELECT coalesce(sum(unfreed), 0) FROM lease_tally),"
                            + " (SELECT count(*) FROM lease WHERE freed_at IS NULL)")) {
                row.next();
                return new long[] {row.getLong(1), row.getLong(2)};
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read the tally", e);
            }
        }

        private long[] counter() {
            try (Statement select = admin.createStatement();
                    ResultSet row = select.executeQuery("SELECT last_claim_seq, denials FROM seat_counter")) {
                row.next();
                return new long[] {row.getLong(1), row.getLong(2)};
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read the seat counter", e);
            }
        }
    }

    /** The reference: the seat rules as plainly as possible, every call judged at the calling node's instant. */
    static final class Model {

        record Held(String agent, long sequence, long claimedAt, long expiresAt, boolean freed) {
            String describe() {
                return agent + "#" + sequence + " until " + expiresAt + (freed ? " (freed)" : "");
            }

            /** As the store's {@link Lease} shows it, which does not say whether it was freed. */
            String describeLease() {
                return agent + "#" + sequence + " until " + expiresAt;
            }

            boolean isLiveAt(long now) {
                return expiresAt > now && !freed;
            }

            Held asFreed() {
                return new Held(agent, sequence, claimedAt, expiresAt, true);
            }
        }

        final LinkedHashMap<String, Held> leases = new LinkedHashMap<>();
        long lastSequence;
        long denials;
        /** What the claims keep as the bound of leases not freed (V14); null while no claim has set it. */
        Long bound;

        Stream<Held> live(long now) {
            return leases.values().stream()
                    .filter(lease -> lease.isLiveAt(now))
                    .sorted(Comparator.comparingLong(Held::sequence));
        }

        ClaimResult claim(String agent, int capacity, long now) {
            Held held = leases.get(agent);
            if (held != null && held.isLiveAt(now)) {
                // a renewal: it counts, ranks, and first frees what it relies on only when the claims' bound of
                // leases not freed does not already rule out any lease ranking beyond capacity (V14)
                if (bound == null || bound > capacity) {
                    free(agent, now);
                    int inUse = (int) live(now).count();
                    long before = live(now)
                            .filter(lease -> lease.sequence() < held.sequence())
                            .count();
                    if (inUse > capacity && before >= capacity) {
                        leases.remove(agent);
                        return new ClaimResult.CapacityReduced(capacity, inUse - 1);
                    }
                }
                // never shortened, whatever the renewing node's clock (V18)
                long expiresAt = Math.max(Math.max(now, held.claimedAt()) + TTL_MILLIS, held.expiresAt());
                Held renewed = new Held(agent, held.sequence(), held.claimedAt(), expiresAt, false);
                leases.put(agent, renewed);
                return new ClaimResult.Renewed(lease(renewed));
            }
            free(agent, now);
            int inUse = (int) live(now).count();
            if (inUse < capacity) {
                Held claimed = new Held(agent, ++lastSequence, now, now + TTL_MILLIS, false);
                leases.put(agent, claimed);
                bound = (long) inUse + 1;
                return new ClaimResult.Claimed(lease(claimed), inUse + 1);
            }
            denials++;
            bound = (long) inUse;
            return new ClaimResult.Denied(capacity, inUse);
        }

        /** Every decision first frees the other agents' leases it counts as expired, for every node. */
        private void free(String agent, long now) {
            leases.replaceAll(
                    (other, lease) -> !other.equals(agent) && lease.expiresAt() <= now ? lease.asFreed() : lease);
        }

        boolean release(String agent, long now) {
            Held held = leases.get(agent);
            if (held != null && held.isLiveAt(now)) {
                leases.remove(agent);
                return true;
            }
            return false;
        }

        List<Held> reap(long now) {
            List<Held> reaped = leases.values().stream()
                    .filter(lease -> lease.expiresAt() <= now || lease.freed())
                    .sorted(Comparator.comparingLong(Held::sequence))
                    .toList();
            reaped.forEach(lease -> leases.remove(lease.agent()));
            return reaped;
        }

        /** Takes the store's state after calls whose order cannot be known (checked by the caller). */
        void adopt(Map<String, Held> table, long lastSequence, long denials, Long bound) {
            this.bound = bound;
            leases.clear();
            leases.putAll(table);
            this.lastSequence = lastSequence;
            this.denials = denials;
        }

        private static Lease lease(Held held) {
            return new Lease(
                    new AgentId(held.agent()),
                    null,
                    null,
                    Instant.ofEpochMilli(held.claimedAt()),
                    Instant.ofEpochMilli(held.claimedAt()),
                    Instant.ofEpochMilli(held.expiresAt()),
                    held.sequence());
        }
    }

    private static String describe(Lease lease) {
        return lease.agent() + "#" + lease.claimSequence() + " until "
                + lease.expiresAt().toEpochMilli();
    }

    private static String describe(ClaimResult result) {
        return switch (result) {
            case ClaimResult.Claimed claimed -> "claimed " + describe(claimed.lease());
            case ClaimResult.Renewed renewed -> "renewed " + describe(renewed.lease());
            case ClaimResult.Denied denied -> "denied " + denied.capacity() + "/" + denied.inUse();
            case ClaimResult.CapacityReduced reduced ->
                "capacity reduced " + reduced.capacity() + "/" + reduced.inUse();
        };
    }

    /** Whether a call failed because its node could not reach the database (and so did nothing). */
    private static boolean isOutage(Throwable failure) {
        return failure instanceof StoreException || failure instanceof DatabaseUnreachableException;
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a node to recover", e);
        }
    }
}
