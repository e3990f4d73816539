package com.anycontact.innolicense.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;

/**
 * The system clock plus an offset the harness steps from outside: the wall clock of a server started by {@link
 * com.anycontact.innolicense.server.FaultTestServer} with {@code --clock-file}. The file holds libfaketime's
 * relative format ({@code +3600}, {@code -3600}, seconds), re-read every 100 ms by a daemon thread, so the harness
 * steps both kinds of server the same way. Only the wall clock moves: {@link System#nanoTime()} stays real, as
 * with libfaketime's {@code FAKETIME_DONT_FAKE_MONOTONIC=1}.
 */
public final class SteppedClock implements InstantSource {

    private final Path file;
    private volatile Duration offset;

    private SteppedClock(Path file) {
        this.file = file;
        this.offset = read(file, Duration.ZERO);
    }

    /** A clock that follows the offset in the file, starting its reader thread. */
    public static SteppedClock following(Path file) {
        SteppedClock clock = new SteppedClock(Objects.requireNonNull(file, "file"));
        Thread.ofPlatform().name("stepped-clock").daemon().start(clock::follow);
        return clock;
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset);
    }

    private void follow() {
        while (true) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            offset = read(file, offset);
        }
    }

    /** The offset in the file, or the last one when it cannot be read. */
    static Duration read(Path file, Duration last) {
        try {
            String text = Files.readString(file).strip();
            return text.isEmpty() ? last : Duration.ofSeconds(Long.parseLong(text.replace("+", "")));
        } catch (IOException | NumberFormatException e) {
            return last;
        }
    }
}
