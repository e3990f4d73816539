package com.anycontact.innolicense.license;

import java.time.Instant;
import java.util.function.Supplier;

/**
 * Where this installation's identity and its persisted trusted time are kept. Implementations are safe for
 * use by many threads, and by several server nodes sharing one database.
 */
public interface InstallationStore {

    /**
     * The installation ID, created at the first call: when none is stored yet, {@code create} is asked for
     * one, which is stored and returned. Atomic: when several threads or nodes call this at once on a store
     * without an ID, all of them get the one ID that was stored.
     *
     * @param create makes a fresh ID; asked at most once per call, and only while none is stored
     */
    InstallationId installationId(Supplier<InstallationId> create);

    /** The persisted high-water mark of trusted time, or {@link Instant#EPOCH} when none was saved yet. */
    Instant trustedTimeMark();

    /**
     * Persists the high-water mark of trusted time. The stored mark only ever moves forward: an instant
     * earlier than the stored one leaves it unchanged. It is durable when this method returns. Stores that
     * keep coarser precision round up, never down.
     */
    void saveTrustedTimeMark(Instant mark);
}
