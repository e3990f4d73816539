package com.anycontact.innolicense.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.access.Principal;
import com.anycontact.innolicense.access.Role;
import com.anycontact.innolicense.access.Session;
import com.anycontact.innolicense.access.SessionStore;
import com.anycontact.innolicense.access.Sessions;
import com.anycontact.innolicense.access.StoredSession;
import com.anycontact.innolicense.access.TokenSecrets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SessionStore} must do, through {@link Sessions} as the server uses it and through the port
 * itself. A store's test says how to open a fresh store and a second one over the same data, as another server
 * node sees it; so a store shared by cluster nodes is shown to end, time out and bound sessions across nodes.
 */
public abstract class SessionStoreContract {

    /** An instant in whole milliseconds, the precision every store keeps. */
    protected static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    private static final Principal ALICE = new Principal("Alice", Role.SUPERVISOR, Principal.Kind.USER, "Alice");
    private static final Principal BOB = new Principal("bob", Role.ADMIN, Principal.Kind.USER, "bob");
    private static final String ADDRESS = "192.0.2.10";
    private static final Duration IDLE = Sessions.DEFAULT_IDLE_TIMEOUT;

    /** The time both nodes read. */
    protected final AtomicReference<Instant> now = new AtomicReference<>(T0);

    private final InstantSource clock = () -> now.get();
    private final List<String> endedOnA = new CopyOnWriteArrayList<>();
    private final List<String> endedOnB = new CopyOnWriteArrayList<>();

    /** The store of node A. */
    protected SessionStore store;

    private Sessions nodeA;
    private Sessions nodeB;

    /**
     * A new, empty store; called before each test.
     *
     * @param maxSessions how many sessions it keeps at most
     */
    protected abstract SessionStore createStore(int maxSessions) throws Exception;

    /** A second store over the same data as the last one created, as another server node opens it. */
    protected abstract SessionStore otherNode() throws Exception;

    @BeforeEach
    final void openFreshStores() throws Exception {
        store = createStore(100);
        nodeA = sessions(store, Duration.ZERO);
        nodeB = sessions(otherNode(), Duration.ZERO);
        nodeA.whenEnded(endedOnA::add);
        nodeB.whenEnded(endedOnB::add);
    }

    private Sessions sessions(SessionStore on, Duration touchEvery) {
        return new Sessions(on, clock, IDLE, Sessions.DEFAULT_ABSOLUTE_TIMEOUT, touchEvery);
    }

    private void advance(Duration duration) {
        now.set(now.get().plus(duration));
    }

    @Test
    void find_onAnotherNode_returnsTheSessionWithItsPrincipalAndCsrfToken() {
        Session created = nodeA.create(ALICE, ADDRESS);
        advance(Duration.ofMinutes(10));

        Session found = nodeB.find(created.id()).orElseThrow();

        assertThat(found.id()).isEqualTo(created.id());
        assertThat(found.csrfToken()).isEqualTo(created.csrfToken());
        assertThat(found.principal()).isEqualTo(ALICE);
        assertThat(found.remoteAddress()).isEqualTo(ADDRESS);
        assertThat(found.createdAt()).isEqualTo(T0);
        assertThat(found.lastSeenAt()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
        assertThat(found.expiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(40)));
        assertThat(found.csrfMatches(created.csrfToken())).isTrue();
    }

    @Test
    void theStore_isGivenTheDigestOfTheId_neverTheIdOrTheCsrfToken() {
        Session created = nodeA.create(BOB, ADDRESS);

        StoredSession stored = store.find(TokenSecrets.digest(created.id())).orElseThrow();

        assertThat(stored.digest()).isEqualTo(created.digest()).isNotEqualTo(created.id());
        assertThat(stored.toString()).doesNotContain(created.id()).doesNotContain(created.csrfToken());
        assertThat(store.find(created.id())).isEmpty();
    }

    @Test
    void find_ofUnknownOrNullId_isEmpty() {
        nodeA.create(ALICE, ADDRESS);

        assertThat(nodeB.find("not-a-session")).isEmpty();
        assertThat(nodeB.find(null)).isEmpty();
        assertThat(nodeB.isLive("not-a-session")).isFalse();
    }

