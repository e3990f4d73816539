package com.anycontact.innolicense.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** An audit log in a list, for tests: every event kept in recording order, queries answered as a store would. */
public final class InMemoryAuditLog implements AuditLog {

    private final List<AuditEvent> events = new ArrayList<>();

    @Override
    public synchronized void record(Instant at, String actor, AuditEvent.Type type, String detail) {
        Objects.requireNonNull(actor, "actor");
        if (actor.isBlank()) {
            throw new IllegalArgumentException("actor must not be blank");
        }
        events.add(new AuditEvent(events.size() + 1, at, actor, type, detail));
    }

    @Override
    public synchronized List<AuditEvent> find(AuditQuery query) {
        return events.reversed().stream()
                .filter(event -> query.type().map(event.type()::equals).orElse(true))
                .filter(event -> query.actor().map(event.actor()::equals).orElse(true))
                .filter(event ->
                        query.from().map(from -> !event.at().isBefore(from)).orElse(true))
                .filter(event -> query.to().map(to -> event.at().isBefore(to)).orElse(true))
                .filter(event -> query.beforeId().map(id -> event.id() < id).orElse(true))
                .limit(query.limit())
                .toList();
    }

    /** Every event recorded, oldest first. */
    public synchronized List<AuditEvent> events() {
        return List.copyOf(events);
    }

    /** The events of one type, oldest first. */
    public synchronized List<AuditEvent> events(AuditEvent.Type type) {
        return events.stream().filter(event -> event.type() == type).toList();
    }
}
