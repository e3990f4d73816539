-- A lease that a decision counted as expired is dead for every node from then on, whatever its clock.
--
-- Nodes judge leases by their own clocks, which may differ by up to twice the clock-skew bound (docs/cluster.md,
-- "Clock skew"). Before this migration a node behind the others could still see a lease as live after a node
-- ahead had counted it as expired and given its seat to another agent, and then:
--   * renew it (claim_seat's renewal path checks only expires_at > its now), so that both agents held leases
--     that every node saw as live: more live leases than capacity, for as long as the two kept renewing (until
--     the later claim's next renewal ranked itself out with CAPACITY_REDUCED);
--   * or, renewing the newer lease, count the old one as live and rank the newer lease beyond capacity:
--     CAPACITY_REDUCED to an agent whose claim had just been acked, with capacity unchanged.
-- PostgresSeatStoreClusterModelTest found both.
--
-- Now claim_seat marks the expired leases it relies on (freed_at, the deciding node's instant) before it counts,
-- on the renewal path and on the claim path, and a freed lease is dead for every node: it is not renewed, not
-- counted, not listed, not released; the reaper removes it (and reports it) at its next run, whatever its
-- clock. Row locks are taken in one order (agent_id) by one statement, the agent's own lease with the expired
-- ones, so that claims and renewals from nodes whose clocks disagree cannot deadlock over them.
ALTER TABLE lease ADD COLUMN freed_at BIGINT;

CREATE OR REPLACE FUNCTION claim_seat(p_agent TEXT, p_node TEXT, p_station TEXT, p_now BIGINT, p_ttl BIGINT,
                                      p_capacity INTEGER)
RETURNS TABLE (o_outcome TEXT, o_node TEXT, o_station TEXT, o_claimed_at BIGINT, o_renewed_at BIGINT,
               o_expires_at BIGINT, o_claim_seq BIGINT, o_in_use BIGINT)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_last_claim_seq BIGINT;
    v_held           lease%ROWTYPE;
    v_in_use         BIGINT;
    v_before         BIGINT;
    v_renewed        lease%ROWTYPE;
BEGIN
    -- The renewal of a live lease, without the claim lock.
    SELECT * INTO v_held FROM lease l WHERE l.agent_id = p_agent;
    IF v_held.agent_id IS NOT NULL AND v_held.expires_at > p_now AND v_held.freed_at IS NULL THEN
        PERFORM 1 FROM lease l
            WHERE l.agent_id = p_agent OR (l.expires_at <= p_now AND l.freed_at IS NULL)
            ORDER BY l.agent_id FOR UPDATE;
        UPDATE lease l SET freed_at = p_now
            WHERE l.expires_at <= p_now AND l.freed_at IS NULL AND l.agent_id <> p_agent;
        SELECT count(*) INTO v_in_use FROM lease l WHERE l.expires_at > p_now AND l.freed_at IS NULL;
        IF v_in_use > p_capacity THEN
            SELECT count(*) INTO v_before FROM (
                SELECT 1 FROM lease l
                WHERE l.claim_seq < v_held.claim_seq AND l.expires_at > p_now AND l.freed_at IS NULL
                ORDER BY l.claim_seq LIMIT p_capacity) AS earlier;
            IF v_before >= p_capacity THEN
                DELETE FROM lease l WHERE l.agent_id = p_agent AND l.claim_seq = v_held.claim_seq;
                RETURN QUERY SELECT 'CAPACITY_REDUCED', NULL::TEXT, NULL::TEXT, NULL::BIGINT, NULL::BIGINT,
                    NULL::BIGINT, NULL::BIGINT, v_in_use - 1;
                RETURN;
            END IF;
        END IF;
        UPDATE lease l SET
            renewed_at = greatest(p_now, l.claimed_at),
            expires_at = greatest(p_now, l.claimed_at) + p_ttl,
            node = coalesce(p_node, l.node),
            station = coalesce(p_station, l.station)
        WHERE l.agent_id = p_agent AND l.claim_seq = v_held.claim_seq AND l.expires_at > p_now
            AND l.freed_at IS NULL
        RETURNING l.* INTO v_renewed;
        IF FOUND THEN
            RETURN QUERY SELECT 'RENEWED', v_renewed.node, v_renewed.station, v_renewed.claimed_at,
                v_renewed.renewed_at, v_renewed.expires_at, v_renewed.claim_seq, v_in_use;
            RETURN;
        END IF;
    END IF;

    -- A new lease, under the claim lock.
    SELECT c.last_claim_seq INTO v_last_claim_seq FROM seat_counter c WHERE c.id = 1 FOR UPDATE;
    PERFORM 1 FROM lease l
        WHERE l.agent_id = p_agent OR (l.expires_at <= p_now AND l.freed_at IS NULL)
        ORDER BY l.agent_id FOR UPDATE;
    UPDATE lease l SET freed_at = p_now
        WHERE l.expires_at <= p_now AND l.freed_at IS NULL AND l.agent_id <> p_agent;
    SELECT * INTO v_held FROM lease l WHERE l.agent_id = p_agent;
    SELECT count(*) INTO v_in_use FROM lease l WHERE l.expires_at > p_now AND l.freed_at IS NULL;

    IF v_held.agent_id IS NOT NULL AND v_held.expires_at > p_now AND v_held.freed_at IS NULL THEN
        -- Claimed by a call racing this one: renew it, as above, now under the lock.
        UPDATE lease l SET
            renewed_at = greatest(p_now, l.claimed_at),
            expires_at = greatest(p_now, l.claimed_at) + p_ttl,
            node = coalesce(p_node, l.node),
            station = coalesce(p_station, l.station)
        WHERE l.agent_id = p_agent
        RETURNING l.* INTO v_renewed;
        RETURN QUERY SELECT 'RENEWED', v_renewed.node, v_renewed.station, v_renewed.claimed_at,
            v_renewed.renewed_at, v_renewed.expires_at, v_renewed.claim_seq, v_in_use;
        RETURN;
    END IF;

    IF v_in_use >= p_capacity THEN
        PERFORM set_config('synchronous_commit', 'off', true);
        INSERT INTO denial (agent_id, denied_at, capacity, in_use) VALUES (p_agent, p_now, p_capacity, v_in_use);
        UPDATE seat_counter c SET denials = c.denials + 1 WHERE c.id = 1;
        RETURN QUERY SELECT 'DENIED', NULL::TEXT, NULL::TEXT, NULL::BIGINT, NULL::BIGINT, NULL::BIGINT,
            NULL::BIGINT, v_in_use;
        RETURN;
    END IF;

    UPDATE seat_counter c SET last_claim_seq = v_last_claim_seq + 1 WHERE c.id = 1;
    INSERT INTO lease AS l (agent_id, node, station, claimed_at, renewed_at, expires_at, claim_seq)
        VALUES (p_agent, p_node, p_station, p_now, p_now, p_now + p_ttl, v_last_claim_seq + 1)
        ON CONFLICT (agent_id) DO UPDATE SET
            node = excluded.node, station = excluded.station, claimed_at = excluded.claimed_at,
            renewed_at = excluded.renewed_at, expires_at = excluded.expires_at, claim_seq = excluded.claim_seq,
            freed_at = NULL
        WHERE l.expires_at <= p_now OR l.freed_at IS NOT NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'the lease of % is live although the claim, holding the claim lock, found it expired or absent', p_agent;
    END IF;
    RETURN QUERY SELECT 'CLAIMED', p_node, p_station, p_now, p_now, p_now + p_ttl, v_last_claim_seq + 1,
        v_in_use + 1;
END
$$;
