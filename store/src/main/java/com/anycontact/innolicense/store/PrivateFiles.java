package com.anycontact.innolicense.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Files only their owner may read: the data directory is created {@code 0700} and every file in it {@code
 * 0600}, since the database holds password hashes, token digests and an audit log with addresses. Existing
 * files are not changed (an operator may have reasons), but {@link #looser} names those that others can read,
 * for a warning at startup. Where the file system has no POSIX permissions (Windows), nothing is set or warned.
 */
public final class PrivateFiles {

    /** {@code rwx------}. */
    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

    /** {@code rw-------}. */
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    private PrivateFiles() {}

    /**
     * Creates the directory and its missing parents; the directory itself, when created here, is {@code 0700}.
     *
     * @throws IOException when it cannot be created
     */
    public static void createDirectory(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        Path parent = directory.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try {
            if (isPosix(parent)) {
                Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(DIRECTORY));
            } else {
                Files.createDirectory(directory);
            }
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(directory)) {
                throw e;
            }
        }
    }

    /**
     * Creates an empty file {@code 0600} unless it exists.
     *
     * @throws IOException when it cannot be created
     */
    public static void createFile(Path file) throws IOException {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            if (isPosix(file.toAbsolutePath().getParent())) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
            } else {
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException e) {
            // made by someone else meanwhile: left as it is
        }
    }

    /**
     * Writes a new file {@code 0600} with the text, replacing none: fails when the file exists.
     *
     * @throws IOException when it exists or cannot be written
     */
    public static void writeNew(Path file, String text) throws IOException {
        if (isPosix(file.toAbsolutePath().getParent())) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
        } else {
            Files.createFile(file);
        }
        Files.writeString(file, text);
    }

    /**
     * The directory and the files in it whose names start with {@code prefix} that users other than the owner
     * may read, write or enter, each as a warning naming the path, its mode and what to do.
     */
    public static List<String> looser(Path directory, String prefix) {
        List<String> warnings = new ArrayList<>();
        if (!Files.isDirectory(directory) || !isPosix(directory)) {
            return warnings;
        }
        check(directory, "700", warnings);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, prefix + "*")) {
            for (Path file : files) {
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    check(file, "600", warnings);
                }
            }
        } catch (IOException e) {
            warnings.add("cannot list " + directory.toAbsolutePath() + " to check its permissions: " + e.getMessage());
        }
        return warnings;
    }

    private static void check(Path path, String wanted, List<String> warnings) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
            if (permissions.stream().anyMatch(OTHERS::contains)) {
                warnings.add(path.toAbsolutePath() + " is " + PosixFilePermissions.toString(permissions)
                        + ": users other than its owner can reach it (it holds password hashes, token digests and"
                        + " the audit log); run chmod " + wanted + " " + path.toAbsolutePath());
            }
        } catch (IOException | UnsupportedOperationException e) {
            warnings.add("cannot read the permissions of " + path.toAbsolutePath() + ": " + e.getMessage());
        }
    }

    private static boolean isPosix(Path existing) {
        Path probe = existing == null ? Path.of("").toAbsolutePath() : existing;
        return Files.getFileAttributeView(probe, PosixFileAttributeView.class) != null;
    }
}
