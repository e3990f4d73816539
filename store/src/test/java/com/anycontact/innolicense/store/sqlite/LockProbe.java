package com.anycontact.innolicense.store.sqlite;

import java.nio.file.Path;

/**
 * Run as a process of its own by {@link SeatStoreLockTest}: tries to take a data directory's lock and prints {@link
 * #TOOK} or {@link #REFUSED}, then exits, which releases whatever it took.
 */
final class LockProbe {

    static final String TOOK = "took";
    static final String REFUSED = "refused";

    private LockProbe() {}

    public static void main(String[] args) {
        try (var held = SeatStoreLock.tryAcquire(Path.of(args[0])).orElse(null)) {
            System.out.println(held != null ? TOOK : REFUSED);
        }
    }
}
