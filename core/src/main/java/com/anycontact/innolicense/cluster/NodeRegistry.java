package com.anycontact.innolicense.cluster;

import java.time.Duration;
import java.util.List;

/**
 * The registry of the server nodes that share one cluster database: each node writes its row once a second (its
 * heartbeat); a node whose last heartbeat is older than {@link #MISSING_AFTER} is shown as missing, and its row is
 * dropped once it is older than {@link #DROPPED_AFTER}. Ages are judged by the database's clock, the one clock
 * every node shares.
 */
public interface NodeRegistry {

    /** How long after its last heartbeat a node is shown as missing. */
    Duration MISSING_AFTER = Duration.ofSeconds(5);

    /** How long after its last heartbeat a missing node's row is dropped. */
    Duration DROPPED_AFTER = Duration.ofMinutes(15);

    /**
     * Writes the node's row, its last-seen time the database's clock now. Rows of missing nodes at the same
     * address (the same node, restarted) are dropped in the same step.
     */
    void heartbeat(NodeHeartbeat heartbeat);

    /** Every node in the registry, leaders first, then by address. */
    List<ClusterNode> nodes();

    /**
     * Drops the rows of nodes missing for longer than {@link #DROPPED_AFTER}.
     *
     * @return how many were dropped
     */
    int dropMissing();

    /** Removes the node's own row, when it stops. */
    void leave(String nodeId);
}
