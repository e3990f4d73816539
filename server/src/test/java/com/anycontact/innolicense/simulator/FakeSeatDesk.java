package com.anycontact.innolicense.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A seat desk by the rules of the real ledger, on the fake timeline's time: a seat counts until it is released,
 * or, once abandoned, until it expires; a claim of an agent whose seat still counts takes it over. Held seats
 * never lapse, as if the SDK renewed them, but their expiry moves on only when the test calls {@link
 * #renewAll()}. Records every claim, release, abandonment, denial and error.
 */
final class FakeSeatDesk implements SeatDesk {

    /** What happened, when. */
    record Event(Instant at, String agentId, String what) {}

    final class Seat implements HeldSeat {
        final String agentId;
        final Runnable lost;
        Instant expiresAt;
        boolean released;
        boolean abandoned;

        Seat(String agentId, Runnable lost, Instant expiresAt) {
            this.agentId = agentId;
            this.lost = lost;
            this.expiresAt = expiresAt;
        }

        @Override
        public Instant expiresAt() {
            return expiresAt;
        }

        @Override
        public void release() {
            if (!released) {
                released = true;
                record(agentId, "release");
            }
        }

        @Override
        public void abandon() {
            abandoned = true;
            record(agentId, "abandon");
        }

        boolean counts(Instant now) {
            return !released && (!abandoned || expiresAt.isAfter(now));
        }
    }

    private final FakeTimeline timeline;
    private final Duration ttl;
    private final Map<String, Seat> seats = new HashMap<>();
    private final List<Event> events = new ArrayList<>();
    private int capacity;
    private int maxInUse;
    private Predicate<String> failing = agent -> false;
    private boolean failFatally;
    private boolean closed;

    FakeSeatDesk(FakeTimeline timeline, int capacity, Duration ttl) {
        this.timeline = timeline;
        this.capacity = capacity;
        this.ttl = ttl;
    }

    @Override
    public Claim claim(String agentId, String station, Runnable lost) {
        Instant now = timeline.now();
        if (failing.test(agentId)) {
            record(agentId, "error");
            return new Claim.Failed("the server is down", failFatally);
        }
        Seat own = seats.get(agentId);
        if (own == null || !own.counts(now)) {
            if (inUse(now) >= capacity) {
                record(agentId, "denied");
                return new Claim.Denied(capacity);
            }
        }
        Seat seat = new Seat(agentId, lost, now.plus(ttl));
        if (own != null && own.counts(now)) {
            own.released = true;
        }
        seats.put(agentId, seat);
        record(agentId, "claim");
        maxInUse = Math.max(maxInUse, inUse(now));
        return new Claim.Granted(seat);
    }

    @Override
    public void close() {
        closed = true;
        for (Seat seat : seats.values()) {
            if (!seat.abandoned) {
                seat.release();
            }
        }
    }

    /** Renews every seat an agent still renews (held, not abandoned). */
    void renewAll() {
        Instant now = timeline.now();
        seats.values().stream()
                .filter(seat -> !seat.released && !seat.abandoned)
                .forEach(seat -> seat.expiresAt = now.plus(ttl));
    }

    /** Loses the agent's seat as the SDK would: no release, the listener told. */
    void lose(String agentId) {
        Seat seat = seats.get(agentId);
        seat.released = true;
        record(agentId, "lost");
        seat.lost.run();
    }

    void failClaims(Predicate<String> agents, boolean fatally) {
        this.failing = agents;
        this.failFatally = fatally;
    }

    void capacity(int seats) {
        this.capacity = seats;
    }

    int inUse() {
        return inUse(timeline.now());
    }

    int maxInUse() {
        return maxInUse;
    }

    boolean closed() {
        return closed;
    }

    Optional<Seat> seat(String agentId) {
        return Optional.ofNullable(seats.get(agentId));
    }

    List<Event> events() {
        return List.copyOf(events);
    }

    List<Event> events(String what) {
        return events.stream().filter(event -> event.what().equals(what)).toList();
    }

    List<Event> eventsOf(String agentId) {
        return events.stream().filter(event -> event.agentId().equals(agentId)).toList();
    }

    private int inUse(Instant now) {
        return (int) seats.values().stream().filter(seat -> seat.counts(now)).count();
    }

    private void record(String agentId, String what) {
        events.add(new Event(timeline.now(), agentId, what));
    }
}
