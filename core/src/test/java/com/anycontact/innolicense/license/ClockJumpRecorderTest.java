package com.anycontact.innolicense.license;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.audit.AuditEvent;
import com.anycontact.innolicense.audit.InMemoryAuditLog;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ClockJumpRecorderTest {

    private final InMemoryAuditLog audit = new InMemoryAuditLog();

    @Test
    void accept_recordsTheJumpAtTheTrustedTimeOfDetection() {
        Instant mark = Instant.parse("2027-06-01T12:00:00Z");

        new ClockJumpRecorder(audit).accept(new TrustedClock.ClockJump(mark, mark.minus(Duration.ofDays(30))));

        assertThat(audit.events())
                .containsExactly(new AuditEvent(
                        1,
                        mark,
                        AuditEvent.SYSTEM,
                        AuditEvent.Type.CLOCK_JUMP,
                        "the system clock reads 2027-05-02T12:00:00Z, 30 days behind trusted time"
                                + " 2027-06-01T12:00:00Z; trusted time holds until the clock catches up"));
    }

    @Test
    void describe_namesTheNonZeroUnits() {
        assertThat(ClockJumpRecorder.describe(Duration.ofSeconds(90_061))).isEqualTo("1 day 1 hour 1 minute 1 second");
        assertThat(ClockJumpRecorder.describe(Duration.ofMinutes(6))).isEqualTo("6 minutes");
        assertThat(ClockJumpRecorder.describe(Duration.ofMillis(300))).isEqualTo("300 ms");
    }
}
