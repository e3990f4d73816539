package com.anycontact.innolicense.vendor;

import com.anycontact.innolicense.license.Customer;
import com.anycontact.innolicense.license.InstallationId;
import com.anycontact.innolicense.license.License;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A verified order: everything the vendor needs to issue a license except the values the issuing step
 * chooses itself (license ID, serial, signing key and issue time). Obtain one from {@link OrderVerifier}.
 *
 * @param orderId the vendor's order reference, e.g. {@code SO-1001}
 * @param customer who the license is for
 * @param installationId the installation the license binds to
 * @param features the ordered feature codes, all from the product catalog
 * @param seats the concurrent user count
 * @param startDate the licensed start date in {@code timeZone}
 * @param timeZone the zone in which the license starts and ends at midnight
 * @param termMonths the term in months
 * @param graceDays the grace period after the term, in days
 */
public record Order(
        String orderId,
        Customer customer,
        InstallationId installationId,
        SortedSet<String> features,
        int seats,
        LocalDate startDate,
        ZoneId timeZone,
        int termMonths,
        int graceDays) {

    /** Copies the features into an unmodifiable sorted set. */
    public Order {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(installationId, "installationId");
        features = Collections.unmodifiableSortedSet(new TreeSet<>(features));
        Objects.requireNonNull(startDate, "startDate");
        Objects.requireNonNull(timeZone, "timeZone");
    }

    /** The license this order asks for, with the values chosen when it is issued. */
    public License toLicense(String licenseId, long serial, String keyId, Instant issuedAt) {
        return new License(
                licenseId,
                serial,
                keyId,
                customer,
                orderId,
                installationId,
                features,
                seats,
                startDate,
                timeZone,
                termMonths,
                graceDays,
                issuedAt);
    }
}
