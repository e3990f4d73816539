-- Seat calls in batches: a node sends the claims, renewals and releases that arrive while its previous batch is
-- in the database as one call of seat_calls, one transaction, instead of one transaction (and, for a grant, two)
-- each. The calls are carried out one after another in the order given, each exactly as it would be on its own
-- (claims by claim_seat, V14; a release deletes the agent's live lease, as the store did before), so a batch
-- decides what the same calls made one after another would decide, and within the batch each call sees the
-- effects of the ones before it. What a batch changes is visible to other nodes at its commit, all at once.
--
-- The cap across nodes: claim_seat takes the claim lock (the seat_counter row) before it counts; in a batch the
-- lock, once taken, is held until the batch commits, so no other node's claim decides in between, and a call
-- later in the batch counts the leases of the ones before it (its own transaction's). That is the argument of
-- V1 and V13, unchanged.
--
-- Lock order. A claim locks the counter, then lease rows in agent_id order; a renewal or release locks its
-- agent's lease row. One call at a time that cannot deadlock; a batch that renews agent A and then claims would
-- hold A's row while it waits for the counter, and a claim on another node holding the counter could wait for
-- A's row (when A's lease looks expired to that node's clock). So when a batch holds any claim that will need the
-- counter (its agent has no live lease at its instant), the batch takes the counter first, before any row.
-- A batch of renewals and releases only (the common case) takes no cluster-wide lock. What is left (a lease that
-- expires or is freed between this check and the call) can deadlock; PostgreSQL then aborts one of the two
-- transactions, and the store runs that batch again.
--
-- Returns one row per call: its position (1-based) and, for a claim, what claim_seat returns; for a release
-- 'RELEASED' or 'NOT_HELD' and NULLs. When a release removed a lease, one more row follows, position = calls + 1,
-- 'COUNTED', with the live leases once the batch is done (at the instant of its last release): what the node
-- reports with the release to its dashboards and usage record, counted once for the batch rather than by a query
-- of its own after each release.
CREATE FUNCTION seat_calls(p_kinds TEXT[], p_agents TEXT[], p_nodes TEXT[], p_stations TEXT[], p_nows BIGINT[],
                           p_ttls BIGINT[], p_capacities INTEGER[])
RETURNS TABLE (o_index INTEGER, o_outcome TEXT, o_node TEXT, o_station TEXT, o_claimed_at BIGINT,
               o_renewed_at BIGINT, o_expires_at BIGINT, o_claim_seq BIGINT, o_in_use BIGINT)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_calls        INTEGER := coalesce(array_length(p_agents, 1), 0);
    v_released_now BIGINT;
BEGIN
    IF array_length(p_kinds, 1) IS DISTINCT FROM array_length(p_agents, 1)
        OR array_length(p_nodes, 1) IS DISTINCT FROM array_length(p_agents, 1)
        OR array_length(p_stations, 1) IS DISTINCT FROM array_length(p_agents, 1)
        OR array_length(p_nows, 1) IS DISTINCT FROM array_length(p_agents, 1)
        OR array_length(p_ttls, 1) IS DISTINCT FROM array_length(p_agents, 1)
        OR array_length(p_capacities, 1) IS DISTINCT FROM array_length(p_agents, 1) THEN
        RAISE EXCEPTION 'seat_calls: the arrays differ in length';
    END IF;
    IF EXISTS (
        SELECT 1 FROM unnest(p_kinds, p_agents, p_nows) AS c(kind, agent, now)
        WHERE c.kind = 'claim' AND NOT EXISTS (
            SELECT 1 FROM lease l WHERE l.agent_id = c.agent AND l.expires_at > c.now AND l.freed_at IS NULL)) THEN
        PERFORM 1 FROM seat_counter c WHERE c.id = 1 FOR UPDATE;
    END IF;
    FOR i IN 1 .. v_calls LOOP
        IF p_kinds[i] = 'claim' THEN
            RETURN QUERY SELECT i, c.o_outcome, c.o_node, c.o_station, c.o_claimed_at, c.o_renewed_at,
                c.o_expires_at, c.o_claim_seq, c.o_in_use
                FROM claim_seat(p_agents[i], p_nodes[i], p_stations[i], p_nows[i], p_ttls[i], p_capacities[i]) c;
        ELSIF p_kinds[i] = 'release' THEN
            DELETE FROM lease l WHERE l.agent_id = p_agents[i] AND l.expires_at > p_nows[i] AND l.freed_at IS NULL;
            IF FOUND THEN
                v_released_now := p_nows[i];
            END IF;
            RETURN QUERY SELECT i, CASE WHEN FOUND THEN 'RELEASED' ELSE 'NOT_HELD' END, NULL::TEXT, NULL::TEXT,
                NULL::BIGINT, NULL::BIGINT, NULL::BIGINT, NULL::BIGINT, NULL::BIGINT;
        ELSE
            RAISE EXCEPTION 'seat_calls: call % is of an unknown kind %', i, p_kinds[i];
        END IF;
    END LOOP;
    IF v_released_now IS NOT NULL THEN
        RETURN QUERY SELECT v_calls + 1, 'COUNTED', NULL::TEXT, NULL::TEXT, NULL::BIGINT, NULL::BIGINT, NULL::BIGINT,
            NULL::BIGINT, count(*) FROM lease l WHERE l.expires_at > v_released_now AND l.freed_at IS NULL;
    END IF;
END
$$;
