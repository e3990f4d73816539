package com.anycontact.innolicense.seat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class LeaseTest {

    private static final AgentId ALICE = new AgentId("alice");
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    @Test
    void isLiveAt_isTrueBeforeTheExpiryAndFalseFromIt() {
        Lease lease = new Lease(ALICE, null, null, T0, T0, T0.plusSeconds(60), 1);

        assertThat(lease.isLiveAt(T0.plusSeconds(60).minusMillis(1))).isTrue();
        assertThat(lease.isLiveAt(T0.plusSeconds(60))).isFalse();
    }

    @Test
    void constructor_withInstantsOutOfOrder_isRejected() {
        assertThatThrownBy(() -> new Lease(ALICE, null, null, T0, T0.minusSeconds(1), T0.plusSeconds(60), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Lease(ALICE, null, null, T0, T0, T0, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
