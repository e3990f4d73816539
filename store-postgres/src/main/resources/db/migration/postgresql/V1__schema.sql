-- The cluster schema: what the SQLite migrations V1 to V7 keep, in one PostgreSQL schema shared by every
-- server node. Instants are BIGINT epoch milliseconds (UTC), as in SQLite: every instant compared here is a
-- parameter given by a node's trusted clock, and no query reads the database's own time (no now()).
-- The SQLite journal of the embedded seat store (seat_journal) has no counterpart: here every seat change is
-- its own transaction.

-- The seat ledger. A lease is live at time t while expires_at > t.
CREATE TABLE lease (
    agent_id   TEXT   NOT NULL PRIMARY KEY,
    node       TEXT,
    station    TEXT,
    claimed_at BIGINT NOT NULL,
    renewed_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    claim_seq  BIGINT NOT NULL UNIQUE,
    CHECK (renewed_at >= claimed_at AND expires_at > renewed_at)
);

CREATE INDEX lease_by_expiry ON lease (expires_at);

CREATE TABLE denial (
    id        BIGINT NOT NULL GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agent_id  TEXT   NOT NULL,
    denied_at BIGINT NOT NULL,
    capacity  INTEGER NOT NULL,
    in_use    INTEGER NOT NULL
);

-- One row, the lock that serializes claims: every claim begins by locking it (SELECT ... FOR UPDATE), so
-- claims from every node decide one after another (see PostgresSeatStore). It also keeps the last claim
-- sequence number handed out (never reused, even after its lease is gone) and the number of denials ever
-- recorded, both changed only by the claim holding the lock.
CREATE TABLE seat_counter (
    id             INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    last_claim_seq BIGINT  NOT NULL,
    denials        BIGINT  NOT NULL CHECK (denials >= 0)
);

INSERT INTO seat_counter (id, last_claim_seq, denials) VALUES (1, 0, 0);

-- Every license applied to this installation; key_text is the signed key, from which the license is read
-- back; serial and license_id repeat what it says, for people reading the table.
CREATE TABLE applied_license (
    serial     BIGINT NOT NULL PRIMARY KEY CHECK (serial >= 1),
    license_id TEXT   NOT NULL,
    key_text   TEXT   NOT NULL,
    applied_at BIGINT NOT NULL,
    applied_by TEXT   NOT NULL
);

-- The audit log: append-only. The triggers below refuse UPDATE, DELETE and TRUNCATE so that not even a bug
-- (or a node of another version) can rewrite history. id is never reused and orders the log.
CREATE TABLE audit_event (
    id     BIGINT NOT NULL GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at     BIGINT NOT NULL,
    actor  TEXT   NOT NULL,
    type   TEXT   NOT NULL,
    detail TEXT   NOT NULL
);

CREATE INDEX audit_event_by_at ON audit_event (at);

CREATE INDEX audit_event_by_type ON audit_event (type, id);

CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'the audit log is append-only: events are never changed';
    END IF;
    RAISE EXCEPTION 'the audit log is append-only: events are never removed';
END
$$;

CREATE TRIGGER audit_event_not_changed BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();

CREATE TRIGGER audit_event_not_truncated BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();

-- This installation: one row, created by whichever comes first, the installation ID or the trusted-time
-- mark. installation_id, once set, never changes (trigger). trusted_time_mark is the high-water mark of
-- trusted time, rounded up to the millisecond; it only ever grows.
CREATE TABLE installation (
    id                INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    installation_id   TEXT,
    trusted_time_mark BIGINT  NOT NULL
);

CREATE FUNCTION installation_id_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.installation_id IS NOT NULL AND NEW.installation_id IS DISTINCT FROM OLD.installation_id THEN
        RAISE EXCEPTION 'the installation ID never changes once created';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER installation_id_kept BEFORE UPDATE ON installation
    FOR EACH ROW EXECUTE FUNCTION installation_id_kept();

