package com.anycontact.innolicense.license;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The outcome of evaluating the applied licenses at one instant: what is allowed now, which license
 * decides it, and what comes next. Produced by {@link LicenseLifecycle#evaluate}.
 *
 * @param state where the lifecycle stands
 * @param capacity the seats usable now: the seats of the license in force, or
 *     {@value LicenseLifecycle#DEMO_CAPACITY} in UNLICENSED, PENDING and DEMO
 * @param features the feature codes usable now, sorted
 * @param current the license in force, whose terms decide; in DEMO the lapsed one; empty in UNLICENSED and
 *     PENDING
 * @param pending the applied license with a higher serial than {@code current} that takes over next, at its
 *     start; empty when there is none
 * @param evaluatedAt the trusted instant the status was evaluated at
 */
public record LicenseStatus(
        LicenseState state,
        int capacity,
        SortedSet<String> features,
        Optional<License> current,
        Optional<License> pending,
        Instant evaluatedAt) {

    private static final Duration DAY = Duration.ofDays(1);

    /** Checks that the state agrees with the licenses present. */
    public LicenseStatus {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(pending, "pending");
        Objects.requireNonNull(evaluatedAt, "evaluatedAt");
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative, was " + capacity);
        }
        features = Collections.unmodifiableSortedSet(new TreeSet<>(features));
        boolean needsCurrent = state != LicenseState.UNLICENSED && state != LicenseState.PENDING;
        if (current.isPresent() != needsCurrent) {
            throw new IllegalArgumentException(
                    state + (needsCurrent ? " needs" : " cannot have") + " a current license");
        }
        if (state == LicenseState.UNLICENSED && pending.isPresent()) {
            throw new IllegalArgumentException("UNLICENSED cannot have a pending license");
        }
        if (state == LicenseState.PENDING && pending.isEmpty()) {
            throw new IllegalArgumentException("PENDING needs a pending license");
        }
    }

    /** The end of the term of the license in force, when there is one. */
    public Optional<Instant> end() {
        return current.map(License::end);
    }

    /** The grace end of the license in force, when there is one. */
    public Optional<Instant> graceEnd() {
        return current.map(License::graceEnd);
    }

    /**
     * Whole days left in the current phase, rounded up, counting a day as 24 hours: until the end of the
     * term in ACTIVE, until the grace end in GRACE, and 0 in every other state. Five hours left count as 1.
     */
    public long daysRemaining() {
        return switch (state) {
            case ACTIVE -> daysUntil(current.orElseThrow().end());
            case GRACE -> daysUntil(current.orElseThrow().graceEnd());
            case UNLICENSED, PENDING, DEMO -> 0;
        };
    }

    /**
     * What an administrator should act on now, most urgent first. In ACTIVE at most one expiry warning, the
     * tightest threshold that the remaining time falls within (end − now ≤ 30, 14, 7 or 1 days); none when
     * the pending license starts at or before the end of the term, since the renewal is already applied.
     */
    public List<LicenseWarning> warnings() {
        return switch (state) {
            case UNLICENSED ->
                List.of(new LicenseWarning(
                        LicenseWarning.Code.UNLICENSED,
                        "No license applied; demo mode: only " + LicenseLifecycle.DEMO_CAPACITY
                                + " concurrent users can log in until a license key is applied"));
            case PENDING -> {
                License next = pending.orElseThrow();
                yield List.of(new LicenseWarning(
                        LicenseWarning.Code.PENDING,
                        "License starts on " + License.displayTime(next.startZoned()) + ", "
                                + in(daysUntil(next.start()))
                                + "; until then demo mode: only " + LicenseLifecycle.DEMO_CAPACITY
                                + " concurrent users can log in"));
            }
            case ACTIVE -> expiryWarning().map(List::of).orElseGet(List::of);
            case GRACE -> List.of(graceWarning());
            case DEMO -> List.of(demoWarning());
        };
    }

    private Optional<LicenseWarning> expiryWarning() {
        License license = current.orElseThrow();
        if (pending.isPresent() && !pending.get().start().isAfter(license.end())) {
            return Optional.empty();
        }
        long days = daysRemaining();
        LicenseWarning.Code code;
        if (days <= 1) {
            code = LicenseWarning.Code.EXPIRES_WITHIN_1_DAY;
        } else if (days <= 7) {
            code = LicenseWarning.Code.EXPIRES_WITHIN_7_DAYS;
        } else if (days <= 14) {
            code = LicenseWarning.Code.EXPIRES_WITHIN_14_DAYS;
        } else if (days <= 30) {
            code = LicenseWarning.Code.EXPIRES_WITHIN_30_DAYS;
        } else {
            return Optional.empty();
        }
        String action = pending.map(
                        next -> "the renewal already applied starts only on " + License.displayTime(next.startZoned()))
                .orElse("apply a renewal key");
        return Optional.of(new LicenseWarning(
                code,
                "License expires on " + License.displayTime(license.endZoned()) + ", " + in(days) + "; " + action));
    }

    private LicenseWarning graceWarning() {
        License license = current.orElseThrow();
        ZonedDateTime graceEnd = license.graceEndZoned();
        String demo = "then only " + LicenseLifecycle.DEMO_CAPACITY + " concurrent users can log in";
        String next = pending.map(renewal -> renewal.start().isAfter(license.graceEnd())
                        ? demo + " until the renewal already applied starts on "
                                + License.displayTime(renewal.startZoned())
                        : "the renewal already applied starts on " + License.displayTime(renewal.startZoned()))
                .orElse(demo + "; apply a renewal key");
        return new LicenseWarning(
                LicenseWarning.Code.IN_GRACE,
                "License expired on " + License.displayTime(license.endZoned()) + "; grace period ends on "
                        + License.displayTime(graceEnd) + ", " + in(daysRemaining()) + "; " + next);
    }

    private LicenseWarning demoWarning() {
        License license = current.orElseThrow();
        String until = pending.map(
                        next -> "until the license applied starts on " + License.displayTime(next.startZoned()))
                .orElse("until a new license key is applied");
        return new LicenseWarning(
                LicenseWarning.Code.DEMO_MODE,
                "License grace period ended on " + License.displayTime(license.graceEndZoned()) + "; demo mode: only "
                        + LicenseLifecycle.DEMO_CAPACITY + " concurrent users can log in " + until);
    }

    private long daysUntil(Instant instant) {
        Duration left = Duration.between(evaluatedAt, instant);
        if (left.isNegative() || left.isZero()) {
            return 0;
        }
        long whole = left.toDays();
        return left.equals(DAY.multipliedBy(whole)) ? whole : whole + 1;
    }

    private static String in(long days) {
        return days == 1 ? "in 1 day" : "in " + days + " days";
    }
}
