package com.anycontact.innolicense.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * One simulated agent: a small state machine that wakes on the shared {@link Timeline}, never a thread of its
 * own. Its {@link Rhythm} says when it logs in, takes a break and logs out; a {@link SeatDesk} claims and
 * releases its seat.
 *
 * <pre>
 *   OFF ──login──▶ claim ──granted──▶ WORKING ──break──▶ ON_BREAK ──back──▶ claim
 *                    │                   │ ──logout────▶ OFF (next shift)
 *                    │                   │ ──crash─────▶ CRASHED (seat abandoned) ──back──▶ claim
 *                    │                   └ ──seat lost─▶ WAITING
 *                    └──denied / error──▶ WAITING ──backoff──▶ claim   (OFF when the shift is over)
 * </pre>
 *
 * <p>An agent whose next break would not end before its shift does works on and logs out at the shift's end
 * instead. Each stretch of work (claim to break or logout) ends in a crash instead with the simulation's crash rate,
 * at a random moment within it. A crashed agent comes back no earlier than its abandoned lease's expiry plus
 * {@link #REAP_SLACK}, so that the server reaps the seat before the agent claims again.
 *
 * <p>Thread safety: every step runs under the agent's lock; a step scheduled before a newer one (or before
 * {@link #stop()}) finds the epoch moved on and does nothing. A lost seat is told on another thread and
 * handed to the timeline. {@link #sampleRenewal()} reads only a volatile field, so that sampling never waits
 * for a claim in progress.
 */
final class SimulatedAgent {

    /** How long after its lease's expiry a crashed agent comes back at the earliest: the reaper's tick and more. */
    static final Duration REAP_SLACK = Duration.ofSeconds(2);

    /** Where an agent is. */
    enum State {
        /** Not logged in: before its shift, or after it. */
        OFF,
        /** Holding a seat. */
        WORKING,
        /** Denied, failed or lost its seat; claims again after a backoff. */
        WAITING,
        /** Released its seat for a break; claims again after it. */
        ON_BREAK,
        /** Abandoned its seat; claims again once the server has reaped it. */
        CRASHED,
        /** The simulation stopped. */
        STOPPED
    }

    private enum Step {
        CLAIM,
        BREAK,
        LOGOUT,
        CRASH
    }

    /** A seat held, with the expiry last seen by the renewal sampler. */
    private static final class Holding {
        final SeatDesk.HeldSeat seat;
        final long claimNumber;
        Instant seenExpiry;

        Holding(SeatDesk.HeldSeat seat, long claimNumber) {
            this.seat = seat;
            this.claimNumber = claimNumber;
            this.seenExpiry = seat.expiresAt();
        }
    }

    private final String id;
    private final String station;
    private final Rhythm rhythm;
    private final double crashRate;
    private final Timeline timeline;
    private final SeatDesk desk;
    private final SimulationCounters counters;
    private final Consumer<String> fatal;

    private State state = State.OFF;
    private long epoch;
    private long claimNumber;
    private int failures;
    private Rhythm.Shift shift;
    private Duration nextBreak;
    private Instant nextStepAt;
    private volatile Holding holding;

    SimulatedAgent(
            String id,
            String station,
            Rhythm rhythm,
            double crashRate,
            Timeline timeline,
            SeatDesk desk,
            SimulationCounters counters,
            Consumer<String> fatal) {
        this.id = id;
        this.station = station;
        this.rhythm = rhythm;
        this.crashRate = crashRate;
        this.timeline = timeline;
        this.desk = desk;
        this.counters = counters;
        this.fatal = fatal;
    }

    /** Plans the first login. */
    synchronized void begin() {
        Instant now = timeline.now();
        shift = rhythm.firstShift(now);
        plan(later(shift.start(), now), Step.CLAIM);
    }

    /**
     * Ends the agent's part: no further step runs, nothing is sent.
     *
     * @return whether it still held a seat, which the desk releases when it closes
     */
    synchronized boolean stop() {
        epoch++;
        boolean working = state == State.WORKING;
        state = State.STOPPED;
        nextStepAt = null;
        return working;
    }

    /** Whether the held seat's expiry moved on since the last look: a renewal the SDK made in the background. */
    boolean sampleRenewal() {
        Holding current = holding;
        if (current == null) {
            return false;
        }
        Instant expiry = current.seat.expiresAt();
        if (expiry.equals(current.seenExpiry)) {
            return false;
        }
        current.seenExpiry = expiry;
        return true;
    }

    String id() {
        return id;
    }

    synchronized State state() {
        return state;
    }

    /** When the next step is planned, or {@code null} when none is. */
    synchronized Instant nextStepAt() {
        return nextStepAt;
    }

    private void wake(long planned, Step step) {
        synchronized (this) {
            if (planned != epoch) {
                return;
            }
            nextStepAt = null;
            switch (step) {
                case CLAIM -> claim();
                case BREAK -> takeBreak();
                case LOGOUT -> logOut();
                case CRASH -> crash();
            }
        }
    }

    private void claim() {
        Instant now = timeline.now();
        long number = ++claimNumber;
        SeatDesk.Claim answer = desk.claim(id, station, () -> timeline.schedule(Duration.ZERO, () -> lost(number)));
        switch (answer) {
            case SeatDesk.Claim.Granted granted -> work(granted.seat(), number, now);
            case SeatDesk.Claim.Denied denied -> {
                counters.denials.increment();
                counters.capacitySeen(denied.capacity());
                retry(now);
            }
            case SeatDesk.Claim.Failed failed -> {
                counters.errors.increment();
                if (failed.fatal()) {
                    state = State.WAITING;
                    fatal.accept(failed.detail());
                } else {
                    retry(now);
                }
            }
        }
    }

    private void work(SeatDesk.HeldSeat seat, long number, Instant now) {
        counters.claims.increment();
        counters.seatTaken();
        failures = 0;
        state = State.WORKING;
        holding = new Holding(seat, number);
        Instant breakAt = now.plus(rhythm.workStretch());
        nextBreak = rhythm.breakLength();
        boolean shiftEnds = !breakAt.plus(nextBreak).isBefore(shift.end());
        Instant stretchEnd = shiftEnds ? shift.end() : breakAt;
        if (rhythm.draw() < crashRate) {
            Duration stretch = Duration.between(now, stretchEnd);
            plan(now.plus(Duration.ofNanos((long) (stretch.toNanos() * rhythm.draw()))), Step.CRASH);
        } else {
            plan(stretchEnd, shiftEnds ? Step.LOGOUT : Step.BREAK);
        }
    }

    private void takeBreak() {
        Instant now = timeline.now();
        letGo().seat.release();
        counters.releases.increment();
        state = State.ON_BREAK;
        plan(now.plus(nextBreak), Step.CLAIM);
    }

    private void logOut() {
        Instant now = timeline.now();
        letGo().seat.release();
        counters.releases.increment();
        goHome(now);
    }

    private void crash() {
        Instant now = timeline.now();
        SeatDesk.HeldSeat seat = letGo().seat;
        seat.abandon();
        counters.crashes.increment();
        Instant back = later(now.plus(rhythm.breakLength()), seat.expiresAt().plus(REAP_SLACK));
        if (back.isBefore(shift.end())) {
            state = State.CRASHED;
            plan(back, Step.CLAIM);
        } else {
            goHome(back);
        }
    }

    private void lost(long number) {
        synchronized (this) {
            Holding current = holding;
            if (state != State.WORKING || current == null || current.claimNumber != number) {
                return;
            }
            letGo();
            counters.lost.increment();
            retry(timeline.now());
        }
    }

    private Holding letGo() {
        Holding current = holding;
        holding = null;
        counters.seatGone();
        return current;
    }

    private void retry(Instant now) {
        failures++;
        Instant again = now.plus(rhythm.retryDelay(failures));
        if (again.isBefore(shift.end())) {
            state = State.WAITING;
            plan(again, Step.CLAIM);
        } else {
            goHome(now);
        }
    }

    /** Waits for the next shift, starting no earlier than {@code notBefore}. */
    private void goHome(Instant notBefore) {
        state = State.OFF;
        failures = 0;
        shift = rhythm.next(shift);
        if (shift.start().equals(Rhythm.NEVER)) {
            epoch++;
            nextStepAt = null;
        } else {
            plan(later(shift.start(), notBefore), Step.CLAIM);
        }
    }

    private void plan(Instant at, Step step) {
        long planned = ++epoch;
        nextStepAt = at;
        timeline.schedule(Duration.between(timeline.now(), at), () -> wake(planned, step));
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
