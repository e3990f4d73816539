package com.anycontact.innolicense.license;

import com.anycontact.innolicense.audit.AuditEvent;
import com.anycontact.innolicense.audit.AuditLog;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Records the clock jumps a {@link TrustedClock} reports in the audit log, as {@link
 * AuditEvent.Type#CLOCK_JUMP} events by {@link AuditEvent#SYSTEM}, dated at the trusted time of detection.
 * Pass it as the trusted clock's jump listener.
 */
public final class ClockJumpRecorder implements Consumer<TrustedClock.ClockJump> {

    private final AuditLog audit;

    /** A recorder writing to the given audit log. */
    public ClockJumpRecorder(AuditLog audit) {
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    /** Records one jump. */
    @Override
    public void accept(TrustedClock.ClockJump jump) {
        audit.record(
                jump.from(),
                AuditEvent.SYSTEM,
                AuditEvent.Type.CLOCK_JUMP,
                "the system clock reads " + jump.to() + ", " + describe(jump.backwards()) + " behind trusted time "
                        + jump.from() + "; trusted time holds until the clock catches up");
    }

    static String describe(Duration duration) {
        long seconds = duration.toSeconds();
        long days = seconds / 86_400;
        long hours = seconds % 86_400 / 3_600;
        long minutes = seconds % 3_600 / 60;
        StringBuilder text = new StringBuilder();
        append(text, days, "day");
        append(text, hours, "hour");
        append(text, minutes, "minute");
        append(text, seconds % 60, "second");
        return text.isEmpty() ? duration.toMillis() + " ms" : text.toString();
    }

    private static void append(StringBuilder text, long amount, String unit) {
        if (amount > 0) {
            if (!text.isEmpty()) {
                text.append(' ');
            }
            text.append(amount).append(' ').append(unit).append(amount == 1 ? "" : "s");
        }
    }
}
