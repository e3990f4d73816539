package com.anycontact.innolicense.faults;

import java.util.Objects;

/**
 * One fault the harness injected, on its monotonic clock.
 *
 * @param kind what was done
 * @param node the server node it was done to, or {@link #ALL_NODES} for the cluster database
 * @param startedNanos when the fault began (the kill, the SIGSTOP, the clock step, the disk filled, the lock taken)
 * @param endedNanos when it ended (the restart launched, the SIGCONT, the step itself, the disk freed, the lock
 *     released); from here on the server must answer again within the recovery bound
 * @param readyNanos for a kill, when the restarted server first answered the harness (its leases are restored,
 *     and extended by the restart grace, by then); otherwise {@code endedNanos}
 * @param detail what exactly, e.g. {@code -3600s}
 */
public record FaultEvent(Kind kind, int node, long startedNanos, long endedNanos, long readyNanos, String detail) {

    /** The node of a fault done to the cluster database, which every node depends on. */
    public static final int ALL_NODES = -1;

    /** The faults the harness injects. */
    public enum Kind {
        /** {@code kill -9}, then a restart on the same data directory. */
        KILL,
        /** {@code SIGSTOP}, then {@code SIGCONT} after longer than the lease TTL. */
        PAUSE,
        /**
         * The server's wall clock stepped back (libfaketime, or its injected clock); in a cluster round 400 days
         * behind while the node runs, followed by a {@link #CLOCK_FORWARD} to real time after a while, or the step
         * back to real time that ends a {@link #CLOCK_FORWARD}.
         */
        CLOCK_BACK,
        /**
         * The server's wall clock stepped forward (libfaketime, or its injected clock); in a cluster round 400 days
         * ahead while the node runs, followed by a {@link #CLOCK_BACK} to real time after a while, or the step
         * forward to real time that ends a {@link #CLOCK_BACK}.
         */
        CLOCK_FORWARD,
        /** The data directory's filesystem filled by a ballast file, then freed. */
        DISK_FULL,
        /** Another process holding SQLite's write lock ({@code BEGIN IMMEDIATE}). */
        FOREIGN_LOCK,
        /**
         * A cluster node restarted with its wall clock well off (30 s ahead), kept so for a while, then restarted with
         * the right clock: from its start to its end it must refuse every seat call.
         */
        CLOCK_SKEW,
        /**
         * A cluster node restarted with its wall clock far ahead (400 days: a machine booted before NTP set its
         * clock), an API token created through it, kept so for a while, then restarted with the right clock: it must
         * serve on the database's time and date nothing ahead, so that no node's license lapses after it.
         */
        BOOT_AHEAD,
        /**
         * A cluster node restarted with its wall clock far behind (400 days: a dead battery, a virtual machine restored
         * from an old snapshot), an API token created through it, kept so for a while, then restarted with the right
         * clock: it must date nothing behind, and neither lapse nor shorten the license, nor reap a lease early.
         */
        BOOT_BEHIND,
        /** The cluster database stopped ({@code pg_ctl stop -m fast}) and started again. */
        DATABASE_RESTART,
        /** The cluster database's primary killed ({@code SIGKILL}) and its synchronous standby promoted. */
        DATABASE_FAILOVER,
        /**
         * A cluster node cut off from the cluster database (every packet dropped, its connections held open) while
         * the other nodes still reach it, then reconnected ({@link DatabaseRelay}).
         */
        PARTITION,
        /**
         * A cluster node's traffic with the cluster database delayed (everything held for up to 2 s each way,
         * {@link DatabaseRelay#delay}) while the other nodes reach it at once, then forwarded at once again.
         */
        LATENCY
    }

    /** Whether an acknowledged lease could be lost here if the server kept it badly: a crash or a failover. */
    public boolean mayLoseState() {
        return kind == Kind.KILL || kind == Kind.DATABASE_RESTART || kind == Kind.DATABASE_FAILOVER;
    }

    /** Checks the fields. */
    public FaultEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
        if (endedNanos < startedNanos || readyNanos < endedNanos) {
            throw new IllegalArgumentException("a fault ends after it starts and is ready after it ends: " + kind);
        }
    }

    /** An instant fault (a clock step), or one whose readiness is its end. */
    public static FaultEvent of(Kind kind, int node, long startedNanos, long endedNanos, String detail) {
        return new FaultEvent(kind, node, startedNanos, endedNanos, endedNanos, detail);
    }

    /** Whether the server's wall clock moved here. */
    public boolean isClockStep() {
        return kind == Kind.CLOCK_BACK || kind == Kind.CLOCK_FORWARD;
    }
}
