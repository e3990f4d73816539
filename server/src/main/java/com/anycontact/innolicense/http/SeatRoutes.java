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
import com.anycontact.innolicense.seat.SeatRelease;
import com.anycontact.innolicense.seat.SeatReleases;
import com.anycontact.innolicense.store.DatabaseUnreachableException;
import com.anycontact.innolicense.store.StoreUnavailableException;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ACD's seat API: claim or renew, release, and the supervisors' list of leases; and the administrators'
 * force-release with its blocks.
 */
final class SeatRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(SeatRoutes.class);

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

    /** An administrator's release: why, and for how long the agent's claims are refused (seconds). */
    record ForceReleaseBody(String reason, Long blockSeconds) {}

    /** What a force-release did. */
    record ForceReleaseView(
            String agentId,
            boolean released,
            String releasedAt,
            String releasedBy,
            String reason,
            String blockedUntil) {}

    /** A block in force. */
    record BlockView(String agentId, String releasedAt, String releasedBy, String reason, String blockedUntil) {}

    /** The blocks in force. */
    record BlocksView(List<BlockView> blocks) {}

    private final SeatLedger ledger;
    private final SeatReleases releases;
    private final AccessService access;
    private final AuditLog audit;
    private final InstantSource clock;
    private final Json json;
    private final DenialAudits denialAudits;

    SeatRoutes(
            SeatLedger ledger,
            SeatReleases releases,
            AccessService access,
            AuditLog audit,
            InstantSource clock,
            Json json) {
        this.ledger = ledger;
        this.releases = releases;
        this.access = access;
        this.audit = audit;
        this.clock = clock;
        this.json = json;
        this.denialAudits = new DenialAudits(ledger::now);
    }

    void claim(Context ctx) {
        AgentId agent = agentId(ctx);
        ClaimBody body = json.readOptional(ctx, ClaimBody.class).orElse(new ClaimBody(null, null));
        requireLabel("node", body.node());
        requireLabel("station", body.station());
        Principal caller = Authenticator.principal(ctx);
        String node = node(caller, body.node());
        Optional<SeatReleases.Refusal> refusal = releases.refusal(agent);
        if (refusal.isPresent()) {
            throw refusedByAdministrator(refusal.get());
        }
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
     * A claim refused, a denial or a renewal refused for reduced capacity: the problem to answer, and its audit
     * entry queued ({@link AuditLog#recordLater}); a denial's entry only as {@link DenialAudits} allows, at most one
     * a minute per agent. Answering does not wait for the entry: the ledger's record of
     * the denial is durable already (the answer waits for that), and the audit entry follows in the log's next
     * transaction. Never blocks when the audit log has a writer of its own, so the fast path may call it on the
     * thread that completed the claim.
     */
    ProblemException refused(AgentId agent, ClaimResult result, Principal principal) {
        String actor = principal.auditName();
        return switch (result) {
            case ClaimResult.Denied denied -> {
                denialAudits
                        .audit(agent)
                        .ifPresent(unaudited -> auditLater(
                                clock.instant(),
                                actor,
                                AuditEvent.Type.CLAIM_DENIED,
                                "agent " + agent + ": all " + denied.capacity() + " seats in use"
                                        + (unaudited == 0
                                                ? ""
                                                : "; " + unaudited
                                                        + " more denials of this agent since its previous entry,"
                                                        + " not audited one by one")));
                yield ProblemType.SEAT_LIMIT_REACHED.problem(
                        "all " + denied.capacity() + " seats are in use; agent " + agent + " gets none",
                        counts(agent, denied.capacity(), denied.inUse()));
            }
            case ClaimResult.CapacityReduced reduced -> {
                auditLater(
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

    /**
     * Writes an audit entry after the answer. One that cannot be written is logged by name; without a stack trace
     * when the database could not take it (unreachable, or refusing writes: a full disk), an outage its store logs
     * once already, so that each denial during it adds one line, not thirty.
     */
    private void auditLater(Instant at, String actor, AuditEvent.Type type, String detail) {
        audit.recordLater(at, actor, type, detail).whenComplete((written, failure) -> {
            if (failure == null) {
                return;
            }
            Throwable cause =
                    failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof StoreUnavailableException || cause instanceof DatabaseUnreachableException) {
                LOG.warn("the audit entry {} '{}' could not be written: {}", type, detail, cause.getMessage());
            } else {
                LOG.warn("the audit entry {} '{}' could not be written", type, detail, failure);
            }
        });
    }

    /** Why an agent's claims are refused after a force-release, if they are; a read of memory, for the fast path. */
    Optional<SeatReleases.Refusal> adminRefusal(AgentId agent) {
        return releases.refusal(agent);
    }

    /**
     * The answer to a claim or renewal refused after a force-release; a notice is marked given (a write), so that
     * the agent is told once.
     */
    ProblemException refusedByAdministrator(SeatReleases.Refusal refusal) {
        SeatRelease release = refusal.release();
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("agentId", release.agent().value());
        members.put("releasedAt", release.releasedAt().toString());
        members.put("releasedBy", release.releasedBy());
        members.put("reason", release.reason());
        members.put("blockedUntil", release.blockedUntil().map(Object::toString).orElse(null));
        String reason = release.reason().isBlank() ? "" : " (" + release.reason() + ")";
        return switch (refusal) {
            case SeatReleases.Refusal.Notice notice -> {
                releases.noticeGiven(release);
                yield ProblemType.RELEASED_BY_ADMINISTRATOR.problem(
                        "the seat of agent " + release.agent() + " was released by the administrator "
                                + release.releasedBy() + " at " + release.releasedAt() + reason
                                + release.blockedUntil()
                                        .map(until -> "; claims are refused until " + until)
                                        .orElse(""),
                        members);
            }
            case SeatReleases.Refusal.Blocked blocked -> {
                long seconds = Math.max(
                        1,
                        java.time.Duration.between(
                                        clock.instant(), release.blockedUntil().orElseThrow())
                                .toSeconds());
                members.put("retryAfterSeconds", seconds);
                yield ProblemType.AGENT_BLOCKED
                        .problem(
                                "the administrator " + release.releasedBy() + " blocked the claims of agent "
                                        + release.agent() + " until "
                                        + release.blockedUntil().orElseThrow() + reason,
                                members)
                        .withHeader("Retry-After", Long.toString(seconds));
            }
        };
    }

    /** {@code POST /seats/{agentId}/release}: an administrator releases the agent's seat. */
    void forceRelease(Context ctx) {
        AgentId agent = agentId(ctx);
        ForceReleaseBody body = json.readOptional(ctx, ForceReleaseBody.class).orElse(new ForceReleaseBody(null, null));
        String reason = body.reason() == null ? "" : body.reason().strip();
        if (reason.length() > SeatRelease.MAX_REASON || reason.chars().anyMatch(Character::isISOControl)) {
            throw Json.invalid(
                    "reason",
                    "field 'reason' must be at most " + SeatRelease.MAX_REASON + " characters on one line; shorten it");
        }
        Optional<java.time.Duration> block = Optional.ofNullable(body.blockSeconds())
                .map(seconds -> {
                    if (seconds < 1 || seconds > SeatReleases.MAX_BLOCK.toSeconds()) {
                        throw Json.invalid(
                                "blockSeconds",
                                "field 'blockSeconds' must be from 1 to " + SeatReleases.MAX_BLOCK.toSeconds()
                                        + " (7 days), was " + seconds);
                    }
                    return java.time.Duration.ofSeconds(seconds);
                });
        SeatReleases.Outcome outcome =
                releases.release(agent, Authenticator.principal(ctx).auditName(), reason, block);
        if (outcome.release().isEmpty()) {
            throw notHeld(agent);
        }
        SeatRelease release = outcome.release().get();
        json.write(
                ctx,
                200,
                new ForceReleaseView(
                        agent.value(),
                        outcome.released(),
                        release.releasedAt().toString(),
                        release.releasedBy(),
                        release.reason(),
                        release.blockedUntil().map(Object::toString).orElse(null)));
    }

    /** {@code GET /seat-blocks}: the blocks in force. */
    void blocks(Context ctx) {
        json.write(
                ctx,
                200,
                new BlocksView(releases.blocks().stream()
                        .map(release -> new BlockView(
                                release.agent().value(),
                                release.releasedAt().toString(),
                                release.releasedBy(),
                                release.reason(),
                                release.blockedUntil().orElseThrow().toString()))
                        .toList()));
    }

    /** {@code DELETE /seat-blocks/{agentId}}: lifts a block. */
    void unblock(Context ctx) {
        AgentId agent = agentId(ctx);
        if (!releases.unblock(agent, Authenticator.principal(ctx).auditName())) {
            throw ProblemType.BLOCK_NOT_FOUND.problem(
                    "the claims of agent " + agent + " are not blocked", Map.of("agentId", agent.value()));
        }
        ctx.status(204);
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
