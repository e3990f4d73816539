package com.anycontact.innolicense.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anycontact.innolicense.store.PrivateFiles;
import com.anycontact.innolicense.store.StoreException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data directory's lock, seen from another process ({@link LockProbe}, a JVM of its own), which is what it
 * guards against: a second server, or {@code admin migrate} beside a running server.
 */
class SeatStoreLockTest {

    @TempDir
    Path dataDirectory;

    @Test
    void aHeldDirectory_isRefusedToAnotherProcess_andFreeAgainOnceReleased() throws Exception {
        try (SeatStoreLock held = SeatStoreLock.acquire(dataDirectory)) {
            assertThat(probe()).isEqualTo(LockProbe.REFUSED);
            assertThat(held.dataDirectory()).isEqualTo(dataDirectory.toAbsolutePath());
        }
        assertThat(probe()).isEqualTo(LockProbe.TOOK);
    }

    /**
     * On Linux closing any descriptor of a file drops every lock the process has on it: finding the directory
     * held by opening the lock file a second time, and closing that, handed the lock to the next process. The
     * second attempt within the process must leave the lock where it is.
     */
    @Test
    void aSecondAttemptInTheSameProcess_isRefused_andLeavesTheLockHeldForOtherProcesses() throws Exception {
        try (SeatStoreLock held = SeatStoreLock.acquire(dataDirectory)) {
            assertThat(SeatStoreLock.tryAcquire(dataDirectory)).isEmpty();
            assertThat(SeatStoreLock.tryAcquire(
                            dataDirectory.resolve(".").resolve("..").resolve(dataDirectory.getFileName())))
                    .as("the same directory by another path")
                    .isEmpty();
            assertThatThrownBy(() -> SeatStoreLock.acquire(dataDirectory))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("another process has the seat store in " + dataDirectory.toAbsolutePath())
                    .hasMessageContaining("stop it first");

            assertThat(probe()).isEqualTo(LockProbe.REFUSED);
        }
    }

    @Test
    void closingTwice_releasesOnlyOnce() throws Exception {
        SeatStoreLock first = SeatStoreLock.acquire(dataDirectory);
        first.close();
        try (SeatStoreLock second = SeatStoreLock.acquire(dataDirectory)) {
            first.close();
            assertThat(SeatStoreLock.tryAcquire(dataDirectory))
                    .as("still held by the second")
                    .isEmpty();
            assertThat(probe()).isEqualTo(LockProbe.REFUSED);
        }
    }

    @Test
    void aMissingDirectory_isCreatedPrivate_withAPrivateLockFile() throws Exception {
        Path fresh = dataDirectory.resolve("fresh");
        try (SeatStoreLock held = SeatStoreLock.acquire(fresh)) {
            assertThat(Files.getPosixFilePermissions(fresh)).isEqualTo(PrivateFiles.DIRECTORY);
            assertThat(Files.getPosixFilePermissions(fresh.resolve(SeatStoreLock.FILE_NAME)))
                    .isEqualTo(PrivateFiles.FILE);
        }
    }

    /** The journaled store takes the lock itself, or works under the caller's and leaves it held when closed. */
    @Test
    void theSeatStore_underTheCallersLock_leavesItHeld_andRefusesALockOfAnotherDirectory() throws Exception {
        try (SqliteDatabase database = SqliteDatabase.open(dataDirectory)) {
            try (SeatStoreLock held = SeatStoreLock.acquire(dataDirectory)) {
                JournaledSeatStore.open(database, Instant.EPOCH, Duration.ofMinutes(1), held)
                        .close();
                assertThat(probe()).as("still held after the store closed").isEqualTo(LockProbe.REFUSED);
                assertThatThrownBy(() -> JournaledSeatStore.open(database, Instant.EPOCH, Duration.ofMinutes(1)))
                        .isInstanceOf(StoreException.class)
                        .hasMessageContaining("another process has the seat store");
            }
            try (SeatStoreLock other = SeatStoreLock.acquire(dataDirectory.resolve("other"))) {
                assertThatThrownBy(() -> JournaledSeatStore.open(database, Instant.EPOCH, Duration.ofMinutes(1), other))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("does not hold the directory");
            }
            JournaledSeatStore own = JournaledSeatStore.open(database, Instant.EPOCH, Duration.ofMinutes(1));
            assertThat(probe()).isEqualTo(LockProbe.REFUSED);
            own.close();
            assertThat(probe()).as("released with the store that took it").isEqualTo(LockProbe.TOOK);
        }
    }

    private String probe() throws IOException, InterruptedException {
        Process process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        LockProbe.class.getName(),
                        dataDirectory.toString())
                .redirectErrorStream(true)
                .start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS))
                .as("the probe process ended")
                .isTrue();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.exitValue()).as(out).isZero();
        return out;
    }
}
