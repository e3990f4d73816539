package com.anycontact.innolicense.alert;

import com.anycontact.innolicense.audit.AuditChainReport;
import com.anycontact.innolicense.audit.AuditEvent;
import com.anycontact.innolicense.audit.AuditLog;
import com.anycontact.innolicense.audit.AuditQuery;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The audit log, which also raises the alerts of the events it records: a key applied ({@link
 * AlertRule#KEY_APPLIED}), a key rejected ({@link AlertRule#KEY_REJECTED}) and a clock jump ({@link
 * AlertRule#CLOCK_JUMP}). Every such event is recorded once, by the node and at the moment it happens, so raising
 * the alert right after the record is once per event. The alert is raised only after the record is durable; a
 * failure to raise it is logged and does not fail the record. Events recorded before {@link #alertTo} (while
 * the server is being wired) raise nothing.
 */
public final class AlertingAuditLog implements AuditLog {

    private static final System.Logger LOG = System.getLogger(AlertingAuditLog.class.getName());

    private final AuditLog log;
    private volatile AlertMonitor monitor;

    /** The audit log {@code log}, raising alerts once {@link #alertTo} names the monitor. */
    public AlertingAuditLog(AuditLog log) {
        this.log = Objects.requireNonNull(log, "log");
    }

    /** Raises the alerts of the events recorded from now on through {@code monitor}. */
    public void alertTo(AlertMonitor monitor) {
        this.monitor = Objects.requireNonNull(monitor, "monitor");
    }

    @Override
    public void record(Instant at, String actor, AuditEvent.Type type, String detail) {
        log.record(at, actor, type, detail);
        raise(at, actor, type, detail);
    }

    /** Records through the log's {@link AuditLog#recordLater}, and raises the event's alert once it is durable. */
    @Override
    public CompletableFuture<Void> recordLater(Instant at, String actor, AuditEvent.Type type, String detail) {
        return log.recordLater(at, actor, type, detail).thenRun(() -> raise(at, actor, type, detail));
    }

    private void raise(Instant at, String actor, AuditEvent.Type type, String detail) {
        AlertMonitor current = monitor;
        if (current == null) {
            return;
        }
        try {
            switch (type) {
                case KEY_APPLIED ->
                    current.raise(
                            AlertRule.KEY_APPLIED,
                            "A license key was applied by " + actor + ": " + detail,
                            Map.of("appliedBy", actor, "detail", detail));
                case KEY_REJECTED ->
                    current.raise(
                            AlertRule.KEY_REJECTED,
                            "A license key was rejected (" + actor + " tried to apply it): " + detail,
                            Map.of("triedBy", actor, "detail", detail));
                case CLOCK_JUMP ->
                    current.raise(
                            AlertRule.CLOCK_JUMP,
                            "The server's clock jumped: " + detail,
                            Map.of("detectedAt", at.toString(), "detail", detail));
                default -> {}
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "raising the alert of a " + type + " event failed", e);
        }
    }

    @Override
    public List<AuditEvent> find(AuditQuery query) {
        return log.find(query);
    }

    @Override
    public AuditChainReport verifyChain() {
        return log.verifyChain();
    }
}
