package com.anycontact.innolicense.access;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every audit event for tests to look at. */
final class RecordingAuditSink implements AuditSink {

    record Event(Instant at, String actor, String type, String detail) {}

    final List<Event> events = new CopyOnWriteArrayList<>();

    @Override
    public void record(Instant at, String actor, String type, String detail) {
        events.add(new Event(at, actor, type, detail));
    }

    List<String> types() {
        return events.stream().map(Event::type).toList();
    }

    Event last() {
        return events.getLast();
    }
}
