package com.anycontact.innolicense.license;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The signed terms of one license: who it is for, which installation it binds to, what it grants and
 * for how long. A license is valid from the start of {@link #startDate()} in {@link #timeZone()} for
 * {@link #termMonths()} months, followed by {@link #graceDays()} days of grace.
 *
 * <p>The constructor enforces the invariants that every license key must satisfy, so a {@code License}
 * value is always well-formed; it throws {@link IllegalArgumentException} naming the field otherwise.
 *
 * @param licenseId unique ID of this license (letters, digits, {@code . _ -}; at most 64)
 * @param serial position in the installation's sequence of licenses; a higher serial supersedes
 * @param keyId ID of the vendor signing key (letters, digits, {@code . _ -}; at most 64)
 * @param customer who the license is issued to
 * @param orderId the vendor's order reference
 * @param installationId the installation the license binds to
 * @param features granted feature codes (upper-case letters, digits and {@code _}), sorted, at least one
 * @param seats the concurrent user count, 1 to {@value #MAX_SEATS}
 * @param startDate the licensed start date, in {@code timeZone}
 * @param timeZone the zone in which start, end and grace end fall at midnight
 * @param termMonths the term in months (1 to {@value #MAX_TERM_MONTHS})
 * @param graceDays days of grace after the end of the term (0 to {@value #MAX_GRACE_DAYS})
 * @param issuedAt when the vendor signed the license, to the second (finer parts are dropped)
 */
public record License(
        String licenseId,
        long serial,
        String keyId,
        Customer customer,
        String orderId,
        InstallationId installationId,
        SortedSet<String> features,
        int seats,
        LocalDate startDate,
        ZoneId timeZone,
        int termMonths,
        int graceDays,
        Instant issuedAt) {

    /** The largest concurrent user count a license may carry. */
    public static final int MAX_SEATS = 100_000;
    /** The longest term a license may carry, in months. */
    public static final int MAX_TERM_MONTHS = 120;
    /** The longest grace period a license may carry, in days. */
    public static final int MAX_GRACE_DAYS = 365;
    /** The default term, in months. */
    public static final int DEFAULT_TERM_MONTHS = 12;
    /** The default grace period, in days. */
    public static final int DEFAULT_GRACE_DAYS = 14;

    private static final DateTimeFormatter DISPLAY_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm VV '(UTC'xxx')'", Locale.ROOT);

    static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    static final Pattern FEATURE = Pattern.compile("[A-Z][A-Z0-9_]{0,31}");
    static final int MAX_TEXT_LENGTH = 200;

    /** Checks every field; see the record description for the rules. */
    public License {
        requireIdentifier("licenseId", licenseId);
        if (serial < 1) {
            throw new IllegalArgumentException("serial must be 1 or more, was " + serial);
        }
        requireIdentifier("keyId", keyId);
        Objects.requireNonNull(customer, "customer");
        requireIdentifier("customer.id", customer.id());
        requireText("customer.name", customer.name());
        requireText("orderId", orderId);
        Objects.requireNonNull(installationId, "installationId");
        Objects.requireNonNull(features, "features");
        if (features.isEmpty()) {
            throw new IllegalArgumentException("features must name at least one feature");
        }
        for (String feature : features) {
            if (feature == null || !FEATURE.matcher(feature).matches()) {
                throw new IllegalArgumentException("features: '" + feature + "' is not a feature code");
            }
        }
        features = Collections.unmodifiableSortedSet(new TreeSet<>(features));
        if (seats < 1 || seats > MAX_SEATS) {
            throw new IllegalArgumentException("seats must be 1 to " + MAX_SEATS + ", was " + seats);
        }
        Objects.requireNonNull(startDate, "startDate");
        if (startDate.getYear() < 2000 || startDate.getYear() > 9000) {
            throw new IllegalArgumentException("startDate must lie in the years 2000 to 9000, was " + startDate);
        }
        Objects.requireNonNull(timeZone, "timeZone");
        if (termMonths < 1 || termMonths > MAX_TERM_MONTHS) {
            throw new IllegalArgumentException("termMonths must be 1 to " + MAX_TERM_MONTHS + ", was " + termMonths);
        }
        if (graceDays < 0 || graceDays > MAX_GRACE_DAYS) {
            throw new IllegalArgumentException("graceDays must be 0 to " + MAX_GRACE_DAYS + ", was " + graceDays);
        }
        issuedAt = Objects.requireNonNull(issuedAt, "issuedAt").truncatedTo(ChronoUnit.SECONDS);
    }

    /** Convenience for callers holding a plain set; the features are copied and sorted. */
    public static SortedSet<String> features(Set<String> features) {
        return new TreeSet<>(features);
    }

    /** The last day of the term plus one: the date on which the grace period begins. */
    public LocalDate endDate() {
        return startDate.plusMonths(termMonths);
    }

    /** The date on which the grace period ends and the license lapses. */
    public LocalDate graceEndDate() {
        return endDate().plusDays(graceDays);
    }

    /** The instant the license takes effect: the start of {@link #startDate()} in its zone. */
    public Instant start() {
        return startZoned().toInstant();
    }

    /** The instant the term ends and grace begins. */
    public Instant end() {
        return endZoned().toInstant();
    }

    /** The instant grace ends: from here on the license no longer grants its seats. */
    public Instant graceEnd() {
        return graceEndZoned().toInstant();
    }

    /** {@link #start()} in the license's zone, for display. */
    public ZonedDateTime startZoned() {
        return startDate.atStartOfDay(timeZone);
    }

    /** {@link #end()} in the license's zone, for display. */
    public ZonedDateTime endZoned() {
        return endDate().atStartOfDay(timeZone);
    }

    /** {@link #graceEnd()} in the license's zone, for display. */
    public ZonedDateTime graceEndZoned() {
        return graceEndDate().atStartOfDay(timeZone);
    }

    /**
     * A moment in a zone as people read it, the same on every screen, e.g. {@code 2026-12-01 00:00
     * Europe/Berlin (UTC+01:00)}.
     */
    public static String displayTime(ZonedDateTime time) {
        return DISPLAY_TIME.format(time);
    }

    private static void requireIdentifier(String field, String value) {
        if (value == null || !IDENTIFIER.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " must be 1 to 64 letters, digits, '.', '_' or '-'"
                    + " starting with a letter or digit, was " + quote(value));
        }
    }

    private static void requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be empty");
        }
        if (!value.equals(value.strip())) {
            throw new IllegalArgumentException(field + " must not start or end with whitespace");
        }
        if (value.length() > MAX_TEXT_LENGTH) {
            throw new IllegalArgumentException(
                    field + " must be at most " + MAX_TEXT_LENGTH + " characters, was " + value.length());
        }
        if (value.codePoints().anyMatch(c -> Character.isISOControl(c) || !Character.isDefined(c))) {
            throw new IllegalArgumentException(field + " must not contain control characters");
        }
    }

    private static String quote(String value) {
        return value == null ? "nothing" : "'" + value + "'";
    }
}
