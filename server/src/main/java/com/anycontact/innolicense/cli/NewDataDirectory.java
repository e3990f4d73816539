package com.anycontact.innolicense.cli;

import com.anycontact.innolicense.store.sqlite.SqliteDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a server start is about to create in its data directory, so that a start that fails can take it back:
 * the directory itself when it did not exist, else the database files when there was no database. A data
 * directory that already had a database is never touched.
 */
final class NewDataDirectory {

    private static final List<String> DATABASE_FILES = List.of("", "-wal", "-shm", "-journal", "-seats.lock");

    private final Path directory;
    private final boolean directoryIsNew;
    private final boolean databaseIsNew;

    private NewDataDirectory(Path directory, boolean directoryIsNew, boolean databaseIsNew) {
        this.directory = directory;
        this.directoryIsNew = directoryIsNew;
        this.databaseIsNew = databaseIsNew;
    }

    /** Notes, before the start, whether the data directory and its database exist. */
    static NewDataDirectory before(Path directory) {
        return new NewDataDirectory(
                directory, !Files.exists(directory), !Files.exists(directory.resolve(SqliteDatabase.FILE_NAME)));
    }

    /**
     * Deletes what the failed start created: the whole directory when it was new (nothing else was in it),
     * else the database files when there was no database. Best effort: what cannot be deleted is left.
     */
    void undo() {
        try {
            if (directoryIsNew) {
                if (Files.exists(directory)) {
                    try (Stream<Path> paths = Files.walk(directory)) {
                        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                            Files.deleteIfExists(path);
                        }
                    }
                }
            } else if (databaseIsNew) {
                for (String suffix : DATABASE_FILES) {
                    Files.deleteIfExists(directory.resolve(SqliteDatabase.FILE_NAME + suffix));
                }
            }
        } catch (IOException e) {
            // best effort: the one line about why the start failed matters more than this
        }
    }
}
