package com.anycontact.innolicense.server;

import com.anycontact.innolicense.store.PrivateFiles;
import com.anycontact.innolicense.store.postgres.PostgresUrl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The mark {@code innolicense admin migrate} leaves in an embedded server's data directory once the installation
 * is in a cluster database: a file, {@value #FILE_NAME}, that says where it went and when. An embedded server
 * refuses to start on a directory that has it, and {@code admin migrate} refuses to move it a second time: two
 * servers serving one installation would each give out all its seats, and the agents' logins would be split
 * between them.
 *
 * <p>It guards against a mistake (a forgotten systemd unit, a second migration into another database), not against
 * a customer who deletes it, any more than against one who edits the SQLite database: the file says how to go
 * back, since going back to the embedded server, once no cluster node serves the installation, is legitimate.
 */
public final class MovedToCluster {

    /** The file's name in the data directory. */
    public static final String FILE_NAME = "moved-to-cluster";

    private static final String DATABASE = "database: ";
    private static final String MOVED_AT = "moved-at: ";

    private MovedToCluster() {}

    /**
     * Marks {@code dataDirectory} as moved: written whole or not at all (a temporary file renamed into place),
     * {@code 0600} as every file there.
     *
     * @throws IOException when the file cannot be written
     */
    public static void mark(Path dataDirectory, String installation, PostgresUrl database, Instant at)
            throws IOException {
        Path file = dataDirectory.resolve(FILE_NAME);
        Path partial = dataDirectory.resolve(FILE_NAME + ".partial");
        Files.deleteIfExists(partial);
        PrivateFiles.writeNew(
                partial,
                String.join(
                        "\n",
                        "The installation in this directory was moved into a cluster database by innolicense admin"
                                + " migrate.",
                        "installation: " + installation,
                        DATABASE + database,
                        MOVED_AT + at,
                        "An embedded server does not start on this directory while this file is here: it and the"
                                + " cluster nodes would each give out every seat.",
                        "To serve the installation from this directory again, once no cluster node serves it,"
                                + " delete this file.",
                        ""));
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Why the installation in {@code dataDirectory} is not to be served or moved from there: where and when it was
     * moved, and how to go back; empty when it was not moved.
     */
    public static Optional<String> reason(Path dataDirectory) {
        Path file = dataDirectory.resolve(FILE_NAME);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // There, but unreadable: still a mark.
            lines = List.of();
        }
        String where = field(lines, DATABASE).orElse("a cluster database");
        String when = field(lines, MOVED_AT).map(at -> " on " + at).orElse("");
        return Optional.of("the installation in " + dataDirectory + " was moved to " + where + when
                + " (innolicense admin migrate), and serving it from here as well, or moving it again, would give out"
                + " its seats twice and split the agents' logins between two places: start the cluster nodes with"
                + " --database " + where
                + " instead. To serve it from this directory again, once no cluster node serves it, delete " + file);
    }

    private static Optional<String> field(List<String> lines, String prefix) {
        return lines.stream()
                .filter(line -> line.startsWith(prefix))
                .map(line -> line.substring(prefix.length()).strip())
                .filter(value -> !value.isEmpty())
                .findFirst();
    }
}
