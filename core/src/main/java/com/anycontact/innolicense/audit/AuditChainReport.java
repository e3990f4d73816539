package com.anycontact.innolicense.audit;

import java.util.Objects;
import java.util.Optional;

/**
 * What checking the audit log's hash chain found.
 *
 * @param intact whether every entry fits
 * @param entries how many entries were checked and fit, up to the first that does not
 * @param anchorId the entry the chain starts after: the last one archived, or 0
 * @param anchorHash its hash ({@link AuditChain#GENESIS} for 0)
 * @param lastId the last entry that fits
 * @param lastHash its hash: note it down to catch a chain recomputed after an edit
 * @param firstBreak the first entry that does not fit, and why
 */
public record AuditChainReport(
        boolean intact,
        long entries,
        long anchorId,
        String anchorHash,
        long lastId,
        String lastHash,
        Optional<Break> firstBreak) {

    /** Requires the hashes; a report is intact exactly when it has no break. */
    public AuditChainReport {
        Objects.requireNonNull(anchorHash, "anchorHash");
        Objects.requireNonNull(lastHash, "lastHash");
        Objects.requireNonNull(firstBreak, "firstBreak");
        if (intact == firstBreak.isPresent()) {
            throw new IllegalArgumentException("a report is intact exactly when it names no break");
        }
    }

    /**
     * The first entry that does not fit.
     *
     * @param id its ID
     * @param problem what is wrong, for people
     */
    public record Break(long id, String problem) {
        /** Requires the problem. */
        public Break {
            Objects.requireNonNull(problem, "problem");
        }
    }
}
