package com.anycontact.innolicense.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.access.LoginThrottle;
import com.anycontact.innolicense.access.LoginThrottleStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link LoginThrottleStore} must do, through the {@link LoginThrottle} as the server uses it. A store's
 * test says how to open a fresh store and a second one over the same data, as another server node sees it; so a
 * store shared by cluster nodes is shown to hold the delays and the global budget across nodes: a guesser gains
 * nothing by sending his guesses to several nodes.
 */
public abstract class LoginThrottleStoreContract {

    /** An instant in whole milliseconds, the precision every store keeps. */
    protected static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    private static final String HOME = "192.0.2.1";

    /** The time both nodes read. */
    protected final AtomicReference<Instant> now = new AtomicReference<>(T0);

    private final InstantSource clock = () -> now.get();

    /** The store of node A. */
    protected LoginThrottleStore store;

    private LoginThrottle nodeA;
    private LoginThrottle nodeB;

    /** A new, empty store; called before each test. */
    protected abstract LoginThrottleStore createStore() throws Exception;

    /** A second store over the same data as the one created, as another server node opens it. */
    protected abstract LoginThrottleStore otherNode() throws Exception;

    @BeforeEach
    final void openFreshStores() throws Exception {
        store = createStore();
        nodeA = new LoginThrottle(store, clock);
        nodeB = new LoginThrottle(otherNode(), clock);
    }

    private void advance(Duration duration) {
        now.set(now.get().plus(duration));
    }

    private LoginThrottle node(int i) {
        return i % 2 == 0 ? nodeA : nodeB;
    }

    private static boolean admitted(LoginThrottle.Result result) {
        return result instanceof LoginThrottle.Result.Go;
    }

    @Test
    void failuresOfOnePair_onTwoNodes_lockItAfterFive_forOneSecondDoubling() {
        for (int i = 0; i < LoginThrottle.PAIR_FREE_FAILURES; i++) {
            assertThat(admitted(node(i).attempt("alice", HOME))).isTrue();
        }

        assertThat(nodeB.attempt("ALICE", HOME)).isEqualTo(new LoginThrottle.Result.Wait(Duration.ofSeconds(1)));
        assertThat(nodeA.attempt("alice", HOME)).isEqualTo(new LoginThrottle.Result.Wait(Duration.ofSeconds(1)));
        advance(Duration.ofSeconds(1));
        assertThat(admitted(nodeA.attempt("alice", HOME))).isTrue();
        assertThat(nodeB.attempt("alice", HOME)).isEqualTo(new LoginThrottle.Result.Wait(Duration.ofSeconds(2)));
        assertThat(admitted(nodeB.attempt("alice", "198.51.100.9")))
                .as("the same user from elsewhere")
                .isTrue();
        assertThat(nodeA.lockedCount()).isEqualTo(1);
    }

    @Test
    void failuresFromOneAddress_onTwoNodes_lockItForEveryUsernameAfterTwenty() {
        for (int i = 0; i < LoginThrottle.ADDRESS_FREE_FAILURES; i++) {
            assertThat(admitted(node(i).attempt("user" + i, HOME))).isTrue();
        }

        assertThat(nodeB.attempt("someone-new", HOME)).isEqualTo(new LoginThrottle.Result.Wait(Duration.ofSeconds(1)));
        assertThat(admitted(nodeA.attempt("someone-new", "198.51.100.9"))).isTrue();
    }

    @Test
    void theGlobalBudget_isOneBudgetForAllNodes() {
        for (int i = 0; i < LoginThrottle.GLOBAL_BUDGET; i++) {
            assertThat(admitted(node(i).attempt("user" + i, "198.51.100." + i)))
                    .as("attempt %d", i)
                    .isTrue();
        }

        assertThat(nodeA.attempt("fresh", "203.0.113.1")).isInstanceOf(LoginThrottle.Result.Wait.class);
        assertThat(nodeB.attempt("fresh", "203.0.113.1")).isInstanceOf(LoginThrottle.Result.Wait.class);
        advance(LoginThrottle.GLOBAL_REFILL);
        assertThat(admitted(nodeB.attempt("fresh", "203.0.113.1"))).isTrue();
        assertThat(nodeA.attempt("fresh2", "203.0.113.2")).isInstanceOf(LoginThrottle.Result.Wait.class);
    }

    @Test
    void theGlobalBudget_isNotRefilledTwiceByNodesWhoseClocksDisagree() {
        AtomicReference<Instant> ahead = new AtomicReference<>(T0.plusSeconds(30));
        LoginThrottle fast = new LoginThrottle(store, () -> ahead.get());
        for (int i = 0; i < LoginThrottle.GLOBAL_BUDGET; i++) {
            nodeB.attempt("user" + i, "198.51.100." + i);
        }

        int admitted = 0;
        for (int second = 0; second < 10; second++) {
            advance(Duration.ofSeconds(1));
            ahead.set(ahead.get().plusSeconds(1));
            for (int i = 0; i < 40; i++) {
                if (admitted(fast.attempt("a" + second + "-" + i, "203.0.113." + i))) {
                    admitted++;
                }
                if (admitted(nodeB.attempt("b" + second + "-" + i, "203.0.114." + i))) {
                    admitted++;
                }
            }
        }

        assertThat(admitted)
                .as("the 30 s the fast clock is ahead count once, then one failure a second")
                .isBetween(40, 41);
    }

