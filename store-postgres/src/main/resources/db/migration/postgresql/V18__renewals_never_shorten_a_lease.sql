-- A renewal never shortens a lease, nor dates it back. Before, a renewal set expires_at to its own instant + TTL,
-- and a renewal's instant is that of the node when the call reached it. A call can reach the database long after
-- that: its node was cut off from the database (no bytes, no FIN either way, as a real partition does), the agent's
-- SDK gave up and renewed through another node, and when the network healed, the held statement arrived and ran.
-- It found the lease live (by its old instant), renewed it, and dated its expiry back to before the renewal the
-- agent had been acknowledged; another node then counted the lease as expired and gave its seat away while the
-- agent still held it by its acknowledgement. The cluster fault run's partition round found this (OVER_CAPACITY,
-- 5 agents certainly holding a lease at capacity 4, docs/reliability.md). Now both renewing updates keep the later
-- of the lease's expiry and the renewal's, and of its renewal instants.
--
-- claim_seat (V17) restated whole with that change; nothing else in it differs.

CREATE OR REPLACE FUNCTION claim_seat(p_agent TEXT, p_node TEXT, p_station TEXT, p_now BIGINT, p_ttl BIGINT,
                                      p_capacity INTEGER)
RETURNS TABLE (o_outcome TEXT, o_node TEXT, o_station TEXT, o_claimed_at BIGINT, o_renewed_at BIGINT,
               o_expires_at BIGINT, o_claim_seq BIGINT, o_in_use BIGINT)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_last_claim_seq BIGINT;
    v_held           lease%ROWTYPE;
    v_in_use         BIGINT;
    v_bound          BIGINT;
    v_before         BIGINT;
    v_renewed        lease%ROWTYPE;
BEGIN
    -- The renewal of a live lease, without the claim lock.
    SELECT * INTO v_held FROM lease l WHERE l.agent_id = p_agent;
    IF v_held.agent_id IS NOT NULL AND v_held.expires_at > p_now AND v_held.freed_at IS NULL THEN
        SELECT c.live_bound INTO v_bound FROM seat_counter c WHERE c.id = 1;
        IF v_bound IS NULL OR v_bound > p_capacity THEN
            PERFORM 1 FROM lease l
                WHERE l.agent_id = p_agent OR (l.expires_at <= p_now AND l.freed_at IS NULL)
                ORDER BY l.agent_id FOR UPDATE;
            UPDATE lease l SET freed_at = p_now
                WHERE l.expires_at <= p_now AND l.freed_at IS NULL AND l.agent_id <> p_agent;
            SELECT * INTO v_held FROM lease l WHERE l.agent_id = p_agent;
            IF v_held.agent_id IS NOT NULL AND v_held.expires_at > p_now AND v_held.freed_at IS NULL THEN
                SELECT (SELECT coalesce(sum(t.unfreed), 0)::BIGINT FROM lease_tally t)
                     - (SELECT count(*) FROM lease l WHERE l.expires_at <= p_now AND l.freed_at IS NULL) INTO v_in_use;
                IF v_in_use > p_capacity THEN
                    SELECT count(*) INTO v_before FROM (
                        SELECT 1 FROM lease l
                        WHERE l.claim_seq < v_held.claim_seq AND l.expires_at > p_now AND l.freed_at IS NULL
                        ORDER BY l.claim_seq LIMIT p_capacity) AS earlier;
                    IF v_before >= p_capacity THEN
                        DELETE FROM lease l WHERE l.agent_id = p_agent AND l.claim_seq = v_held.claim_seq;
                        RETURN QUERY SELECT 'CAPACITY_REDUCED', NULL::TEXT, NULL::TEXT, NULL::BIGINT,
                            NULL::BIGINT, NULL::BIGINT, NULL::BIGINT, v_in_use - 1;
                        RETURN;
                    END IF;
                END IF;
            END IF;
        END IF;
        UPDATE lease l SET
            renewed_at = greatest(p_now, l.claimed_at, l.renewed_at),
            expires_at = greatest(greatest(p_now, l.claimed_at) + p_ttl, l.expires_at),
            node = coalesce(p_node, l.node),
            station = coalesce(p_station, l.station)
        WHERE l.agent_id = p_agent AND l.claim_seq = v_held.claim_seq AND l.expires_at > p_now
            AND l.freed_at IS NULL
        RETURNING l.* INTO v_renewed;
        IF FOUND THEN
            -- o_in_use: the live leases where they were counted; NULL when the bound made counting needless
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
    SELECT (SELECT coalesce(sum(t.unfreed), 0)::BIGINT FROM lease_tally t)
         - (SELECT count(*) FROM lease l WHERE l.expires_at <= p_now AND l.freed_at IS NULL) INTO v_in_use;

    IF v_held.agent_id IS NOT NULL AND v_held.expires_at > p_now AND v_held.freed_at IS NULL THEN
        -- Claimed by a call racing this one: renew it, as above, now under the lock.
        UPDATE lease l SET
            renewed_at = greatest(p_now, l.claimed_at, l.renewed_at),
            expires_at = greatest(greatest(p_now, l.claimed_at) + p_ttl, l.expires_at),
            node = coalesce(p_node, l.node),
            station = coalesce(p_station, l.station)
        WHERE l.agent_id = p_agent
        RETURNING l.* INTO v_renewed;
        UPDATE seat_counter c SET live_bound = v_in_use WHERE c.id = 1;
        RETURN QUERY SELECT 'RENEWED', v_renewed.node, v_renewed.station, v_renewed.claimed_at,
            v_renewed.renewed_at, v_renewed.expires_at, v_renewed.claim_seq, v_in_use;
        RETURN;
    END IF;

    IF v_in_use >= p_capacity THEN
        PERFORM set_config('synchronous_commit', 'off', true);
        INSERT INTO denial (agent_id, denied_at, capacity, in_use) VALUES (p_agent, p_now, p_capacity, v_in_use);
        UPDATE seat_counter c SET denials = c.denials + 1, live_bound = v_in_use WHERE c.id = 1;
        RETURN QUERY SELECT 'DENIED', NULL::TEXT, NULL::TEXT, NULL::BIGINT, NULL::BIGINT, NULL::BIGINT,
            NULL::BIGINT, v_in_use;
        RETURN;
    END IF;

    -- Committed without waiting for the disk; the store acknowledges it after a synchronous commit (see above).
    PERFORM set_config('synchronous_commit', 'off', true);
    UPDATE seat_counter c SET last_claim_seq = v_last_claim_seq + 1, live_bound = v_in_use + 1 WHERE c.id = 1;
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
