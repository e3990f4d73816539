package com.anycontact.innolicense.license;

import com.anycontact.innolicense.audit.AuditEvent;
import com.anycontact.innolicense.audit.AuditLog;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Records the clock jumps a {@link TrustedClock} reports in the audit log, as {@link
 * AuditEvent.Type#CLOCK_JUMP} events by {@link AuditEvent#SYSTEM}, dated at the trusted time of detection,
 * and logs them. Pass it as the trusted clock's jump listener.
 *
 * <p>A jump is detected by whichever thread reads the trusted clock first after the step, which may be one
 * that must not block (a request thread answering a seat claim): the write is handed to the {@code executor}
 * given, so the detecting thread only enqueues it. A failed write is logged and not retried: the status
 * still shows the episode while it lasts.
 */
public final class ClockJumpRecorder implements Consumer<TrustedClock.ClockJump> {

    private static final System.Logger LOG = System.getLogger(ClockJumpRecorder.class.getName());

    private final AuditLog audit;
    private final Executor executor;

    /**
     * A recorder writing to the given audit log on the given executor.
     *
     * @param audit where jumps are recorded
     * @param executor where the audit write runs, e.g. the server's scheduler; {@code Runnable::run} writes on
     *     the detecting thread, for tests
     */
    public ClockJumpRecorder(AuditLog audit, Executor executor) {
        this.audit = Objects.requireNonNull(audit, "audit");
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    /** Hands the record of one jump to the executor. */
    @Override
    public void accept(TrustedClock.ClockJump jump) {
        String detail = detail(jump);
        try {
            executor.execute(() -> {
                LOG.log(Level.WARNING, detail);
                try {
                    audit.record(jump.trustedTime(), AuditEvent.SYSTEM, AuditEvent.Type.CLOCK_JUMP, detail);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "recording the clock jump in the audit log failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.log(Level.WARNING, detail + " (not audited: the server is stopping)");
        }
    }

    /** What the audit event says about a jump. */
    static String detail(TrustedClock.ClockJump jump) {
        Duration offset = jump.offset();
        return switch (jump.direction()) {
            case FORWARD ->
                "the system clock reads " + jump.systemTime() + ", " + describe(offset) + " ahead of trusted time "
                        + jump.trustedTime() + "; trusted time continues on the monotonic clock until the system"
                        + " clock agrees again (restart the server to take the system clock if it is right)";
            case BACK ->
                "the system clock reads " + jump.systemTime() + ", " + describe(offset.negated())
                        + " behind trusted time " + jump.trustedTime() + "; trusted time continues on the monotonic"
                        + " clock until the system clock agrees again";
        };
    }

    /** A duration for people, e.g. {@code 1 day 2 hours 5 seconds}; sub-second ones in milliseconds. */
    public static String describe(Duration duration) {
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
