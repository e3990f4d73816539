package com.anycontact.innolicense.license;

import java.util.List;

/**
 * Where the licenses applied to this installation are kept: every one ever applied, superseded and
 * future-dated ones included, since the lifecycle is evaluated over all of them. Implementations are safe
 * for use by many threads at once.
 */
public interface LicenseStore {

    /** Every applied license, lowest serial first. */
    List<AppliedLicense> all();

    /**
     * Stores an applied license. It is durable when this method returns.
     *
     * @throws IllegalArgumentException when a license with the same serial is already stored; the caller
     *     checks supersession first, so this is a bug
     */
    void add(AppliedLicense applied);
}
