package com.anycontact.innolicense.server;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How the server logs: the line format, where to, and the level of each area (a logger name such as {@code
 * com.anycontact.innolicense.seat}, or {@code root}) on top of the defaults. Applied by {@link Logging}.
 *
 * @param format text lines for people, or JSON lines for log shippers
 * @param file a file to log to instead of standard error, rotated daily and at 10 MiB, or empty
 * @param levels the level of each area named, e.g. {@code org.eclipse.jetty -> INFO}
 */
public record LogSettings(Format format, Optional<Path> file, Map<String, String> levels) {

    /** The format of a log line. */
    public enum Format {
        /** {@code 2027-01-15T10:00:00.412+01:00 INFO LicenseServer - message}. */
        TEXT,
        /** One JSON object per line (Logback's {@code JsonEncoder}): timestamp, level, logger, message, … */
        JSON
    }

    /** The levels a setting may name, as Logback spells them. */
    public static final java.util.List<String> LEVELS =
            java.util.List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

    /** Text to standard error at the default levels. */
    public static final LogSettings DEFAULT = new LogSettings(Format.TEXT, Optional.empty(), Map.of());

    /** Copies the levels. */
    public LogSettings {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(file, "file");
        levels = Map.copyOf(levels);
    }
}