    @Test
    void aKnownGoodPair_skipsTheAddressLockAndTheBudget_onEveryNode() {
        LoginThrottle.Result first = nodeA.attempt("alice", HOME);
        nodeA.succeeded(((LoginThrottle.Result.Go) first).attempt());
        for (int i = 0; i < LoginThrottle.ADDRESS_FREE_FAILURES; i++) {
            nodeB.attempt("intruder" + i, HOME);
        }
        for (int i = 0; i < LoginThrottle.GLOBAL_BUDGET; i++) {
            nodeB.attempt("user" + i, "198.51.100." + i);
        }
        assertThat(nodeA.attempt("bob", HOME)).isInstanceOf(LoginThrottle.Result.Wait.class);

        LoginThrottle.Result alice = nodeB.attempt("Alice", HOME);

        assertThat(alice).isInstanceOf(LoginThrottle.Result.Go.class);
        assertThat(((LoginThrottle.Result.Go) alice).attempt().knownGood()).isTrue();
    }

    @Test
    void succeeded_onAnotherNode_clearsThePairAndGivesBackTheAddressCount() {
        for (int i = 0; i < LoginThrottle.PAIR_FREE_FAILURES - 1; i++) {
            nodeA.attempt("alice", HOME);
        }
        for (int i = 0; i < LoginThrottle.ADDRESS_FREE_FAILURES - LoginThrottle.PAIR_FREE_FAILURES - 1; i++) {
            nodeA.attempt("other" + i, HOME);
        }
        LoginThrottle.Result last = nodeB.attempt("alice", HOME); // the pair's fifth: locked, unless undone

        nodeB.succeeded(((LoginThrottle.Result.Go) last).attempt());

        assertThat(admitted(nodeA.attempt("alice", HOME))).isTrue();
        assertThat(admitted(nodeA.attempt("carol", HOME))).isTrue();
        assertThat(admitted(nodeA.attempt("dave", HOME)))
                .as("the address's twentieth failure")
                .isTrue();
        assertThat(nodeA.attempt("erin", HOME)).isInstanceOf(LoginThrottle.Result.Wait.class);
    }

    @Test
    void unlock_onOneNode_liftsLockoutsCountedOnAnother_byUsernameOrByAddress() {
        for (int i = 0; i < 8; i++) {
            nodeA.attempt("alice", HOME);
            nodeA.attempt("bob", "198.51.100.9");
        }
        for (int i = 0; i < LoginThrottle.ADDRESS_FREE_FAILURES; i++) {
            nodeA.attempt("user" + i, "203.0.113.5");
        }
        assertThat(nodeB.attempt("alice", HOME)).isInstanceOf(LoginThrottle.Result.Wait.class);

        assertThat(nodeB.unlock("ALICE", null)).isEqualTo(1);
        assertThat(nodeB.unlock(null, "203.0.113.5")).isEqualTo(LoginThrottle.ADDRESS_FREE_FAILURES + 1);

        assertThat(admitted(nodeA.attempt("alice", HOME))).isTrue();
        assertThat(admitted(nodeA.attempt("someone", "203.0.113.5"))).isTrue();
        assertThat(nodeA.attempt("bob", "198.51.100.9")).isInstanceOf(LoginThrottle.Result.Wait.class);
        assertThat(nodeA.unlock("nobody", null)).isZero();
    }

    @Test
    void forgetOld_dropsCountersADayAfterTheirLastFailure_andKnownGoodPairsAfterThirtyDays() {
        LoginThrottle.Result first = nodeA.attempt("alice", HOME);
        nodeA.succeeded(((LoginThrottle.Result.Go) first).attempt());
        for (int i = 0; i < 7; i++) {
            nodeA.attempt("bob", HOME);
        }
        advance(Duration.ofHours(23));
        nodeB.attempt("carol", "198.51.100.9");
        assertThat(nodeB.size()).isEqualTo(4);
        assertThat(nodeB.forgetOld()).isZero();

        advance(Duration.ofHours(1));
        assertThat(nodeB.forgetOld()).as("bob's pair and the address").isEqualTo(2);
        assertThat(nodeA.size()).isEqualTo(2);
        assertThat(admitted(nodeA.attempt("bob", HOME))).isTrue();

        advance(LoginThrottle.KNOWN_GOOD_FOR);
        assertThat(nodeB.forgetOld())
                .as("four counters and alice's known-good pair")
                .isEqualTo(5);
        assertThat(((LoginThrottle.Result.Go) nodeA.attempt("alice", HOME))
                        .attempt()
                        .knownGood())
                .isFalse();
    }

    @Test
    void attemptsAtTheSameMoment_onTwoNodes_areCountedBeforeAnyIsChecked() throws Exception {
        int attempts = 20;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(attempts);
        List<Future<LoginThrottle.Result>> results = new ArrayList<>();
        try {
            for (int i = 0; i < attempts; i++) {
                LoginThrottle node = node(i);
                results.add(pool.submit(() -> {
                    start.await();
                    return node.attempt("alice", HOME);
                }));
            }
            start.countDown();
            int admitted = 0;
            for (Future<LoginThrottle.Result> result : results) {
                if (admitted(result.get(30, TimeUnit.SECONDS))) {
                    admitted++;
                }
            }
            assertThat(admitted).isEqualTo(LoginThrottle.PAIR_FREE_FAILURES);
        } finally {
            pool.shutdownNow();
        }
    }
}
