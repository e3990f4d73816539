package com.anycontact.innolicense.license;

import com.anycontact.innolicense.audit.AuditEvent;
import com.anycontact.innolicense.audit.AuditLog;
import com.anycontact.innolicense.audit.AuditQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The anti-rollback floor: the earliest instant trusted time may start at when the server starts, the newest
 * of the evidence that time has already passed it. The evidence is the persisted trusted-time mark, the
 * {@code issuedAt} of every applied license, the instant each was applied at, and the newest audit event.
 *
 * <p>The mark alone would do if the database were never replaced; the other evidence is there for a database
 * restored from an old copy while the system clock is set back: the key applied since the copy was taken is
 * gone with it, but the copy still holds the licenses and audit events it had, and a license issued or an
 * event recorded at some instant proves that instant has passed. A lapsed license therefore stays lapsed
 * unless every trace of time after its grace end is removed from the database, and that needs editing it.
 *
 * @param at the floor
 * @param source what set it, for people, e.g. {@code "the newest audit event (#42, LOGIN)"}
 */
public record TrustedTimeFloor(Instant at, String source) {

    /** The floor of a first start, when there is no evidence at all. */
    public static final TrustedTimeFloor NONE = new TrustedTimeFloor(Instant.EPOCH, "no evidence");

    /** Requires both fields. */
    public TrustedTimeFloor {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(source, "source");
    }

    /** The newest of the evidence kept in the installation's stores; reads each store once. */
    public static TrustedTimeFloor of(InstallationStore installation, LicenseStore licenses, AuditLog audit) {
        List<TrustedTimeFloor> evidence = new ArrayList<>();
        evidence.add(NONE);
        evidence.add(new TrustedTimeFloor(installation.trustedTimeMark(), "the persisted trusted-time mark"));
        for (AppliedLicense applied : licenses.all()) {
            License license = applied.license();
            evidence.add(new TrustedTimeFloor(
                    license.issuedAt(),
                    "the issue time of license " + license.licenseId() + " (serial " + license.serial() + ")"));
            evidence.add(new TrustedTimeFloor(
                    applied.appliedAt(), "the time license " + license.licenseId() + " was applied"));
        }
        for (AuditEvent event : audit.find(AuditQuery.newest(1))) {
            evidence.add(new TrustedTimeFloor(
                    event.at(), "the newest audit event (#" + event.id() + ", " + event.type() + ")"));
        }
        return newest(evidence);
    }

    /** The newest of the given floors; the first of equal ones. */
    public static TrustedTimeFloor newest(List<TrustedTimeFloor> floors) {
        return floors.stream().max(Comparator.comparing(TrustedTimeFloor::at)).orElse(NONE);
    }
}
