package com.anycontact.innolicense.license;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A hand-set clock for tests: it reads whatever it was last set to. */
final class MutableClock implements InstantSource {

    private volatile Instant now;

    MutableClock(Instant now) {
        this.now = now;
    }

    /** The instant the clock was last set to. */
    @Override
    public Instant instant() {
        return now;
    }

    void set(Instant instant) {
        now = instant;
    }

    void advance(Duration duration) {
        now = now.plus(duration);
    }

    void rewind(Duration duration) {
        now = now.minus(duration);
    }
}
