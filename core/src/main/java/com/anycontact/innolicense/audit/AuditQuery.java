package com.anycontact.innolicense.audit;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Which audit events to find. Every filter is optional and they combine with AND. Start from {@link
 * #newest(int)} and narrow with the {@code with…} methods, e.g. {@code
 * AuditQuery.newest(50).withType(KEY_APPLIED).withFrom(monthStart)}.
 *
 * @param type only events of this type
 * @param actor only events caused by this actor (exact match)
 * @param from only events at or after this instant
 * @param to only events before this instant
 * @param beforeId only events with a smaller ID, to fetch the next page
 * @param limit the most events to return, {@value #MIN_LIMIT} to {@value #MAX_LIMIT}
 */
public record AuditQuery(
        Optional<AuditEvent.Type> type,
        Optional<String> actor,
        Optional<Instant> from,
        Optional<Instant> to,
        Optional<Long> beforeId,
        int limit) {

    /** The smallest page. */
    public static final int MIN_LIMIT = 1;
    /** The largest page. */
    public static final int MAX_LIMIT = 1000;

    /** Checks the fields; the limit must lie in {@value #MIN_LIMIT} to {@value #MAX_LIMIT}. */
    public AuditQuery {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(beforeId, "beforeId");
        if (limit < MIN_LIMIT || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be " + MIN_LIMIT + " to " + MAX_LIMIT + ", was " + limit);
        }
    }

    /** The newest {@code limit} events of any kind. */
    public static AuditQuery newest(int limit) {
        return new AuditQuery(
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), limit);
    }

    /** This query, only for events of the given type. */
    public AuditQuery withType(AuditEvent.Type eventType) {
        return new AuditQuery(Optional.of(eventType), actor, from, to, beforeId, limit);
    }

    /** This query, only for events caused by the given actor. */
    public AuditQuery withActor(String eventActor) {
        return new AuditQuery(type, Optional.of(eventActor), from, to, beforeId, limit);
    }

    /** This query, only for events at or after the given instant. */
    public AuditQuery withFrom(Instant earliest) {
        return new AuditQuery(type, actor, Optional.of(earliest), to, beforeId, limit);
    }

    /** This query, only for events before the given instant. */
    public AuditQuery withTo(Instant end) {
        return new AuditQuery(type, actor, from, Optional.of(end), beforeId, limit);
    }

    /** This query, only for events with an ID smaller than the given one: the page after that event. */
    public AuditQuery withBeforeId(long id) {
        return new AuditQuery(type, actor, from, to, Optional.of(id), limit);
    }

    /** This query with another limit. */
    public AuditQuery withLimit(int newLimit) {
        return new AuditQuery(type, actor, from, to, beforeId, newLimit);
    }
}
