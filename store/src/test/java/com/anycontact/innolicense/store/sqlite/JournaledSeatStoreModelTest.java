package com.anycontact.innolicense.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.seat.AgentId;
import com.anycontact.innolicense.seat.ClaimRequest;
import com.anycontact.innolicense.seat.ClaimResult;
import com.anycontact.innolicense.seat.Lease;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * A model-based test of the journaled store over a real SQLite file: random chains of claims, renewals,
 * releases, time advances (expiries), reaps, checkpoints, capacity changes, crashes ({@link
 * JournaledSeatStore#halt()}: no final checkpoint, renewals since the last one lost) and clean restarts, at base
 * capacities 1, 2 and 5, each step checked against a reference model of a few lines.
 *
 * <p>The model: a map of leases in claim order, each live while its expiry lies after now; a claim renews a live
 * lease (or releases it when capacity dropped and at least {@code capacity} live leases were claimed before it),
 * grants a new one when fewer than {@code capacity} are live, and is denied otherwise. A crash keeps the leases
 * that were live when the store was last told the time by a claim, release or reap (a store knows time only
 * through its calls; the server's reaper tells it every second), each held until at least the reopening time plus
 * the restart grace. A clean restart keeps everything exactly.
 *
 * <p>Checked after every step: every answer equals the model's; the store's live leases equal the model's, in
 * claim order; every live lease ranks within the capacity it was last granted or renewed under (so never more live
 * leases than capacity, and no lease that died ranked ahead of a live one after a restart); and every acked claim
 * or renewal is held at least until its acked expiry, across crashes.
 */
class JournaledSeatStoreModelTest {

    private static final Duration TTL = Duration.ofSeconds(60);
    private static final long TTL_MILLIS = TTL.toMillis();
    private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
    private static final Duration NEVER = Duration.ofDays(1);

    private final List<Machine> machines = new ArrayList<>();

    @AfterTry
    void disposeMachines() {
        machines.forEach(Machine::dispose);
        machines.clear();
    }

    @Property(tries = 60)
    void atCapacity1_theStoreFollowsTheModel(@ForAll("capacity1") ActionChain<Machine> chain) {
        chain.withInvariant("store matches the model", Machine::check).run();
    }

    @Property(tries = 60)
    void atCapacity2_theStoreFollowsTheModel(@ForAll("capacity2") ActionChain<Machine> chain) {
        chain.withInvariant("store matches the model", Machine::check).run();
    }

    @Property(tries = 40)
    void atCapacity5_theStoreFollowsTheModel(@ForAll("capacity5") ActionChain<Machine> chain) {
        chain.withInvariant("store matches the model", Machine::check).run();
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
    Arbitrary<ActionChain<Machine>> capacity5() {
        return chains(5);
    }

    private Arbitrary<ActionChain<Machine>> chains(int capacity) {
        List<String> agents =
                IntStream.range(0, capacity + 3).mapToObj(i -> "agent-" + i).toList();
        Arbitrary<String> agent = Arbitraries.of(agents);
        Arbitrary<Long> advance = Arbitraries.oneOf(
                Arbitraries.longs().between(1, 2 * TTL_MILLIS),
                Arbitraries.of(1L, TTL_MILLIS / 3, TTL_MILLIS - 1, TTL_MILLIS, TTL_MILLIS + 1));
        Arbitrary<Integer> capacities = Arbitraries.integers().between(Math.max(0, capacity - 1), capacity + 1);
        return ActionChain.<Machine>startWith(() -> {
                    Machine machine = new Machine(capacity);
                    machines.add(machine);
                    return machine;
                })
                .withAction(8, independent(agent.map(a -> Transformer.mutate("claim " + a, m -> m.claim(a)))))
                .withAction(2, independent(agent.map(a -> Transformer.mutate("release " + a, m -> m.release(a)))))
                .withAction(
                        5,
                        independent(advance.map(ms -> Transformer.mutate("advance " + ms + " ms", m -> m.advance(ms)))))
                .withAction(1, Action.just(Transformer.mutate("reap", Machine::reap)))
                .withAction(1, Action.just(Transformer.mutate("checkpoint", Machine::checkpoint)))
                .withAction(1, Action.just(Transformer.mutate("crash and reopen", Machine::crash)))
                .withAction(1, Action.just(Transformer.mutate("close and reopen", Machine::restart)))
                .withAction(
                        1, independent(capacities.map(c -> Transformer.mutate("capacity " + c, m -> m.capacity = c))))
                .withMaxTransformations(60);
    }

    private static Action.Independent<Machine> independent(Arbitrary<Transformer<Machine>> transformers) {
        return () -> transformers;
    }

    /** The store under test, the model beside it, and the clock both are told. */
    static final class Machine {
        final Path directory;
        final Model model = new Model();
        final Map<String, Integer> grantedUnder = new HashMap<>();
        final Map<String, Long> ackedUntil = new HashMap<>();
        SqliteDatabase database;
        JournaledSeatStore store;
        long now = T0.toEpochMilli();
        int capacity;

        Machine(int capacity) {
            this.capacity = capacity;
            try {
                directory = Files.createTempDirectory("seat-model-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            open();
        }

        void claim(String agent) {
            ClaimResult actual = store.claim(ClaimRequest.of(new AgentId(agent)), capacity, instant(), TTL);
            ClaimResult expected = model.claim(agent, capacity, now);
            assertThat(describe(actual)).as("claim by %s", agent).isEqualTo(describe(expected));
            switch (actual) {
                case ClaimResult.Claimed claimed -> granted(agent, claimed.lease());
                case ClaimResult.Renewed renewed -> granted(agent, renewed.lease());
                case ClaimResult.CapacityReduced reduced -> forget(agent);
                case ClaimResult.Denied denied -> {}
            }
        }

        void release(String agent) {
            boolean actual = store.release(new AgentId(agent), instant());
            assertThat(actual).as("release by %s", agent).isEqualTo(model.release(agent, now));
            forget(agent);
        }

        void advance(long millis) {
            now += millis;
        }

        void reap() {
            List<Lease> reaped = store.reap(instant());
            model.toldAt(now);
            assertThat(reaped)
                    .as("reaped leases are expired")
                    .allMatch(lease -> !lease.expiresAt().isAfter(instant()));
        }

        void checkpoint() {
            store.checkpoint();
        }

        void crash() {
            store.halt();
            database.close();
            model.crash(now + TTL_MILLIS);
            open();
        }

        void restart() {
            store.close();
            database.close();
            open();
        }

        /** The invariants, after every step. */
        void check() {
            List<Lease> live = store.leases(instant());
            assertThat(live.stream().map(Machine::describe).toList())
                    .as("live leases at %s", instant())
                    .containsExactlyElementsOf(
                            model.live(now).map(Model.Held::describe).toList());
            assertThat(store.inUse(instant())).isEqualTo(live.size());
            for (int rank = 0; rank < live.size(); rank++) {
                String agent = live.get(rank).agent().value();
                assertThat(rank)
                        .as("rank of %s's live lease within the capacity it was granted under", agent)
                        .isLessThan(grantedUnder.getOrDefault(agent, 0));
            }
            Map<String, Long> held = new HashMap<>();
            live.forEach(
                    lease -> held.put(lease.agent().value(), lease.expiresAt().toEpochMilli()));
            ackedUntil.forEach((agent, until) -> {
                if (until > now) {
                    assertThat(held.get(agent))
                            .as("%s's acked lease, held until at least %s", agent, Instant.ofEpochMilli(until))
                            .isNotNull()
                            .isGreaterThanOrEqualTo(until);
                }
            });
        }

        void dispose() {
            try {
                if (store != null) {
                    store.halt();
                }
            } finally {
                database.close();
                deleteRecursively(directory);
            }
        }

        @Override
        public String toString() {
            return "machine at capacity " + capacity + ", t0+" + (now - T0.toEpochMilli()) + " ms";
        }

        private void open() {
            database = SqliteDatabase.open(directory);
            store = JournaledSeatStore.open(database, instant(), TTL, NEVER);
        }

        private void granted(String agent, Lease lease) {
            grantedUnder.put(agent, capacity);
            ackedUntil.put(agent, lease.expiresAt().toEpochMilli());
        }

        private void forget(String agent) {
            grantedUnder.remove(agent);
            ackedUntil.remove(agent);
        }

        private Instant instant() {
            return Instant.ofEpochMilli(now);
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

        private static void deleteRecursively(Path directory) {
            try (Stream<Path> paths = Files.walk(directory)) {
                paths.sorted(Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The reference: the seat rules written as plainly as possible, with no journal, index or lock. */
    static final class Model {

        record Held(String agent, long sequence, long expiresAt) {
            String describe() {
                return agent + "#" + sequence + " until " + expiresAt;
            }
        }

        private final LinkedHashMap<String, Held> leases = new LinkedHashMap<>();
        private long lastSequence;
        private long toldAt = Long.MIN_VALUE;

        Stream<Held> live(long now) {
            return leases.values().stream().filter(lease -> lease.expiresAt() > now);
        }

        ClaimResult claim(String agent, int capacity, long now) {
            toldAt(now);
            Held held = leases.get(agent);
            int inUse = (int) live(now).count();
            if (held != null && held.expiresAt() > now) {
                long before = live(now)
                        .filter(lease -> lease.sequence() < held.sequence())
                        .count();
                if (inUse > capacity && before >= capacity) {
                    leases.remove(agent);
                    return new ClaimResult.CapacityReduced(capacity, inUse - 1);
                }
                Held renewed = new Held(agent, held.sequence(), now + TTL_MILLIS);
                leases.put(agent, renewed);
                return new ClaimResult.Renewed(lease(renewed));
            }
            if (inUse < capacity) {
                leases.remove(agent);
                Held claimed = new Held(agent, ++lastSequence, now + TTL_MILLIS);
                leases.put(agent, claimed);
                return new ClaimResult.Claimed(lease(claimed), inUse + 1);
            }
            return new ClaimResult.Denied(capacity, inUse);
        }

        boolean release(String agent, long now) {
            toldAt(now);
            Held held = leases.get(agent);
            if (held != null && held.expiresAt() > now) {
                leases.remove(agent);
                return true;
            }
            return false;
        }

        void toldAt(long now) {
            toldAt = Math.max(toldAt, now);
        }

        /** A crash: the leases live when the store was last told the time come back, held at least until then. */
        void crash(long heldUntilAtLeast) {
            long told = toldAt;
            leases.values().removeIf(lease -> lease.expiresAt() <= told);
            leases.replaceAll(
                    (agent, lease) -> new Held(agent, lease.sequence(), Math.max(lease.expiresAt(), heldUntilAtLeast)));
        }

        private static Lease lease(Held held) {
            Instant expiry = Instant.ofEpochMilli(held.expiresAt());
            return new Lease(
                    new AgentId(held.agent()), null, null, Instant.EPOCH, Instant.EPOCH, expiry, held.sequence());
        }
    }
}
