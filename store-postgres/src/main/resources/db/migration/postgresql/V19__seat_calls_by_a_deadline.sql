-- A batch of seat calls takes effect by a deadline on the database's clock, or not at all. A node cut off from the
-- database by a partition has sent statements that the network holds, and delivers when it heals, seconds or
-- minutes later; they then run with the instants their node gave them. V18 made a late renewal harmless; a late
-- release is not: the agent's SDK, with no answer, released through another node, logged in again and was
-- granted a new lease, and the held release then deleted that lease, acknowledged a moment before, and its seat
-- went to another agent. seat_calls now takes p_not_after, the latest instant in epoch milliseconds of the
-- database's clock at which the batch may still commit (the node computes it from the oldest call's instant and
-- the offset it measures between its clock and the database's, docs/cluster.md "Clock skew"); past it, the batch
-- raises SQLSTATE IL001 and rolls back whole. NULL sets no deadline.
--
-- The seven-parameter seat_calls of V16 and V17 stays, as a call of this one without a deadline, so that a node
-- of the previous version keeps working during a rolling upgrade.

CREATE FUNCTION seat_calls(p_kinds TEXT[], p_agents TEXT[], p_nodes TEXT[], p_stations TEXT[], p_nows BIGINT[],
                           p_ttls BIGINT[], p_capacities INTEGER[], p_not_after BIGINT)
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
    -- Last, so that it covers every wait of the batch: too late by the database's clock, nothing of it happened.
    IF p_not_after IS NOT NULL AND (extract(epoch FROM clock_timestamp()) * 1000)::BIGINT > p_not_after THEN
        RAISE EXCEPTION 'seat_calls: the batch ran after its deadline (% ms since the epoch), % ms late',
            p_not_after, (extract(epoch FROM clock_timestamp()) * 1000)::BIGINT - p_not_after
            USING ERRCODE = 'IL001';
    END IF;
    IF v_released_now IS NOT NULL THEN
        RETURN QUERY SELECT v_calls + 1, 'COUNTED', NULL::TEXT, NULL::TEXT, NULL::BIGINT, NULL::BIGINT, NULL::BIGINT,
            NULL::BIGINT, (SELECT coalesce(sum(t.unfreed), 0)::BIGINT FROM lease_tally t)
                - (SELECT count(*) FROM lease l WHERE l.expires_at <= v_released_now AND l.freed_at IS NULL);
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION seat_calls(p_kinds TEXT[], p_agents TEXT[], p_nodes TEXT[], p_stations TEXT[], p_nows BIGINT[],
                           p_ttls BIGINT[], p_capacities INTEGER[])
RETURNS TABLE (o_index INTEGER, o_outcome TEXT, o_node TEXT, o_station TEXT, o_claimed_at BIGINT,
               o_renewed_at BIGINT, o_expires_at BIGINT, o_claim_seq BIGINT, o_in_use BIGINT)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    RETURN QUERY SELECT * FROM seat_calls(p_kinds, p_agents, p_nodes, p_stations, p_nows, p_ttls, p_capacities,
                                          NULL::BIGINT);
END
$$;