    @Test
    void logout_onOneNode_endsTheSessionOnEveryNode_toldOnceWhereItEnded() {
        Session created = nodeA.create(ALICE, ADDRESS);
        Session other = nodeA.create(ALICE, ADDRESS);
        assertThat(nodeB.find(created.id())).isPresent();

        nodeB.invalidate(created.id());
        nodeA.invalidate(created.id());

        assertThat(nodeA.find(created.id())).isEmpty();
        assertThat(nodeA.isLive(created.id())).isFalse();
        assertThat(nodeB.find(created.id())).isEmpty();
        assertThat(nodeA.find(other.id())).isPresent();
        assertThat(endedOnB).containsExactly(created.digest());
        assertThat(endedOnA).isEmpty();
    }

    @Test
    void invalidateAll_onOneNode_endsEverySessionOfThatUserOnly_ignoringCase() {
        Session first = nodeA.create(ALICE, ADDRESS);
        Session second = nodeB.create(ALICE, "198.51.100.7");
        Session bobs = nodeA.create(BOB, ADDRESS);

        assertThat(nodeB.invalidateAll(Principal.Kind.USER, "aLICE")).isEqualTo(2);

        assertThat(nodeA.find(first.id())).isEmpty();
        assertThat(nodeA.find(second.id())).isEmpty();
        assertThat(nodeA.find(bobs.id())).isPresent();
        assertThat(endedOnB).containsExactlyInAnyOrder(first.digest(), second.digest());
        assertThat(nodeA.invalidateAll(Principal.Kind.TOKEN, "bob")).isZero();
    }

    @Test
    void aUseOnOneNode_movesTheIdleDeadlineForEveryNode() {
        Session created = nodeA.create(ALICE, ADDRESS);
        advance(Duration.ofMinutes(20));
        assertThat(nodeB.find(created.id())).isPresent();

        advance(Duration.ofMinutes(25));
        assertThat(nodeA.isLive(created.id())).isTrue();
        assertThat(nodeA.find(created.id())).isPresent();

        advance(IDLE);
        assertThat(nodeB.isLive(created.id())).isFalse();
        assertThat(nodeB.find(created.id())).isEmpty();
        assertThat(nodeA.find(created.id())).isEmpty();
        assertThat(endedOnB).containsExactly(created.digest());
        assertThat(endedOnA).isEmpty();
    }

    @Test
    void aSessionInUseOnBothNodes_endsAtTheAbsoluteLimit() {
        Session created = nodeA.create(ALICE, ADDRESS);
        for (int i = 0; i < 12 * 3 - 1; i++) {
            advance(Duration.ofMinutes(20));
            assertThat((i % 2 == 0 ? nodeB : nodeA).find(created.id()))
                    .as("after %d minutes", (i + 1) * 20)
                    .isPresent();
        }
        advance(Duration.ofMinutes(20).minusMillis(1));
        assertThat(nodeB.find(created.id()).orElseThrow().expiresAt()).isEqualTo(T0.plus(Duration.ofHours(12)));

        advance(Duration.ofMillis(1));

        assertThat(nodeA.find(created.id())).isEmpty();
    }

