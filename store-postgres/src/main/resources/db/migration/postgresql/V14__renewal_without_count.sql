-- A renewal no longer counts every live lease, and a grant no longer holds the claim lock while its commit
-- waits for the disk.
--
-- 1. Renewals. Before, each renewal of a live lease counted the live leases (to learn whether capacity had
-- dropped below them), so its cost grew with the number of agents: at 10,000 agents renewing every 20 s that
-- count alone kept PostgreSQL busy (docs/benchmarks.md, the cluster section). seat_counter.live_bound is an
-- upper bound of the leases any node can count as live, kept by the claims that hold the claim lock: a grant or
-- denial, having freed every lease expired by its instant (V13), sets it to the leases not freed (plus the one
-- it grants). Why that bounds what a renewal can see: only a grant adds a lease; a renewal extends a live,
-- unfreed lease and never brings a freed one back; releases and reaps only remove leases; and every count, on
-- every node, leaves freed leases out. NULL (no claim yet since this migration) means unknown.
-- So while live_bound <= capacity no live lease can rank beyond capacity, and the renewal skips the locking,
-- freeing, counting and ranking of V13: the decision is the same, at the cost of reading one row. Above it
-- (capacity dropped, or unknown), the renewal does all of that as V13 does, and re-reads its own lease after
-- locking it, so that a lease another node freed in between goes the locked path instead of being ranked.
--
-- 2. Grants. A grant's transaction is committed with synchronous_commit off, so the claim lock is let go as
-- soon as the function is done instead of after the write-ahead log reaches the disk (before, grants were
-- decided one disk flush after another across the whole cluster). The grant is acknowledged only after the
-- store's next statement on the same connection, SELECT txid_current(), commits synchronously: that commit
-- record comes after the grant's in the log, and a synchronous commit returns once the log is flushed (and
-- replicated to a synchronous standby) up to its own record, so the grant is exactly as durable when
-- acknowledged as before. What others may see meanwhile is a lease not yet on the disk: a crash of PostgreSQL
-- in that instant loses it, unacknowledged, and its effect on other calls (a denial, a count) only ever erred
-- towards fewer seats.
ALTER TABLE seat_counter ADD COLUMN live_bound BIGINT;

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
                SELECT count(*) INTO v_in_use FROM lease l WHERE l.expires_at > p_now AND l.freed_at IS NULL;
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
            renewed_at = greatest(p_now, l.claimed_at),
            expires_at = greatest(p_now, l.claimed_at) + p_ttl,
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
