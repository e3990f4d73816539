package com.anycontact.innolicense.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One node's view of its cluster.
 *
 * @param mode embedded (one node, SQLite) or cluster (PostgreSQL)
 * @param nodeId this node's ID
 * @param leader whether this node leads
 * @param serving whether this node answers seat calls
 * @param clockOffset this node's seat clock minus the database's, as last measured; empty when embedded or not
 *     measured yet
 * @param maxClockOffset the bound beyond which this node refuses seat calls; zero when embedded
 * @param reason why this node refuses seat calls, empty while it serves
 * @param nodes every node in the registry, leaders first; just this one when embedded
 */
public record ClusterStatus(
        Mode mode,
        String nodeId,
        boolean leader,
        boolean serving,
        Optional<Duration> clockOffset,
        Duration maxClockOffset,
        Optional<String> reason,
        List<ClusterNode> nodes) {

    /** How the node keeps its data. */
    public enum Mode {
        /** One node with the embedded SQLite database. */
        EMBEDDED,
        /** Nodes sharing one PostgreSQL database. */
        CLUSTER
    }

    /** Requires every component; copies the nodes. */
    public ClusterStatus {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(clockOffset, "clockOffset");
        Objects.requireNonNull(maxClockOffset, "maxClockOffset");
        Objects.requireNonNull(reason, "reason");
        nodes = List.copyOf(nodes);
    }

    /**
     * The other nodes that say they run on development trust (docs/trust.md, "Development trust in a cluster"), a
     * missing one too until its row is dropped: a node whose heartbeats cannot be written may still serve seats.
     */
    public List<ClusterNode> othersOnDevelopmentTrust() {
        return nodes.stream()
                .filter(node -> !node.id().equals(nodeId) && node.onDevelopmentTrust())
                .toList();
    }

    /**
     * What a node on production trust tells of {@link #othersOnDevelopmentTrust()}, if there are any: they accept
     * license keys that this node ignores, and may grant seats by them. The text of the {@code
     * DEVELOPMENT_TRUST_IN_CLUSTER} warning and of the node's log line.
     */
    public Optional<String> developmentTrustWarning() {
        List<String> addresses =
                othersOnDevelopmentTrust().stream().map(ClusterNode::address).toList();
        if (addresses.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of((addresses.size() == 1
                        ? "Node " + addresses.getFirst() + " of this cluster runs"
                        : "Nodes " + String.join(", ", addresses) + " of this cluster run")
                + " on development trust: license keys signed with keys other than the vendor's are accepted"
                + " there, which this node ignores, and seats may be granted there by them. Restart "
                + (addresses.size() == 1 ? "it" : "them")
                + " without --development-trust, unless this installation is for development or evaluation.");
    }
}
