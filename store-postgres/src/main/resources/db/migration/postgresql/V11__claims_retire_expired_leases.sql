-- A claim that finds a lease expired retires it, so that no renewal decided at an earlier instant revives it.
--
-- Nodes decide at instants that disagree: their clocks within the bound of --max-clock-offset, and a call that
-- waited for a pooled connection carries the instant it was made at. Before this, a claim under the claim lock
-- could find alice's lease expired (expires_at <= its now) and give her seat to carol, and then alice's renewal,
-- decided at an earlier instant by another node, found the lease live by that instant and renewed it: two
-- acknowledged leases for one seat, live by every node's clock. The cluster fault suite saw five at capacity
-- four (docs/reliability.md, PostgresSeatStoreTest).
--
-- Now the claim, under the claim lock and before it counts, retires every lease that is expired by its instant
-- and not retired yet: it negates the lease's claim_seq. A retired lease is dead for everyone, whatever their
-- clock: it is not live, not renewed, not released, not counted, and the reaper removes it (PostgresSeatStore
-- reports it with its own claim sequence). Why this closes the race: the renewal's UPDATE requires the claim
-- sequence it read, so
--   - a renewal that comes after the retirement finds the row changed and takes the locked path, where the
--     retired lease is as good as absent: the agent gets a new lease only if a seat is free;
--   - a renewal in flight when the claim retires holds the row lock: the claim's UPDATE waits for it, then
--     re-checks the renewed row (live now) and leaves it, and the claim's count, a later statement, sees it.
-- Retired rows are only ever expired rows nobody reaped yet, so there are few; lease_by_expiry finds them.
-- A denial's transaction commits without waiting for the disk; a retirement lost with it granted nothing.

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
    IF v_held.agent_id IS NOT NULL AND v_held.claim_seq > 0 AND v_held.expires_at > p_now THEN
        SELECT count(*) INTO v_in_use FROM lease l WHERE l.expires_at > p_now AND l.claim_seq > 0;
        IF v_in_use > p_capacity THEN
            SELECT count(*) INTO v_before FROM (
                SELECT 1 FROM lease l
                WHERE l.claim_seq > 0 AND l.claim_seq < v_held.claim_seq AND l.expires_at > p_now
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
        RETURNING l.* INTO v_renewed;
        IF FOUND THEN
            RETURN QUERY SELECT 'RENEWED', v_renewed.node, v_renewed.station, v_renewed.claimed_at,
                v_renewed.renewed_at, v_renewed.expires_at, v_renewed.claim_seq, v_in_use;
            RETURN;
        END IF;
    END IF;

    -- A new lease, under the claim lock.
    SELECT c.last_claim_seq INTO v_last_claim_seq FROM seat_counter c WHERE c.id = 1 FOR UPDATE;
    UPDATE lease l SET claim_seq = -l.claim_seq WHERE l.expires_at <= p_now AND l.claim_seq > 0;
    SELECT * INTO v_held FROM lease l WHERE l.agent_id = p_agent FOR UPDATE;
    SELECT count(*) INTO v_in_use FROM lease l WHERE l.expires_at > p_now AND l.claim_seq > 0;

    IF v_held.agent_id IS NOT NULL AND v_held.claim_seq > 0 AND v_held.expires_at > p_now THEN
        -- Claimed by a call racing this one: renew it, as above, now under the lock. No claim before this one
        -- found it expired, or it would be retired.
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
            renewed_at = excluded.renewed_at, expires_at = excluded.expires_at, claim_seq = excluded.claim_seq
        WHERE l.expires_at <= p_now OR l.claim_seq < 0;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'the lease of % is live although the claim, holding the claim lock, found it expired or absent', p_agent;
    END IF;
    RETURN QUERY SELECT 'CLAIMED', p_node, p_station, p_now, p_now, p_now + p_ttl, v_last_claim_seq + 1,
        v_in_use + 1;
END
$$;
