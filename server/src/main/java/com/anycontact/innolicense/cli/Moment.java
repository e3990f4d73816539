package com.anycontact.innolicense.cli;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine.TypeConversionException;

/**
 * The value of {@code --at}: an instant, or a date or date-time without a zone that is read in the
 * license's time zone.
 */
final class Moment {

    /** What {@code --at} accepts, for help and error messages. */
    static final String FORMS = "an instant such as 2027-12-01T00:00:00Z, a date-time with offset or zone such as"
            + " 2027-12-01T00:00+01:00, or a date or date-time such as 2027-12-01 or 2027-12-01T08:30"
            + " in the license's time zone";

    private final Instant instant;
    private final LocalDateTime local;

    private Moment(Instant instant, LocalDateTime local) {
        this.instant = instant;
        this.local = local;
    }

    /** A moment that is the same everywhere. */
    static Moment of(Instant instant) {
        return new Moment(instant, null);
    }

    /** Reads the forms listed in {@link #FORMS}. */
    static Moment parse(String text) {
        String trimmed = text.strip();
        return attempt(() -> of(ZonedDateTime.parse(trimmed, DateTimeFormatter.ISO_DATE_TIME)
                        .toInstant()))
                .or(() -> attempt(() -> new Moment(null, LocalDateTime.parse(trimmed))))
                .or(() ->
                        attempt(() -> new Moment(null, LocalDate.parse(trimmed).atStartOfDay())))
                .orElseThrow(() -> new TypeConversionException("'" + text + "' is not " + FORMS));
    }

    /** The instant this moment names in the given zone. */
    Instant in(ZoneId zone) {
        return instant != null ? instant : local.atZone(zone).toInstant();
    }

    private static Optional<Moment> attempt(Supplier<Moment> parser) {
        try {
            return Optional.of(parser.get());
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }
}
