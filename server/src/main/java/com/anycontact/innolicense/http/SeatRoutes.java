package com.anycontact.innolicense.http;

import com.anycontact.innolicense.access.AccessService;
import com.anycontact.innolicense.access.Principal;
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
import java.util.Optional;

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
    private final AccessService access;
    private final AuditLog audit;
    private final InstantSource clock;
    private final Json json;

    SeatRoutes(SeatLedger ledger, AccessService access, AuditLog audit, InstantSource clock, Json json) {
        this.ledger = ledger;
        this.access = access;
        this.audit = audit;
        this.clock = clock;
        this.json = json;
    }

    void claim(Context ctx) {
        AgentId agent = agentId(ctx);
        ClaimBody body = json.readOptional(ctx, ClaimBody.class).orElse(new ClaimBody(null, null));
        requireLabel("node", body.node());
        requireLabel("station", body.station());
        Principal caller = Authenticator.principal(ctx);
        String node = node(caller, body.node());
        ClaimResult result = ledger.claim(new ClaimRequest(agent, node, body.station()));
        switch (result) {
            case ClaimResult.Claimed claimed -> {
                access.countClaim(caller);
                json.write(ctx, 201, grant(claimed.lease()));
            }
            case ClaimResult.Renewed renewed -> json.write(ctx, 200, grant(renewed.lease()));
            case ClaimResult.Denied denied -> throw refused(agent, result, Authenticator.principal(ctx));
            case ClaimResult.CapacityReduced reduced -> throw refused(agent, result, Authenticator.principal(ctx));
        }
    }

    /**
     * The node a claim carries: the node its ACD token is bound to (a claim naming another is refused with 403
     * {@code node-mismatch}), else the one the body names.
     */
    String node(Principal caller, String named) {
        Optional<String> bound = access.boundNode(caller);
        if (bound.isEmpty()) {
            return named;
        }
        if (named != null && !named.equals(bound.get())) {
            throw ProblemType.NODE_MISMATCH.problem(
                    "this ACD token is bound to node '" + bound.get() + "' and cannot claim for node '" + named + "'",
                    Map.of("node", bound.get()));
        }
        return bound.get();
    }

    /** Whether a claim through this caller naming this node is taken as it is: not bound elsewhere. */
    boolean carriesNode(Principal caller, String named) {
        Optional<String> bound = access.boundNode(caller);
        return bound.isEmpty() || bound.get().equals(named);
    }

    /** Counts a seat claimed through the caller's token. */
    void claimed(Principal caller) {
        access.countClaim(caller);
    }

    /**
     * A claim refused, a denial or a renewal refused for reduced capacity: recorded in the audit log, and
     * the problem to answer.
     */
    ProblemException refused(AgentId agent, ClaimResult result, Principal principal) {
        String actor = principal.auditName();
        return switch (result) {
            case ClaimResult.Denied denied -> {
                audit.record(
                        clock.instant(),
                        actor,
                        AuditEvent.Type.CLAIM_DENIED,
                        "agent " + agent + ": all " + denied.capacity() + " seats in use");
                yield ProblemType.SEAT_LIMIT_REACHED.problem(
                        "all " + denied.capacity() + " seats are in use; agent " + agent + " gets none",
                        counts(agent, denied.capacity(), denied.inUse()));
            }
            case ClaimResult.CapacityReduced reduced -> {
                audit.record(
                        clock.instant(),
                        actor,
                        AuditEvent.Type.LEASE_CAPACITY_REDUCED,
                        "agent " + agent + ": lease released, capacity now " + reduced.capacity());
                yield ProblemType.CAPACITY_REDUCED.problem(
                        "capacity dropped to " + reduced.capacity() + " and agent " + agent
                                + " was among the last to claim; its lease is released",
                        counts(agent, reduced.capacity(), reduced.inUse()));
            }
            case ClaimResult.Claimed claimed -> throw new IllegalArgumentException("a claim granted is not refused");
            case ClaimResult.Renewed renewed -> throw new IllegalArgumentException("a renewal is not refused");
        };
    }

    void release(Context ctx) {
        AgentId agent = agentId(ctx);
        if (!ledger.release(agent)) {
            throw notHeld(agent);
        }
        ctx.status(204);
    }

    /** The answer to a release of a seat the agent does not hold. */
    static ProblemException notHeld(AgentId agent) {
        return ProblemType.LEASE_NOT_HELD.problem(
                "agent " + agent + " holds no seat", Map.of("agentId", agent.value()));
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

    /** What the ACD is answered after a claim or renewal. */
    LeaseGrant grant(Lease lease) {
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

    /** Whether an optional node or station name is absent or valid. */
    static boolean isValidLabel(String value) {
        return value == null || ClaimRequest.isValidLabel(value);
    }

    private static void requireLabel(String field, String value) {
        if (!isValidLabel(value)) {
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