    @Test
    void touchEvery_recordsAUseOnlyWhenItMovesTheLastUseOnThatFar_soTheIdleLimitHoldsToWithinIt() {
        Sessions coarseA = sessions(store, Duration.ofMinutes(1));
        Session created = coarseA.create(ALICE, ADDRESS);
        String digest = created.digest();

        advance(Duration.ofSeconds(59));
        assertThat(coarseA.find(created.id()).orElseThrow().lastSeenAt()).isEqualTo(T0.plusSeconds(59));
        assertThat(store.find(digest).orElseThrow().lastSeenAt())
                .as("not written")
                .isEqualTo(T0);

        advance(Duration.ofSeconds(1));
        coarseA.find(created.id());
        assertThat(store.find(digest).orElseThrow().lastSeenAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(store.find(digest).orElseThrow().expiresAt())
                .isEqualTo(T0.plusSeconds(60).plus(IDLE));

        advance(Duration.ofSeconds(50));
        coarseA.find(created.id()); // last use at T0 + 110 s, recorded as T0 + 60 s
        advance(IDLE.minusSeconds(50).minusMillis(1));
        assertThat(coarseA.isLive(created.id())).isTrue();
        advance(Duration.ofMillis(1));
        assertThat(coarseA.isLive(created.id()))
                .as("ended 29 min 10 s after its last use, within a minute of the idle timeout")
                .isFalse();
    }

    @Test
    void touch_movesTheDeadlinesOnButNeverBack_andNeverRevivesAnEndedSession() {
        Session created = nodeA.create(ALICE, ADDRESS);
        String digest = created.digest();
        Instant later = T0.plus(Duration.ofMinutes(10));

        assertThat(store.touch(digest, later, later.plus(IDLE), T0.plusSeconds(1)))
                .isTrue();
        assertThat(store.touch(digest, T0.plusSeconds(5), T0.plusSeconds(5).plus(IDLE), T0.plusSeconds(5)))
                .isTrue();
        StoredSession stored = store.find(digest).orElseThrow();
        assertThat(stored.lastSeenAt()).isEqualTo(later);
        assertThat(stored.expiresAt()).isEqualTo(later.plus(IDLE));

        Instant ended = later.plus(IDLE);
        assertThat(store.touch(digest, ended, ended.plus(IDLE), ended)).isFalse();
        assertThat(store.find(digest).orElseThrow().expiresAt()).isEqualTo(ended);
        assertThat(store.touch("no-such-digest", ended, ended.plus(IDLE), T0)).isFalse();
    }

    @Test
    void findingAnEndedSession_onTwoNodes_tellsItsEndOnce() {
        Session created = nodeA.create(ALICE, ADDRESS);
        advance(IDLE);

        assertThat(nodeA.find(created.id())).isEmpty();
        assertThat(nodeB.find(created.id())).isEmpty();

        assertThat(endedOnA).containsExactly(created.digest());
        assertThat(endedOnB).isEmpty();
        assertThat(store.size()).isZero();
    }

    @Test
    void purgeExpired_dropsOnlyEndedSessions() {
        Session old = nodeA.create(ALICE, ADDRESS);
        advance(Duration.ofMinutes(20));
        Session recent = nodeB.create(BOB, ADDRESS);
        advance(Duration.ofMinutes(15));

        assertThat(nodeB.purgeExpired()).isEqualTo(1);

        assertThat(endedOnB).containsExactly(old.digest());
        assertThat(nodeA.size()).isEqualTo(1);
        assertThat(nodeA.find(recent.id())).isPresent();
        assertThat(nodeA.find(old.id())).isEmpty();
    }

    @Test
    void create_whenFull_dropsEndedSessionsFirstThenTheLeastRecentlyUsed() throws Exception {
        SessionStore bounded = createStore(3);
        Sessions sessions = sessions(bounded, Duration.ZERO);
        List<String> ended = new CopyOnWriteArrayList<>();
        sessions.whenEnded(ended::add);
        Session expired = sessions.create(ALICE, ADDRESS);
        advance(Duration.ofMinutes(20));
        Session first = sessions.create(ALICE, ADDRESS);
        advance(Duration.ofSeconds(1));
        Session second = sessions.create(BOB, ADDRESS);
        advance(Duration.ofMinutes(15));

        Session third = sessions.create(BOB, ADDRESS);
        assertThat(sessions.size()).isEqualTo(3);
        assertThat(ended).containsExactly(expired.digest());

        sessions.find(first.id());
        Session fourth = sessions.create(ALICE, ADDRESS);

        assertThat(sessions.size()).isEqualTo(3);
        assertThat(ended).containsExactly(expired.digest(), second.digest());
        assertThat(sessions.find(second.id())).isEmpty();
        assertThat(sessions.find(first.id())).isPresent();
        assertThat(sessions.find(third.id())).isPresent();
        assertThat(sessions.find(fourth.id())).isPresent();
    }
}
