package com.anycontact.innolicense.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.seat.AgentId;
import com.anycontact.innolicense.seat.ClaimRequest;
import com.anycontact.innolicense.seat.ClaimResult;
import com.anycontact.innolicense.seat.Lease;
import com.anycontact.innolicense.seat.SeatStore;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What docs/cluster.md ("Clock skew") promises about nodes whose clocks differ within the bound B (2 s by
 * default), on a real PostgreSQL: two nodes (two pools on one schema), one behind the database's clock and one
 * ahead of it, each told its own instants. Time is the database's, moved by hand; every node instant is it plus
 * the node's offset.
 */
class PostgresSeatStoreClockSkewTest {

    private static final Duration TTL = Duration.ofSeconds(60);
    private static final Duration BOUND = Duration.ofSeconds(2);
    private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");

    private PostgresSchema schema;
    private SeatStore behind;
    private SeatStore ahead;

    @BeforeEach
    void openTwoNodes() {
        schema = PostgresSchema.create(getClass());
        behind = new PostgresSeatStore(schema.open());
        ahead = new PostgresSeatStore(schema.open());
    }

    @AfterEach
    void dropSchema() {
        if (schema != null) {
            schema.close();
        }
    }

    /**
     * The leader 1 s ahead of the database reaps every second for three minutes while the agent renews every
     * TTL / 3 on a node 1 s behind: the lease is never reaped and keeps its claim.
     */
    @Test
    void aLeaderOneSecondAhead_neverReapsALeaseRenewedOnTime() {
        Duration offset = Duration.ofSeconds(1);
        Lease claimed = claimed(behind.claim(request("alice"), 1, T0.minus(offset), TTL));

        for (int second = 1; second <= 180; second++) {
            Instant database = T0.plusSeconds(second);
            if (second % (TTL.toSeconds() / 3) == 0) {
                assertThat(behind.claim(request("alice"), 1, database.minus(offset), TTL))
                        .as("renewal at t0+%d s", second)
                        .isInstanceOfSatisfying(
                                ClaimResult.Renewed.class,
                                renewed -> assertThat(renewed.lease().claimSequence())
                                        .isEqualTo(claimed.claimSequence()));
            }
            assertThat(ahead.reap(database.plus(offset)))
                    .as("reaped at t0+%d s", second)
                    .isEmpty();
        }
    }

    /**
     * The bound's worst case: granted on a node B behind, reaped by a leader B ahead. The lease is kept until
     * TTL - 2B after its grant, and a renewal in the last millisecond of that keeps its claim.
     */
    @Test
    void aLeaseRenewedWithinTtlMinusTwiceTheBound_isKeptAcrossTheWholeSkew() {
        Lease claimed = claimed(behind.claim(request("alice"), 1, T0.minus(BOUND), TTL));
        Instant lastMoment = T0.plus(TTL).minus(BOUND.multipliedBy(2)).minusMillis(1);

        assertThat(ahead.reap(lastMoment.plus(BOUND))).isEmpty();
        assertThat(ahead.leases(lastMoment.plus(BOUND)))
                .extracting(Lease::agent)
                .containsExactly(new AgentId("alice"));
        assertThat(ahead.claim(request("alice"), 1, lastMoment.plus(BOUND), TTL))
                .isInstanceOfSatisfying(
                        ClaimResult.Renewed.class,
                        renewed -> assertThat(renewed.lease().claimSequence()).isEqualTo(claimed.claimSequence()));
    }

    /**
     * A node ahead counts a lease that stopped renewing as expired and gives its seat to bob; the node behind
     * still sees the old lease live, yet must not renew it: one seat, one lease, for every node. (Before
     * migration V13 the node behind renewed it, and both agents held a seat at capacity 1 until bob's next
     * renewal took his away.)
     */
    @Test
    void aLeaseOneNodeCountedExpired_isNotRenewedByANodeBehindIt() {
        claimed(behind.claim(request("alice"), 1, T0.minus(BOUND), TTL));
        Instant database = T0.plus(TTL).minusSeconds(1);
        Instant behindNow = database.minus(BOUND);
        Instant aheadNow = database.plus(BOUND);

        claimed(ahead.claim(request("bob"), 1, aheadNow, TTL));
        ClaimResult alice = behind.claim(request("alice"), 1, behindNow, TTL);

        assertThat(alice)
                .as("alice, whose seat went to bob")
                .isInstanceOfSatisfying(
                        ClaimResult.Denied.class,
                        denied -> assertThat(denied.inUse()).isEqualTo(1));
        assertThat(behind.leases(behindNow)).extracting(Lease::agent).containsExactly(new AgentId("bob"));
        assertThat(behind.inUse(behindNow)).isEqualTo(1);
        assertThat(ahead.inUse(aheadNow)).isEqualTo(1);
        assertThat(behind.release(new AgentId("alice"), behindNow)).isFalse();
        assertThat(ahead.reap(aheadNow)).extracting(Lease::agent).containsExactly(new AgentId("alice"));
    }

    /**
     * Bob's seat, granted by a node ahead in place of a lease that stopped renewing, is not taken back when bob
     * renews on a node behind that still sees the old lease live. (Before migration V13 that renewal ranked bob
     * after the old lease and answered CapacityReduced at unchanged capacity.)
     */
    @Test
    void aClaimGrantedByANodeAhead_isRenewedByANodeBehind() {
        claimed(behind.claim(request("alice"), 1, T0.minus(BOUND), TTL));
        Instant database = T0.plus(TTL).minusSeconds(1);
        Lease bob = claimed(ahead.claim(request("bob"), 1, database.plus(BOUND), TTL));

        assertThat(behind.claim(request("bob"), 1, database.minus(BOUND), TTL))
                .isInstanceOfSatisfying(
                        ClaimResult.Renewed.class,
                        renewed -> assertThat(renewed.lease().claimSequence()).isEqualTo(bob.claimSequence()));
    }

    private static ClaimRequest request(String agent) {
        return ClaimRequest.of(new AgentId(agent));
    }

    private static Lease claimed(ClaimResult result) {
        assertThat(result).isInstanceOf(ClaimResult.Claimed.class);
        return ((ClaimResult.Claimed) result).lease();
    }
}
