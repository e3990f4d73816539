package com.anycontact.innolicense.simulator;

import java.time.Duration;
import java.util.Locale;

/** How simulated agents come and go; docs/simulator.md draws each. */
public enum LoadPattern {
    /**
     * One working day per cycle: logins ramp up over the first quarter, agents take breaks (release, then claim
     * again), and logouts ramp down over the last quarter. The cycle is the whole run.
     */
    SHIFT,
    /** A stable population with churn: agents work a while, log out for a while, and log in again. */
    STEADY,
    /**
     * Shift changes: two teams take turns, four waves per run. At each change the incoming team logs in within a
     * few seconds, just before the outgoing team logs out, so for a moment every agent wants a seat.
     */
    BURST;

    /** The time scale of the pattern for a run of {@code duration}: a shift, or a wave for {@link #BURST}. */
    public Duration cycleOf(Duration duration) {
        return this == BURST ? duration.dividedBy(4) : duration;
    }

    /** The name as the command line spells it, e.g. {@code shift}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
