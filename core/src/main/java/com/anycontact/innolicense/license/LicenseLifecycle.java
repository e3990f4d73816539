package com.anycontact.innolicense.license;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The license lifecycle of DESIGN §3 as a pure function of the applied licenses and trusted time.
 *
 * <p>The license in force is the highest-serial license that has started ({@code start() ≤ now}); a
 * higher serial supersedes lower ones even while they are still within their term, and a lower serial
 * never replaces a higher one. Its phase follows from half-open intervals, exact to the instant: ACTIVE in
 * {@code [start, end)}, GRACE in {@code [end, graceEnd)}, DEMO from {@code graceEnd} on. With no license
 * the state is UNLICENSED; with licenses of which none has started, PENDING. A future-dated renewal takes
 * over at its start with no gap, because from that instant it is the highest-serial started license.
 *
 * <p>Pass the instant of a {@link TrustedClock} so that a clock set back cannot revive a lapsed license.
 */
public final class LicenseLifecycle {

    /** The seats usable in UNLICENSED, PENDING and DEMO. */
    public static final int DEMO_CAPACITY = 2;

    private static final Comparator<License> NEXT_TO_START =
            Comparator.comparing(License::start).thenComparing(License::serial, Comparator.reverseOrder());

    private LicenseLifecycle() {}

    /**
     * Evaluates the applied licenses at {@code now}. The order of {@code applied} does not matter, and the
     * same license applied twice counts once.
     *
     * @param applied every license applied to the installation, including superseded and future-dated ones
     * @param now the trusted current instant
     * @return the state, capacity, features and licenses in force at {@code now}
     * @throws IllegalArgumentException when two different licenses carry the same serial
     */
    public static LicenseStatus evaluate(Collection<License> applied, Instant now) {
        Objects.requireNonNull(now, "now");
        List<License> licenses = distinctSerials(applied);
        if (licenses.isEmpty()) {
            return new LicenseStatus(
                    LicenseState.UNLICENSED,
                    DEMO_CAPACITY,
                    ProductCatalog.features(),
                    Optional.empty(),
                    Optional.empty(),
                    now);
        }
        Optional<License> inForce = licenses.stream()
                .filter(license -> !license.start().isAfter(now))
                .max(Comparator.comparingLong(License::serial));
        long currentSerial = inForce.map(License::serial).orElse(0L);
        Optional<License> pending = licenses.stream()
                .filter(license ->
                        license.serial() > currentSerial && license.start().isAfter(now))
                .min(NEXT_TO_START);
        if (inForce.isEmpty()) {
            return new LicenseStatus(
                    LicenseState.PENDING, DEMO_CAPACITY, ProductCatalog.features(), Optional.empty(), pending, now);
        }
        License current = inForce.get();
        LicenseState state = phase(current, now);
        int capacity = state == LicenseState.DEMO ? DEMO_CAPACITY : current.seats();
        return new LicenseStatus(state, capacity, current.features(), inForce, pending, now);
    }

    private static LicenseState phase(License started, Instant now) {
        if (now.isBefore(started.end())) {
            return LicenseState.ACTIVE;
        }
        if (now.isBefore(started.graceEnd())) {
            return LicenseState.GRACE;
        }
        return LicenseState.DEMO;
    }

    private static List<License> distinctSerials(Collection<License> applied) {
        Objects.requireNonNull(applied, "applied");
        Set<License> distinct = new LinkedHashSet<>(applied);
        Map<Long, License> bySerial = new HashMap<>();
        for (License license : distinct) {
            Objects.requireNonNull(license, "applied license");
            License other = bySerial.putIfAbsent(license.serial(), license);
            if (other != null) {
                throw new IllegalArgumentException("licenses " + other.licenseId() + " and " + license.licenseId()
                        + " carry the same serial " + license.serial());
            }
        }
        return List.copyOf(distinct);
    }
}
