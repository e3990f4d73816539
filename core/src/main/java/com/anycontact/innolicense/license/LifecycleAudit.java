package com.anycontact.innolicense.license;

import com.anycontact.innolicense.audit.AuditEvent;
import com.anycontact.innolicense.audit.AuditLog;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The license status the audit log last recorded a transition to, kept with the audit log, so that each lifecycle
 * transition is audited once however the leadership of a cluster moves: whichever node leads records the change
 * from the status last audited, by any node, to the status now. A transition that happened while no node led (the
 * seconds between a leader's death and the takeover), which the new leader saw as a follower, is recorded by it
 * all the same; two nodes that both believe they lead record it once between them.
 *
 * <p>The embedded server's is {@link #inMemory}; the cluster database keeps the status in a table, changed in the
 * transaction that appends the entries.
 */
public interface LifecycleAudit {

    /** One audit entry of a transition, caused by {@link AuditEvent#SYSTEM}. */
    record Entry(AuditEvent.Type type, String detail) {

        /** Requires both. */
        public Entry {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /**
     * Records the transition from the status last audited — or from {@code baseline} when none ever was — to
     * {@code now}, unless they are equal: appends the entries {@code entries} makes of the status it changed from,
     * dated {@code at}, and keeps {@code now} as the status last audited, in one step.
     *
     * @return the status the transition was recorded from, or empty when there was none
     * @throws com.anycontact.innolicense.store.StoreException when the audit log cannot be written; nothing was
     *     recorded then
     */
    Optional<AuditedStatus> record(
            AuditedStatus baseline, AuditedStatus now, Instant at, Function<AuditedStatus, List<Entry>> entries);

    /** Keeps the status last audited in memory, for the embedded server, which always leads. */
    static LifecycleAudit inMemory(AuditLog audit) {
        Objects.requireNonNull(audit, "audit");
        return new LifecycleAudit() {
            private AuditedStatus last;

            @Override
            public synchronized Optional<AuditedStatus> record(
                    AuditedStatus baseline,
                    AuditedStatus now,
                    Instant at,
                    Function<AuditedStatus, List<Entry>> entries) {
                AuditedStatus from = last != null ? last : baseline;
                if (from.equals(now)) {
                    last = now;
                    return Optional.empty();
                }
                for (Entry entry : entries.apply(from)) {
                    audit.record(at, AuditEvent.SYSTEM, entry.type(), entry.detail());
                }
                last = now;
                return Optional.of(from);
            }
        };
    }
}
