package com.anycontact.innolicense.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Sessions with a fake clock. */
class SessionsTest {

    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    private static final Principal ALICE = new Principal("alice", Role.SUPERVISOR, Principal.Kind.USER, "alice");
    private static final Principal BOB = new Principal("bob", Role.ADMIN, Principal.Kind.USER, "bob");
    private static final String ADDRESS = "192.0.2.10";

    private final FakeClock clock = new FakeClock(T0);
    private final Sessions sessions = new Sessions(clock);

    @Test
    void create_givesA256BitIdAndASeparateCsrfToken() {
        Session session = sessions.create(ALICE, ADDRESS);

        assertThat(session.id()).hasSize(43).matches("[A-Za-z0-9_-]{43}");
        assertThat(session.csrfToken()).hasSize(43).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(session.id());
        assertThat(session.principal()).isEqualTo(ALICE);
        assertThat(session.remoteAddress()).isEqualTo(ADDRESS);
        assertThat(session.createdAt()).isEqualTo(T0);
        assertThat(session.lastSeenAt()).isEqualTo(T0);
        assertThat(session.expiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(30)));
    }

    @Test
    void whenEnded_isToldOfEveryWayASessionEnds_once() {
        java.util.List<String> ended = new java.util.concurrent.CopyOnWriteArrayList<>();
        Sessions small = new Sessions(clock, Duration.ofMinutes(30), Duration.ofHours(12), 2);
        small.whenEnded(ended::add);
        Session loggedOut = small.create(ALICE, ADDRESS);
        Session ofBob = small.create(BOB, ADDRESS);

        small.invalidate(loggedOut.id());
        small.invalidate(loggedOut.id());
        small.invalidateAll(Principal.Kind.USER, "BOB");
        Session oldest = small.create(ALICE, ADDRESS);
        small.create(ALICE, ADDRESS);
        Session newest = small.create(ALICE, ADDRESS);
        clock.advance(Duration.ofMinutes(31));
        small.find(newest.id());

        assertThat(ended).containsExactly(loggedOut.digest(), ofBob.digest(), oldest.digest(), newest.digest());
        small.purgeExpired();
        assertThat(ended).hasSize(5);
    }

    @Test
    void create_manyTimes_neverRepeatsAnIdOrToken() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            Session session = sessions.create(ALICE, ADDRESS);
            assertThat(seen.add(session.id())).isTrue();
            assertThat(seen.add(session.csrfToken())).isTrue();
        }
    }

    @Test
    void find_ofCreatedSession_returnsItMarkedAsSeenNow() {
        Session created = sessions.create(ALICE, ADDRESS);
        clock.advance(Duration.ofMinutes(10));

        Session found = sessions.find(created.id()).orElseThrow();

        assertThat(found.id()).isEqualTo(created.id());
        assertThat(found.csrfToken()).isEqualTo(created.csrfToken());
        assertThat(found.principal()).isEqualTo(ALICE);
        assertThat(found.createdAt()).isEqualTo(T0);
        assertThat(found.lastSeenAt()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
        assertThat(found.expiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(40)));
    }

    @Test
    void find_ofUnknownOrNullId_isEmpty() {
        sessions.create(ALICE, ADDRESS);

        assertThat(sessions.find("not-a-session")).isEmpty();
        assertThat(sessions.find(null)).isEmpty();
    }

    @Test
    void find_afterIdleTimeout_isEmptyAndDropsTheSession() {
        Session created = sessions.create(ALICE, ADDRESS);
        clock.advance(Duration.ofMinutes(30).minusMillis(1));
        assertThat(sessions.find(created.id())).isPresent();

        clock.advance(Duration.ofMinutes(30));

        assertThat(sessions.find(created.id())).isEmpty();
        assertThat(sessions.size()).isZero();
    }

    @Test
    void find_atExactlyTheIdleDeadline_isEmpty() {
        Session created = sessions.create(ALICE, ADDRESS);
        clock.advance(Duration.ofMinutes(30));

        assertThat(sessions.find(created.id())).isEmpty();
    }

    @Test
    void find_whileInUse_slidesTheIdleDeadlineButNeverPastTheAbsoluteTimeout() {
        Session created = sessions.create(ALICE, ADDRESS);
        for (int i = 0; i < 12 * 3 - 1; i++) {
            clock.advance(Duration.ofMinutes(20));
            assertThat(sessions.find(created.id()))
                    .as("after %d minutes", (i + 1) * 20)
                    .isPresent();
        }
        clock.advance(Duration.ofMinutes(20).minusMillis(1));
        assertThat(sessions.find(created.id()).orElseThrow().expiresAt()).isEqualTo(T0.plus(Duration.ofHours(12)));

        clock.advance(Duration.ofMillis(1));

        assertThat(sessions.find(created.id())).isEmpty();
    }

    @Test
    void invalidate_endsTheSession() {
        Session created = sessions.create(ALICE, ADDRESS);
        Session other = sessions.create(ALICE, ADDRESS);

        sessions.invalidate(created.id());
        sessions.invalidate("unknown");
        sessions.invalidate(null);

        assertThat(sessions.find(created.id())).isEmpty();
        assertThat(sessions.find(other.id())).isPresent();
    }

    @Test
    void invalidateAll_endsEverySessionOfThatUserOnly() {
        Session first = sessions.create(ALICE, ADDRESS);
        Session second = sessions.create(ALICE, "198.51.100.7");
        Session bobs = sessions.create(BOB, ADDRESS);

        assertThat(sessions.invalidateAll(Principal.Kind.USER, "Alice")).isEqualTo(2);

        assertThat(sessions.find(first.id())).isEmpty();
        assertThat(sessions.find(second.id())).isEmpty();
        assertThat(sessions.find(bobs.id())).isPresent();
        assertThat(sessions.invalidateAll(Principal.Kind.TOKEN, "bob")).isZero();
    }

    @Test
    void purgeExpired_dropsOnlyEndedSessions() {
        Session old = sessions.create(ALICE, ADDRESS);
        clock.advance(Duration.ofMinutes(20));
        Session recent = sessions.create(BOB, ADDRESS);
        clock.advance(Duration.ofMinutes(15));

        assertThat(sessions.purgeExpired()).isEqualTo(1);

        assertThat(sessions.size()).isEqualTo(1);
        assertThat(sessions.find(recent.id())).isPresent();
        assertThat(sessions.find(old.id())).isEmpty();
    }

    @Test
    void create_whenFull_dropsEndedSessionsFirstThenTheLeastRecentlyUsed() {
        Sessions bounded = new Sessions(clock, Duration.ofMinutes(30), Duration.ofHours(12), 3);
        Session ended = bounded.create(ALICE, ADDRESS);
        clock.advance(Duration.ofMinutes(20));
        Session first = bounded.create(ALICE, ADDRESS);
        Session second = bounded.create(BOB, ADDRESS);
        clock.advance(Duration.ofMinutes(15));

        Session third = bounded.create(BOB, ADDRESS);
        assertThat(bounded.size()).isEqualTo(3);
        assertThat(bounded.find(ended.id())).isEmpty();

        bounded.find(first.id());
        Session fourth = bounded.create(ALICE, ADDRESS);

        assertThat(bounded.size()).isEqualTo(3);
        assertThat(bounded.find(second.id())).isEmpty();
        assertThat(bounded.find(first.id())).isPresent();
        assertThat(bounded.find(third.id())).isPresent();
        assertThat(bounded.find(fourth.id())).isPresent();
    }

    @Test
    void csrfMatches_onlyTheSessionsOwnToken() {
        Session session = sessions.create(ALICE, ADDRESS);
        Session other = sessions.create(ALICE, ADDRESS);

        assertThat(session.csrfMatches(session.csrfToken())).isTrue();
        assertThat(session.csrfMatches(other.csrfToken())).isFalse();
        assertThat(session.csrfMatches(session.id())).isFalse();
        assertThat(session.csrfMatches("")).isFalse();
        assertThat(session.csrfMatches(null)).isFalse();
    }

    @Test
    void toString_showsNeitherIdNorCsrfToken() {
        Session session = sessions.create(ALICE, ADDRESS);

        assertThat(session.toString()).doesNotContain(session.id()).doesNotContain(session.csrfToken());
    }

    @Test
    void isLive_tellsWhetherTheSessionLasts_withoutCountingAsUse() {
        Session created = sessions.create(ALICE, ADDRESS);
        clock.advance(Duration.ofMinutes(29));

        assertThat(sessions.isLive(created.id())).isTrue();
        clock.advance(Duration.ofMinutes(1));
        assertThat(sessions.isLive(created.id())).isFalse();
        assertThat(sessions.isLive("no-such-session")).isFalse();
        assertThat(sessions.isLive(null)).isFalse();
    }
}
