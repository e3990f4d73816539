package com.anycontact.innolicense.http;

import com.anycontact.innolicense.audit.AuditEvent;
import com.anycontact.innolicense.audit.AuditLog;
import com.anycontact.innolicense.seat.AgentId;
import com.anycontact.innolicense.seat.ClaimRequest;
import com.anycontact.innolicense.seat.ClaimResult;
import com.anycontact.innolicense.seat.Lease;
import com.anycontact.innolicense.seat.SeatLedger;
import io.javalin.http.Context;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The ACD's seat API: claim or renew, release, and the supervisors' list of leases. */
final class SeatRoutes {

    /** The optional body of a claim: where the agent logged in. */
    record ClaimBody(String node, String station) {}

    /** A lease as the ACD sees it after a claim or renewal. */
    record LeaseGrant(
            String agentId,
            String node,
            String station,
            String claimedAt,
            String renewedAt,
            String expiresAt,
            long renewAfterSeconds,
            long leaseTtlSeconds) {}

    /** A lease in the supervisors' list. */
    record LeaseView(
            String agentId, String node, String station, String claimedAt, String renewedAt, String expiresAt) {}

    /** The supervisors' list. */
    record SeatsView(int capacity, int inUse, List<LeaseView> leases) {}

    private final SeatLedger ledger;
    private final AuditLog audit;
    private final InstantSource clock;
    private final Json json;

    SeatRoutes(SeatLedger ledger, AuditLog audit, InstantSource clock, Json json) {
        this.ledger = ledger;
        this.audit = audit;
        this.clock = clock;
        this.json = json;
    }

    void claim(Context ctx) {
        AgentId agent = agentId(ctx);
        ClaimBody body = json.readOptional(ctx, ClaimBody.class).orElse(new ClaimBody(null, null));
        requireLabel("node", body.node());
        requireLabel("station", body.station());
        String actor = Authenticator.principal(ctx).auditName();
        switch (ledger.claim(new ClaimRequest(agent, body.node(), body.station()))) {
            case ClaimResult.Claimed claimed -> json.write(ctx, 201, grant(claimed.lease()));
            case ClaimResult.Renewed renewed -> json.write(ctx, 200, grant(renewed.lease()));
            case ClaimResult.Denied denied -> {
                audit.record(
                        clock.instant(),
                        actor,
                        AuditEvent.Type.CLAIM_DENIED,
                        "agent " + agent + ": all " + denied.capacity() + " seats in use");
                throw ProblemType.SEAT_LIMIT_REACHED.problem(
                        "all " + denied.capacity() + " seats are in use; agent " + agent + " gets none",
                        counts(agent, denied.capacity(), denied.inUse()));
            }
            case ClaimResult.CapacityReduced reduced -> {
                audit.record(
                        clock.instant(),
                        actor,
                        AuditEvent.Type.LEASE_CAPACITY_REDUCED,
                        "agent " + agent + ": lease released, capacity now " + reduced.capacity());
                throw ProblemType.CAPACITY_REDUCED.problem(
                        "capacity dropped to " + reduced.capacity() + " and agent " + agent
                                + " was among the last to claim; its lease is released",
                        counts(agent, reduced.capacity(), reduced.inUse()));
            }
        }
    }

    void release(Context ctx) {
        AgentId agent = agentId(ctx);
        if (!ledger.release(agent)) {
            throw ProblemType.LEASE_NOT_HELD.problem(
                    "agent " + agent + " holds no seat", Map.of("agentId", agent.value()));
        }
        ctx.status(204);
    }

    void list(Context ctx) {
        List<LeaseView> leases = ledger.leases().stream()
                .map(lease -> new LeaseView(
                        lease.agent().value(),
                        lease.node(),
                        lease.station(),
                        lease.claimedAt().toString(),
                        lease.renewedAt().toString(),
                        lease.expiresAt().toString()))
                .toList();
        json.write(ctx, 200, new SeatsView(ledger.capacity(), leases.size(), leases));
    }

    private LeaseGrant grant(Lease lease) {
        return new LeaseGrant(
                lease.agent().value(),
                lease.node(),
                lease.station(),
                lease.claimedAt().toString(),
                lease.renewedAt().toString(),
                lease.expiresAt().toString(),
                Math.max(1, ledger.renewInterval().toSeconds()),
                ledger.ttl().toSeconds());
    }

    private static AgentId agentId(Context ctx) {
        String text = ctx.pathParam("agentId");
        return AgentId.parse(text)
                .orElseThrow(() -> ProblemType.INVALID_AGENT_ID.problem(
                        "'" + text + "' is not an agent ID: " + AgentId.RULE, Map.of("rule", AgentId.RULE)));
    }

    private static void requireLabel(String field, String value) {
        if (value != null && !ClaimRequest.isValidLabel(value)) {
            throw Json.invalid(field, "field '" + field + "' is not a valid name: " + ClaimRequest.LABEL_RULE);
        }
    }

    private static Map<String, Object> counts(AgentId agent, int capacity, int inUse) {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("agentId", agent.value());
        members.put("capacity", capacity);
        members.put("inUse", inUse);
        return members;
    }
}
