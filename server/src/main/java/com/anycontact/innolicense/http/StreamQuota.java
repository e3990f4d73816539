package com.anycontact.innolicense.http;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Counts the live-event streams open per caller and in total, and refuses one more beyond either cap. A caller is
 * a session or an API token ({@code kind:id}), so one browser tab too many or a leaking dashboard script cannot
 * hold every request thread. Thread safe.
 */
final class StreamQuota {

    /** A stream counted; {@link #close()} gives it back, once. */
    interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    private final int perCaller;
    private final int total;
    private final Map<String, Integer> open = new HashMap<>();
    private int openTotal;

    StreamQuota(int perCaller, int total) {
        this.perCaller = perCaller;
        this.total = total;
    }

    /** Counts a stream of the caller, or explains which cap is reached. */
    synchronized Optional<Slot> open(String caller) {
        int mine = open.getOrDefault(caller, 0);
        if (mine >= perCaller || openTotal >= total) {
            return Optional.empty();
        }
        open.put(caller, mine + 1);
        openTotal++;
        boolean[] closed = {false};
        return Optional.of(() -> {
            synchronized (StreamQuota.this) {
                if (!closed[0]) {
                    closed[0] = true;
                    openTotal--;
                    open.merge(caller, -1, (a, b) -> a + b == 0 ? null : a + b);
                }
            }
        });
    }

    /** Why {@link #open} refused, for the problem's detail. */
    synchronized String refusal(String caller) {
        return open.getOrDefault(caller, 0) >= perCaller
                ? "you have " + perCaller + " live-event streams open, the most one session or token may; close one"
                        + " (another browser tab or dashboard) first"
                : "the server has " + total + " live-event streams open, the most it allows; try again later";
    }

    /** How many streams are open. */
    synchronized int openStreams() {
        return openTotal;
    }

    int perCaller() {
        return perCaller;
    }

    int total() {
        return total;
    }
}
