package com.anycontact.innolicense.server;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A clock that tests set and move by hand. */
final class MutableClock implements InstantSource {

    private volatile Instant now;

    MutableClock(Instant start) {
        this.now = start;
    }

    @Override
    public Instant instant() {
        return now;
    }

    void advance(Duration duration) {
        now = now.plus(duration);
    }

    void set(Instant instant) {
        now = instant;
    }
}
