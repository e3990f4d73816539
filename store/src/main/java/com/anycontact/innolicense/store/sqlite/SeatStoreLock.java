package com.anycontact.innolicense.store.sqlite;

import com.anycontact.innolicense.store.PrivateFiles;
import com.anycontact.innolicense.store.StoreException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The lock on an embedded data directory that one process at a time holds: the embedded server for its whole
 * run (taken before it migrates the schema, released when it stops), and the admin commands that work on a
 * stopped installation's files ({@code admin migrate}, {@code admin recover}) for theirs. So no two processes
 * give out the seats of one directory, and a command that moves or changes the installation never runs beside
 * a server serving it.
 *
 * <p>An operating-system lock ({@link FileChannel#tryLock()}, {@code fcntl} on Linux) on the file {@value
 * #FILE_NAME} in the data directory (created {@code 0600}): the kernel releases it when the process ends, however
 * it ends, so a crash never leaves a directory locked. It never waits: a directory held by another process (or
 * already by this one) is refused at once.
 *
 * <p>Within one process the directories held are also kept in a set, and a directory in it is refused before its
 * lock file is opened again: on Linux, closing <em>any</em> descriptor of a file releases every {@code fcntl} lock
 * the process has on it, so opening the lock file a second time to find it locked, and closing that, would
 * silently hand the lock to the next process that asks (seen: a second process took the lock then).
 */
public final class SeatStoreLock implements AutoCloseable {

    /** The lock file in the data directory. */
    public static final String FILE_NAME = SqliteDatabase.FILE_NAME + "-seats.lock";

    /** The data directories this process holds, by their real path. */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path dataDirectory;
    private final Path real;
    private final FileChannel channel;
    private final FileLock held;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SeatStoreLock(Path dataDirectory, Path real, FileChannel channel, FileLock held) {
        this.dataDirectory = dataDirectory;
        this.real = real;
        this.channel = channel;
        this.held = held;
    }

    /**
     * Takes the lock on the data directory, creating the directory ({@code 0700}) and the lock file when missing.
     *
     * @throws StoreException when another process holds it, or this one already does, or the file cannot be made
     */
    public static SeatStoreLock acquire(Path dataDirectory) {
        return tryAcquire(dataDirectory)
                .orElseThrow(() -> new StoreException(
                        "another process has the seat store in " + dataDirectory.toAbsolutePath() + " open (a server"
                                + " running on that data directory, or an admin command working on it); stop it first",
                        null));
    }

    /**
     * Takes the lock on the data directory unless it is held, creating the directory and the lock file when
     * missing.
     *
     * @return the lock, or empty when another process holds it or this one already does
     * @throws StoreException when the lock file cannot be created, opened or locked
     */
    public static Optional<SeatStoreLock> tryAcquire(Path dataDirectory) {
        Path directory = Objects.requireNonNull(dataDirectory, "dataDirectory").toAbsolutePath();
        Path path = directory.resolve(FILE_NAME);
        Path real;
        try {
            PrivateFiles.createDirectory(directory);
            real = directory.toRealPath();
        } catch (IOException e) {
            throw new StoreException("cannot create the data directory " + directory + ": " + e.getMessage(), e);
        }
        if (!HELD.add(real)) {
            return Optional.empty();
        }
        FileChannel channel = null;
        try {
            PrivateFiles.createFile(path);
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock held = channel.tryLock();
            if (held == null) {
                close(channel, real);
                return Optional.empty();
            }
            return Optional.of(new SeatStoreLock(directory, real, channel, held));
        } catch (OverlappingFileLockException e) {
            // held through a channel not made here; the set above keeps this from happening
            close(channel, real);
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            close(channel, real);
            throw new StoreException("cannot lock " + path + ": " + e.getMessage(), e);
        }
    }

    /** The data directory this lock holds (absolute). */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Whether this lock is held and is the one of the directory holding {@code databaseFile}. */
    boolean guards(Path databaseFile) {
        return !closed.get()
                && held.isValid()
                && dataDirectory.equals(databaseFile.toAbsolutePath().getParent());
    }

    /** Releases the lock; another process may take it from then on. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            close(channel, real);
        }
    }

    private static void close(FileChannel channel, Path real) {
        try {
            if (channel != null) {
                channel.close(); // releases the lock
            }
        } catch (IOException e) {
            // the lock goes with the channel's descriptor, which is gone whether or not close reported an error
        } finally {
            HELD.remove(real);
        }
    }
}
