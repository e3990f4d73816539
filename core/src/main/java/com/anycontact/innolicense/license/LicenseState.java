package com.anycontact.innolicense.license;

/**
 * Where an installation stands in the license lifecycle at one instant (DESIGN §3). Each state decides
 * the capacity and the features in force; {@link LicenseLifecycle#evaluate} computes it.
 */
public enum LicenseState {

    /** No license has been applied; demo capacity with the whole product catalog, for evaluation. */
    UNLICENSED,

    /** Licenses are applied but none has started yet; demo capacity with the whole product catalog. */
    PENDING,

    /** The license in force is within its term (start ≤ now &lt; end); its seats and features apply. */
    ACTIVE,

    /**
     * The term of the license in force has ended but its grace period has not (end ≤ now &lt; grace end);
     * its seats and features still apply, and every view warns.
     */
    GRACE,

    /**
     * The license in force is past its grace end and no newer license has started; demo capacity with the
     * features of the lapsed license.
     */
    DEMO
}
