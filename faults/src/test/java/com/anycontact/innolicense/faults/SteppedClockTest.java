package com.anycontact.innolicense.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The clock file the harness steps a server's wall clock with: libfaketime's relative format, in seconds. */
class SteppedClockTest {

    @TempDir
    Path dir;

    @Test
    void read_ofAnOffsetBackOrForward_isThatManySeconds() throws Exception {
        Path file = dir.resolve("clock");

        Files.writeString(file, "-3600\n");
        assertThat(SteppedClock.read(file, Duration.ZERO)).isEqualTo(Duration.ofHours(-1));
        Files.writeString(file, "+3600\n");
        assertThat(SteppedClock.read(file, Duration.ZERO)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void read_ofAMissingOrGarbledFile_keepsTheLastOffset() throws Exception {
        Path file = dir.resolve("clock");
        Duration last = Duration.ofSeconds(42);

        assertThat(SteppedClock.read(file, last)).isEqualTo(last);
        Files.writeString(file, "tomorrow");
        assertThat(SteppedClock.read(file, last)).isEqualTo(last);
    }
}
