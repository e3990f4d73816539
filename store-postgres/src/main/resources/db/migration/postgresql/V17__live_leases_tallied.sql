-- The live leases counted without reading them. Before, every claim (under the claim lock, which all claims of
-- the cluster take one after another), every renewal on the locked path and every batch that released a lease
-- counted the live leases row by row, so their cost grew with the agents logged in: with 10,000 live leases a
-- count took about 0.6 ms, and the whole cluster granted at most about 1,000 seats a second (docs/benchmarks.md,
-- "What one PostgreSQL can carry").
--
-- Now the leases not freed are tallied as they change, by triggers on lease, so that every writer keeps the
-- tally (claim_seat, seat_calls, the reaper, the import from SQLite, whatever comes later): an insert of a lease
-- not freed adds one, a delete of one not freed takes one away, setting freed_at takes one away and clearing it
-- adds one. A transaction changes its leases and the tally together, so in every snapshot the tally's sum equals
-- the leases not freed. The live leases at an instant are that sum less the leases not freed that have expired
-- by it: a range of a partial index on expires_at, which holds only the leases expired and not yet freed or
-- reaped (after claim_seat has freed them, none). The index is partial so that even a generic plan, which cannot
-- know how few leases have expired, reads it rather than the whole table.
--
-- One row per backend, not one row for all: a single row would be locked by every transaction that adds or
-- removes a lease, so releases on every node would wait for each other and for the claims, in a lock order
-- (lease row, then tally) the reverse of the claims'. A backend runs one transaction at a time, so its row is
-- never locked by anyone else: no waits, no deadlocks. The rows of backends that are gone are folded into row 0
-- by fold_lease_tally(), which the reaping node calls: moving a row's value into row 0 in one transaction keeps
-- the sum whatever runs beside it (a new backend that got the same process ID waits for the row, or inserts a
-- new one after the fold), so the fold needs no other care.

-- fillfactor 10: a backend's row is updated at every change it makes, and a page that mostly stays empty has its
-- old row versions pruned at once instead of piling up for every reader of the tally to step over.
CREATE TABLE lease_tally (
    backend INTEGER NOT NULL PRIMARY KEY, -- pg_backend_pid() of the backend whose changes it sums; 0 for the folded
    unfreed BIGINT  NOT NULL
) WITH (fillfactor = 10);

CREATE FUNCTION lease_tally_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE lease_tally SET unfreed = unfreed + TG_ARGV[0]::BIGINT WHERE backend = pg_backend_pid();
    IF NOT FOUND THEN
        INSERT INTO lease_tally AS t (backend, unfreed) VALUES (pg_backend_pid(), TG_ARGV[0]::BIGINT)
            ON CONFLICT (backend) DO UPDATE SET unfreed = t.unfreed + excluded.unfreed;
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION lease_tally_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM lease_tally;
    INSERT INTO lease_tally (backend, unfreed) VALUES (0, 0);
    RETURN NULL;
END
$$;

-- No writer may change lease while the tally starts from its count.
LOCK TABLE lease IN SHARE ROW EXCLUSIVE MODE;
INSERT INTO lease_tally (backend, unfreed) SELECT 0, count(*) FROM lease WHERE freed_at IS NULL;

CREATE TRIGGER lease_tally_inserted AFTER INSERT ON lease
    FOR EACH ROW WHEN (NEW.freed_at IS NULL) EXECUTE FUNCTION lease_tally_changed('1');
CREATE TRIGGER lease_tally_deleted AFTER DELETE ON lease
    FOR EACH ROW WHEN (OLD.freed_at IS NULL) EXECUTE FUNCTION lease_tally_changed('-1');
CREATE TRIGGER lease_tally_freed AFTER UPDATE OF freed_at ON lease
    FOR EACH ROW WHEN (OLD.freed_at IS NULL AND NEW.freed_at IS NOT NULL) EXECUTE FUNCTION lease_tally_changed('-1');
CREATE TRIGGER lease_tally_unfreed AFTER UPDATE OF freed_at ON lease
    FOR EACH ROW WHEN (OLD.freed_at IS NOT NULL AND NEW.freed_at IS NULL) EXECUTE FUNCTION lease_tally_changed('1');
CREATE TRIGGER lease_tally_truncated AFTER TRUNCATE ON lease
    FOR EACH STATEMENT EXECUTE FUNCTION lease_tally_truncated();

-- The leases not freed by expiry, for live_leases: only those expired and not yet freed are in the range it reads.
CREATE INDEX lease_unfreed_by_expiry ON lease (expires_at) WHERE freed_at IS NULL;

-- The leases live at p_now, as count(*) FROM lease WHERE expires_at > p_now AND freed_at IS NULL would count them,
-- in one snapshot (one statement), without reading the live leases. PL/pgSQL rather than SQL: a SQL function
-- that is not inlined is planned again at every call, a PL/pgSQL one keeps its plan for the session.
CREATE FUNCTION live_leases(p_now BIGINT) RETURNS BIGINT LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN (SELECT coalesce(sum(t.unfreed), 0)::BIGINT FROM lease_tally t)
         - (SELECT count(*) FROM lease l WHERE l.expires_at <= p_now AND l.freed_at IS NULL);
END
$$;

-- Folds the rows of backends that are gone into row 0; answers how many rows it folded.
CREATE FUNCTION fold_lease_tally() RETURNS INTEGER LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_rows   INTEGER;
    v_folded BIGINT;
BEGIN
    WITH gone AS (
        DELETE FROM lease_tally t
        WHERE t.backend <> 0 AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = t.backend)
        RETURNING t.unfreed)
    SELECT count(*), coalesce(sum(unfreed), 0) INTO v_rows, v_folded FROM gone;
    IF v_rows > 0 THEN
        UPDATE lease_tally SET unfreed = unfreed + v_folded WHERE backend = 0;
    END IF;
    RETURN v_rows;
END
$$;

-- claim_seat (V14) and seat_calls (V16), restated whole, with their counts of live leases made as live_leases makes
-- them, written out rather than called: a function call costs more than the count itself at a few hundred leases.
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
    SELECT (SELECT coalesce(sum(t.unfreed), 0)::BIGINT FROM lease_tally t)
         - (SELECT count(*) FROM lease l WHERE l.expires_at <= p_now AND l.freed_at IS NULL) INTO v_in_use;

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

CREATE OR REPLACE FUNCTION seat_calls(p_kinds TEXT[], p_agents TEXT[], p_nodes TEXT[], p_stations TEXT[], p_nows BIGINT[],
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
            NULL::BIGINT, (SELECT coalesce(sum(t.unfreed), 0)::BIGINT FROM lease_tally t)
                - (SELECT count(*) FROM lease l WHERE l.expires_at <= v_released_now AND l.freed_at IS NULL);
    END IF;
END
$$;
