package com.anycontact.innolicense.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/** Reads the files named on the command line and turns file errors into one line for the user. */
final class CliFiles {

    /** The file name that means standard input. */
    static final String STDIN = "-";

    private CliFiles() {}

    /**
     * Reads a text file, or standard input for {@code -}.
     *
     * @param what what the file is, for error messages, e.g. {@code "order file"}
     * @param limit the largest size accepted, in bytes
     * @throws CommandFailure naming the file when it cannot be read or is larger than {@code limit}
     */
    static String read(String source, CliEnvironment env, String what, int limit) {
        byte[] bytes = readPrefix(source, env, what, limit + 1);
        if (bytes.length > limit) {
            throw CommandFailure.error("the " + what + " " + name(source) + " is larger than " + limit / 1024
                    + " KiB; that cannot be a " + what);
        }
        return decode(bytes);
    }

    /**
     * Reads at most {@code limit} bytes of a text file, or of standard input for {@code -}; a caller that
     * asks for one byte more than it accepts can tell an oversized input without reading all of it.
     *
     * @param what what the file is, for error messages, e.g. {@code "license key file"}
     * @throws CommandFailure naming the file when it cannot be read
     */
    static String readAtMost(String source, CliEnvironment env, String what, int limit) {
        return decode(readPrefix(source, env, what, limit));
    }

    private static byte[] readPrefix(String source, CliEnvironment env, String what, int limit) {
        if (STDIN.equals(source)) {
            try {
                return env.stdin().readNBytes(limit);
            } catch (IOException e) {
                throw CommandFailure.error("cannot read the " + what + " from standard input: " + reason(e));
            }
        }
        Path file = Path.of(source);
        if (Files.isDirectory(file)) {
            throw CommandFailure.error("cannot read the " + what + " " + source + ": it is a directory");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(limit);
        } catch (IOException e) {
            throw CommandFailure.error("cannot read the " + what + " " + source + ": " + reason(e));
        }
    }

    private static String name(String source) {
        return STDIN.equals(source) ? "on standard input" : source;
    }

    /** The cause of a file error in a few plain words. */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "it already exists";
        }
        if (e instanceof NotDirectoryException) {
            return "a part of the path is not a directory";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static String decode(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
