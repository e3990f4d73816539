package com.anycontact.innolicense.license;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.audit.AuditEvent;
import com.anycontact.innolicense.audit.InMemoryAuditLog;
import com.anycontact.innolicense.license.TrustedClock.ClockJump;
import com.anycontact.innolicense.license.TrustedClock.Direction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClockJumpRecorderTest {

    private static final Instant TRUSTED = Instant.parse("2027-06-01T12:00:00Z");

    private final InMemoryAuditLog audit = new InMemoryAuditLog();

    @Test
    void accept_ofAJumpBack_recordsItAtTheTrustedTimeOfDetection() {
        new ClockJumpRecorder(audit, Runnable::run)
                .accept(new ClockJump(Direction.BACK, TRUSTED, TRUSTED.minus(Duration.ofDays(30))));

        assertThat(audit.events())
                .containsExactly(new AuditEvent(
                        1,
                        TRUSTED,
                        AuditEvent.SYSTEM,
                        AuditEvent.Type.CLOCK_JUMP,
                        "the system clock reads 2027-05-02T12:00:00Z, 30 days behind trusted time"
                                + " 2027-06-01T12:00:00Z; trusted time continues on the monotonic clock until the"
                                + " system clock agrees again"));
    }

    @Test
    void accept_ofAJumpForward_saysSoAndHowToTakeTheClockIfItIsRight() {
        new ClockJumpRecorder(audit, Runnable::run)
                .accept(new ClockJump(Direction.FORWARD, TRUSTED, TRUSTED.plus(Duration.ofHours(2))));

        assertThat(audit.events())
                .singleElement()
                .extracting(AuditEvent::detail)
                .isEqualTo("the system clock reads 2027-06-01T14:00:00Z, 2 hours ahead of trusted time"
                        + " 2027-06-01T12:00:00Z; trusted time continues on the monotonic clock until the system clock"
                        + " agrees again (restart the server to take the system clock if it is right)");
    }

    @Test
    void accept_writesOnTheExecutorNotOnTheDetectingThread() {
        List<Runnable> handedOver = new ArrayList<>();
        ClockJumpRecorder recorder = new ClockJumpRecorder(audit, handedOver::add);

        recorder.accept(new ClockJump(Direction.BACK, TRUSTED, TRUSTED.minus(Duration.ofDays(1))));

        assertThat(audit.events()).isEmpty();
        handedOver.forEach(Runnable::run);
        assertThat(audit.events()).hasSize(1);
    }

    @Test
    void describe_namesTheNonZeroUnits() {
        assertThat(ClockJumpRecorder.describe(Duration.ofSeconds(90_061))).isEqualTo("1 day 1 hour 1 minute 1 second");
        assertThat(ClockJumpRecorder.describe(Duration.ofMinutes(6))).isEqualTo("6 minutes");
        assertThat(ClockJumpRecorder.describe(Duration.ofMillis(300))).isEqualTo("300 ms");
    }
}
