package com.anycontact.innolicense.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.seat.AgentId;
import com.anycontact.innolicense.seat.SeatRelease;
import com.anycontact.innolicense.seat.SeatReleaseStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SeatReleaseStore} must do. A store's test extends this class and says how to open a fresh
 * store and how to reopen it over the same data, as after a restart of the server (or on another node).
 */
public abstract class SeatReleaseStoreContract {

    /** The instant the tests start at. */
    protected static final Instant T0 = Instant.parse("2027-01-15T09:00:00Z");

    private static final AgentId AGENT = new AgentId("agent-7");

    /** The store under test, fresh for each test. */
    protected SeatReleaseStore store;

    /** A new, empty store; called before each test. */
    protected abstract SeatReleaseStore createStore() throws Exception;

    /** Closes what the current store opened and opens a new one over the same data. */
    protected abstract SeatReleaseStore reopenStore() throws Exception;

    @BeforeEach
    final void openFreshStore() throws Exception {
        store = createStore();
    }

    @Test
    void inForce_onAnEmptyStore_isEmpty() {
        assertThat(store.inForce(T0)).isEmpty();
    }

    @Test
    void save_thenReopen_keepsTheReleaseAsSaved() throws Exception {
        SeatRelease release = release(AGENT, T0, Duration.ofMinutes(2), Duration.ofMinutes(5));
        store.save(release);

        store = reopenStore();

        assertThat(store.inForce(T0.plusSeconds(1))).containsExactly(release);
    }

    @Test
    void save_ofASecondRelease_replacesTheFirst() {
        store.save(release(AGENT, T0, Duration.ofMinutes(2), null));
        SeatRelease later = release(AGENT, T0.plusSeconds(30), Duration.ofMinutes(2), Duration.ofHours(1));

        store.save(later);

        assertThat(store.inForce(T0.plusSeconds(31))).containsExactly(later);
    }

    @Test
    void inForce_endsWhenTheNoticeAndTheBlockHaveBothEnded() {
        store.save(release(AGENT, T0, Duration.ofMinutes(2), Duration.ofMinutes(5)));
        store.save(release(new AgentId("agent-8"), T0, Duration.ofMinutes(2), null));

        assertThat(store.inForce(T0.plus(Duration.ofMinutes(2)).minusMillis(1))).hasSize(2);
        assertThat(store.inForce(T0.plus(Duration.ofMinutes(2))))
                .extracting(SeatRelease::agent)
                .containsExactly(AGENT);
        assertThat(store.inForce(T0.plus(Duration.ofMinutes(5)))).isEmpty();
    }

    @Test
    void noticeGiven_clearsTheNoticeAndKeepsTheBlock() {
        SeatRelease release = release(AGENT, T0, Duration.ofMinutes(2), Duration.ofMinutes(5));
        store.save(release);

        store.noticeGiven(AGENT, T0);

        assertThat(store.inForce(T0.plusSeconds(1))).containsExactly(release.noticeGiven());
    }

    @Test
    void noticeGiven_ofAnEarlierRelease_leavesALaterOneAlone() {
        SeatRelease later = release(AGENT, T0.plusSeconds(10), Duration.ofMinutes(2), null);
        store.save(later);

        store.noticeGiven(AGENT, T0);

        assertThat(store.inForce(T0.plusSeconds(11))).containsExactly(later);
    }

    @Test
    void unblock_liftsABlockInForce_andSaysWhetherThereWasOne() {
        store.save(release(AGENT, T0, Duration.ofMinutes(2), Duration.ofMinutes(5)));
        store.noticeGiven(AGENT, T0);

        assertThat(store.unblock(AGENT, T0.plusSeconds(1))).isTrue();
        assertThat(store.inForce(T0.plusSeconds(1))).isEmpty();
        assertThat(store.unblock(AGENT, T0.plusSeconds(2))).isFalse();
        assertThat(store.unblock(new AgentId("nobody"), T0)).isFalse();
    }

    @Test
    void prune_forgetsOnlyWhatIsNoLongerInForce() throws Exception {
        store.save(release(AGENT, T0, Duration.ofMinutes(2), Duration.ofMinutes(5)));
        store.save(release(new AgentId("agent-8"), T0, Duration.ofMinutes(2), null));

        assertThat(store.prune(T0.plus(Duration.ofMinutes(3)))).isEqualTo(1);
        store = reopenStore();
        assertThat(store.inForce(T0.plus(Duration.ofMinutes(3))))
                .extracting(SeatRelease::agent)
                .containsExactly(AGENT);
    }

    /** A release by "admin" with a reason, its notice and its block (null: none) counted from {@code at}. */
    protected static SeatRelease release(AgentId agent, Instant at, Duration notice, Duration block) {
        return new SeatRelease(
                agent,
                at,
                "admin",
                "the PC hung — \"stuck\"",
                Optional.ofNullable(notice).map(at::plus),
                Optional.ofNullable(block).map(at::plus));
    }
}