-- Users. Usernames are unique without regard to ASCII case, as SQLite's COLLATE NOCASE makes them:
-- username_key is the name with ASCII letters lowered (lower() under the "C" collation changes nothing
-- else), and is the key. The name is kept as spelled when created. No password is stored: an Argon2id hash
-- in PHC string form.
CREATE TABLE app_user (
    username      TEXT   NOT NULL,
    username_key  TEXT   COLLATE "C" NOT NULL GENERATED ALWAYS AS (lower(username COLLATE "C")) STORED PRIMARY KEY,
    role          TEXT   NOT NULL CHECK (role IN ('ADMIN', 'SUPERVISOR')),
    password_hash TEXT   NOT NULL,
    created_at    BIGINT NOT NULL
);

-- API tokens, found by the SHA-256 of the secret a request presents (lowercase hex). seq keeps the order of
-- creation among tokens created in the same millisecond.
CREATE TABLE api_token (
    id            TEXT   NOT NULL PRIMARY KEY,
    seq           BIGINT NOT NULL GENERATED ALWAYS AS IDENTITY UNIQUE,
    name          TEXT   NOT NULL,
    role          TEXT   NOT NULL CHECK (role IN ('ADMIN', 'SUPERVISOR', 'ACD')),
    secret_digest TEXT   NOT NULL UNIQUE,
    created_at    BIGINT NOT NULL,
    created_by    TEXT   NOT NULL,
    revoked_at    BIGINT
);

-- Seat use per minute, for the AC Agent Dashboard's peaks and history; one row per minute, written after the
-- minute ended; a minute written again is merged (larger maximum and capacity, summed counts).
CREATE TABLE usage_minute (
    minute     BIGINT  NOT NULL PRIMARY KEY CHECK (minute % 60000 = 0),
    max_in_use INTEGER NOT NULL CHECK (max_in_use >= 0),
    capacity   INTEGER NOT NULL CHECK (capacity >= 0),
    claims     INTEGER NOT NULL CHECK (claims >= 0),
    denials    INTEGER NOT NULL CHECK (denials >= 0)
);

-- The claim, in one call: one round trip from the node, so that the claim lock is held for the work and the
-- commit only. Called in a transaction of its own (SELECT * FROM claim_seat(...) with auto-commit).
-- Outcomes: CLAIMED, RENEWED, DENIED, CAPACITY_REDUCED; o_in_use is the live leases after the call (for a
-- renewal, as counted before it).
--
-- The order of its statements is the argument for the cap (see PostgresSeatStore). A new lease is granted only
-- on the locked path: first the lock on the seat_counter row, then, each in a statement of its own, the agent's
-- lease and the count of live leases. A VOLATILE function (the default) takes a fresh snapshot for every
-- statement, so under READ COMMITTED the count sees every claim committed before the lock was granted.
--
-- The renewal of a live lease takes no claim lock: it adds no lease. Its UPDATE re-checks on the newest row
-- version that the lease is still live and still the same claim, so a renewal never revives a lease that was
-- released, reaped or replaced; if the check fails, the call goes on to the locked path. When capacity has
-- dropped, the lease ranks itself among the live leases claimed before it (a later claim cannot come before
-- it); a release it misses only makes it give up its seat a little early, never holds more than capacity.
--
-- A denial changes no lease, so its record is committed without waiting for the disk (synchronous_commit
-- off for that transaction): the claim lock is let go at once, and a crash of PostgreSQL can lose only the
-- denial records of its last fraction of a second, never a lease.
CREATE FUNCTION claim_seat(p_agent TEXT, p_node TEXT, p_station TEXT, p_now BIGINT, p_ttl BIGINT, p_capacity INTEGER)
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
    IF v_held.agent_id IS NOT NULL AND v_held.expires_at > p_now THEN
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
    SELECT * INTO v_held FROM lease l WHERE l.agent_id = p_agent FOR UPDATE;
    SELECT count(*) INTO v_in_use FROM lease l WHERE l.expires_at > p_now;

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
        WHERE l.expires_at <= p_now;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'the lease of % is live although the claim, holding the claim lock, found it expired or absent', p_agent;
    END IF;
    RETURN QUERY SELECT 'CLAIMED', p_node, p_station, p_now, p_now, p_now + p_ttl, v_last_claim_seq + 1,
        v_in_use + 1;
END
$$;
