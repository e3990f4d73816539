-- A renewal no longer counts every live lease. Before, each renewal of a live lease counted the live leases
-- (to learn whether capacity had dropped below them), so its cost grew with the number of agents: at 10,000
-- agents renewing every 20 s that count alone kept PostgreSQL busy (docs/benchmarks.md, the cluster section).
--
-- seat_counter.live_bound is an upper bound of the leases any serving node can count as live, kept by the
-- claims that hold the claim lock: a grant or denial sets it to the leases whose expiry lies after its own
-- time less 60 s (plus the lease it grants). Why that bounds what a renewal can see: only a grant adds a lease
-- (a renewal extends a live one and goes the locked path otherwise), and every serving node's clock agrees
-- with the database's within --max-clock-offset, at most 30 s, so two nodes' clocks differ by at most 60 s: a
-- lease that had expired 60 s before a grant's time has expired for every node that asks later. Releases and
-- reaps only lower the number of live leases. NULL (no grant yet since this migration) means unknown.
--
-- So while live_bound <= capacity, every live lease ranks within capacity and the renewal skips the count and
-- the ranking: the decision is the same as before, at the cost of reading one row. Above it (capacity
-- dropped, or unknown), the renewal counts and ranks as V1 did.
ALTER TABLE seat_counter ADD COLUMN live_bound BIGINT;

CREATE OR REPLACE FUNCTION claim_seat(p_agent TEXT, p_node TEXT, p_station TEXT, p_now BIGINT, p_ttl BIGINT,
                                      p_capacity INTEGER)
RETURNS TABLE (o_outcome TEXT, o_node TEXT, o_station TEXT, o_claimed_at BIGINT, o_renewed_at BIGINT,
               o_expires_at BIGINT, o_claim_seq BIGINT, o_in_use BIGINT)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    -- twice the largest --max-clock-offset: how far two serving nodes' clocks can differ
    c_skew_margin    CONSTANT BIGINT := 60000;
    v_last_claim_seq BIGINT;
    v_held           lease%ROWTYPE;
    v_in_use         BIGINT;
    v_bound          BIGINT;
    v_before         BIGINT;
    v_renewed        lease%ROWTYPE;
BEGIN
    -- The renewal of a live lease, without the claim lock.
    SELECT * INTO v_held FROM lease l WHERE l.agent_id = p_agent;
    IF v_held.agent_id IS NOT NULL AND v_held.expires_at > p_now THEN
        SELECT c.live_bound INTO v_bound FROM seat_counter c WHERE c.id = 1;
        IF v_bound IS NULL OR v_bound > p_capacity THEN
            SELECT count(*) INTO v_in_use FROM lease l WHERE l.expires_at > p_now;
            IF v_in_use > p_capacity THEN
                SELECT count(*) INTO v_before FROM (
                    SELECT 1 FROM lease l WHERE l.claim_seq < v_held.claim_seq AND l.expires_at > p_now
                    ORDER BY l.claim_seq LIMIT p_capacity) AS earlier;
                IF v_before >= p_capacity THEN
                    DELETE FROM lease l WHERE l.agent_id = p_agent AND l.claim_seq = v_held.claim_seq;
                    RETURN QUERY SELECT 'CAPACITY_REDUCED', NULL::TEXT, NULL::TEXT, NULL::BIGINT, NULL::BIGINT,
                        NULL::BIGINT, NULL::BIGINT, v_in_use - 1;
                    RETURN;
                END IF;
            END IF;
        END IF;
        UPDATE lease l SET
            renewed_at = greatest(p_now, l.claimed_at),
            expires_at = greatest(p_now, l.claimed_at) + p_ttl,
            node = coalesce(p_node, l.node),
            station = coalesce(p_station, l.station)
        WHERE l.agent_id = p_agent AND l.claim_seq = v_held.claim_seq AND l.expires_at > p_now
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
    SELECT * INTO v_held FROM lease l WHERE l.agent_id = p_agent FOR UPDATE;
    SELECT count(*) FILTER (WHERE l.expires_at > p_now), count(*) INTO v_in_use, v_bound
        FROM lease l WHERE l.expires_at > p_now - c_skew_margin;

    IF v_held.agent_id IS NOT NULL AND v_held.expires_at > p_now THEN
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
        UPDATE seat_counter c SET denials = c.denials + 1, live_bound = v_bound WHERE c.id = 1;
        RETURN QUERY SELECT 'DENIED', NULL::TEXT, NULL::TEXT, NULL::BIGINT, NULL::BIGINT, NULL::BIGINT,
            NULL::BIGINT, v_in_use;
        RETURN;
    END IF;

    UPDATE seat_counter c SET last_claim_seq = v_last_claim_seq + 1, live_bound = v_bound + 1 WHERE c.id = 1;
    INSERT INTO lease AS l (agent_id, node, station, claimed_at, renewed_at, expires_at, claim_seq)
        VALUES (p_agent, p_node, p_station, p_now, p_now, p_now + p_ttl, v_last_claim_seq + 1)
        ON CONFLICT (agent_id) DO UPDATE SET
            node = excluded.node, station = excluded.station, claimed_at = excluded.claimed_at,
            renewed_at = excluded.renewed_at, expires_at = excluded.expires_at, claim_seq = excluded.claim_seq
        WHERE l.expires_at <= p_now;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'the lease of % is live although the claim, holding the claim lock, found it expired or absent', p_agent;
    END IF;
    RETURN QUERY SELECT 'CLAIMED', p_node, p_station, p_now, p_now, p_now + p_ttl, v_last_claim_seq + 1,
        v_in_use + 1;
END
$$;
