package com.anycontact.innolicense.http;

import com.anycontact.innolicense.cluster.Cluster;
import com.anycontact.innolicense.cluster.ClusterNode;
import com.anycontact.innolicense.cluster.ClusterStatus;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code GET /api/v1/cluster}: the server nodes of this installation as this node sees them (address, version,
 * last seen, which one leads, each one's clock offset); the same view is in {@code /health/ready} on the cluster
 * database. AC Admin's "Cluster nodes" panel shows it.
 */
final class ClusterRoutes {

    /**
     * The cluster as one node sees it.
     *
     * @param mode {@code embedded} (one node, SQLite) or {@code cluster} (PostgreSQL)
     * @param node this node's ID
     * @param leader whether this node leads
     * @param serving whether this node answers seat calls
     * @param clockOffsetMillis this node's clock minus the database's, null when not measured (or embedded)
     * @param maxClockOffsetMillis the bound beyond which this node refuses seat calls (0 when embedded)
     * @param reason why this node refuses seat calls, null while it serves
     * @param nodes every node, leaders first
     */
    record ClusterView(
            String mode,
            String node,
            boolean leader,
            boolean serving,
            Long clockOffsetMillis,
            long maxClockOffsetMillis,
            String reason,
            List<NodeView> nodes) {}

    /**
     * One node.
     *
     * @param id its ID, new at each start
     * @param address where it is reached
     * @param version the release it runs
     * @param startedAt when it started (its clock)
     * @param lastSeen its last heartbeat (the database's clock)
     * @param leader whether it leads
     * @param serving whether it answers seat calls
     * @param missing whether its heartbeats stopped (none for 5 s)
     * @param clockOffsetMillis its clock minus the database's, null when not measured
     * @param maxClockOffsetMillis its bound
     * @param self whether it is the node answering
     * @param trust {@code PRODUCTION} or {@code DEVELOPMENT} (docs/trust.md), null for a node of an older release
     */
    record NodeView(
            String id,
            String address,
            String version,
            String startedAt,
            String lastSeen,
            boolean leader,
            boolean serving,
            boolean missing,
            Long clockOffsetMillis,
            long maxClockOffsetMillis,
            boolean self,
            String trust) {}

    private final Cluster cluster;
    private final Json json;

    ClusterRoutes(Cluster cluster, Json json) {
        this.cluster = cluster;
        this.json = json;
    }

    void nodes(Context ctx) {
        json.write(ctx, 200, view());
    }

    /** The cluster as this node sees it now (reads the node registry). */
    ClusterView view() {
        ClusterStatus status = cluster.status();
        return new ClusterView(
                status.mode().name().toLowerCase(Locale.ROOT),
                status.nodeId(),
                status.leader(),
                status.serving(),
                status.clockOffset().map(Duration::toMillis).orElse(null),
                status.maxClockOffset().toMillis(),
                status.reason().orElse(null),
                status.nodes().stream().map(node -> view(node, status.nodeId())).toList());
    }

    private static NodeView view(ClusterNode node, String self) {
        return new NodeView(
                node.id(),
                node.address(),
                node.version(),
                node.startedAt().toString(),
                node.lastSeen().toString(),
                node.leader(),
                node.serving(),
                node.missing(),
                node.clockOffset().map(Duration::toMillis).orElse(null),
                node.maxClockOffset().toMillis(),
                node.id().equals(self),
                node.trust().map(Enum::name).orElse(null));
    }
}
