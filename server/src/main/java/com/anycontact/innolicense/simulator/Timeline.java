package com.anycontact.innolicense.simulator;

import java.time.Duration;
import java.time.Instant;

/**
 * Where the simulated agents' timers run and what time it is for them: a few threads on real time in a
 * simulation ({@link ScheduledTimeline}), a fake that a test moves by hand.
 */
interface Timeline {

    /** The time now. */
    Instant now();

    /** Runs {@code action} once, {@code delay} from now (at once when it is not positive); dropped after close. */
    void schedule(Duration delay, Runnable action);

    /** Runs nothing more, waiting a bounded time for actions already running to finish. */
    void close();
}
