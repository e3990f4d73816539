package com.anycontact.innolicense.license;

import java.util.List;

/**
 * Where the licenses applied to this installation are kept: every one ever applied, superseded and
 * future-dated ones included, since the lifecycle is evaluated over all of them. Implementations are safe
 * for use by many threads at once.
 */
public interface LicenseStore {

    /**
     * Every stored license, lowest serial first: those whose key decodes, and those whose key does not (a row
     * damaged or edited by hand), which are reported rather than thrown, so that one bad row cannot stop the
     * server (decode them with {@link StoredLicenses.Reader}).
     */
    StoredLicenses read();

    /** Every applied license whose key decodes, lowest serial first; the rows that do not are left out. */
    default List<AppliedLicense> all() {
        return read().applied();
    }

    /**
     * Stores an applied license. It is durable when this method returns.
     *
     * @throws IllegalArgumentException when a license with the same serial is already stored; the caller
     *     checks supersession first, so this is a bug
     */
    void add(AppliedLicense applied);
}
