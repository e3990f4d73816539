package com.anycontact.innolicense.store.sqlite;

import com.anycontact.innolicense.seat.AgentId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A checkpoint of {@link JournaledSeatStore} in progress, on its writer thread: the leases changed up to a journal position,
 * written a chunk per transaction in claim order (which is about the order of their rows, so a
 * chunk touches few pages), then the journal truncated up to that position.
 */
final class SeatCheckpoint {

    private static final int CHECKPOINT_CHUNK = 64;
    private static final long TRUNCATE_CHUNK = 2_048;

    private final SeatJournal journal;
    private final Runnable onTransaction;
    private final Map<AgentId, Held> taken;
    private final long throughPosition;
    private final long lastClaimSequence;
    private List<Map.Entry<AgentId, Held>> changes;
    private int written;
    private long truncatedThrough;

    /** Taken under the store's lock, in constant time; the changes are sorted at the first step, outside it. */
    SeatCheckpoint(
            SeatJournal journal,
            Runnable onTransaction,
            Map<AgentId, Held> taken,
            long throughPosition,
            long lastClaimSequence,
            long truncatedThrough) {
        this.journal = journal;
        this.onTransaction = onTransaction;
        this.truncatedThrough = truncatedThrough;
        this.taken = taken;
        this.throughPosition = throughPosition;
        this.lastClaimSequence = lastClaimSequence;
    }

    /** Writes one transaction's worth, or everything; {@code true} when complete. */
    boolean step(boolean everything) {
        if (changes == null) {
            changes = new ArrayList<>(taken.entrySet());
            changes.sort(Comparator.comparingLong(change -> change.getValue() == null
                    ? Long.MIN_VALUE
                    : change.getValue().claimSequence()));
        }
        do {
            if (written < changes.size()) {
                int end = everything ? changes.size() : Math.min(changes.size(), written + CHECKPOINT_CHUNK);
                journal.checkpoint(changes.subList(written, end));
                written = end;
            } else {
                long through =
                        everything ? throughPosition : Math.min(throughPosition, truncatedThrough + TRUNCATE_CHUNK);
                journal.truncate(through, lastClaimSequence);
                truncatedThrough = through;
            }
            onTransaction.run();
        } while (everything && truncatedThrough < throughPosition);
        return written == changes.size() && truncatedThrough >= throughPosition;
    }

    /** The journal holds no entry at or before this position. */
    long truncatedThrough() {
        return truncatedThrough;
    }
}
