-- seat_calls with p_commit_lazily. When true, the batch's whole transaction commits without waiting for the disk
-- (synchronous_commit off): its renewals and releases too, not only its grants and denials (V14). The node
-- acknowledges what must be durable only after a barrier that began after this commit returned: a transaction of
-- its own that writes a log record and commits synchronously (PostgresSeatStore.DURABLE_BARRIER). Once the
-- barrier's commit is flushed, and on a synchronous standby, so is everything before it in the log, this batch
-- included, whichever connection the barrier ran on: the log is written, flushed and replicated in order. So a
-- node's batch sender never waits for a flush, its next batch is decided while the last one's flush is under way,
-- and one barrier covers every batch committed before it began.
--
-- What this changes for a crash: a renewal or release whose commit was not yet flushed is lost with it, as a
-- grant already could be since V14; none of them was acknowledged, and the log keeps its order, so whatever was
-- acknowledged survives together with everything it was decided upon.
--
-- The eight-parameter seat_calls of V19 stays as it was for the nodes of the previous version during a rolling
-- upgrade: they acknowledge a renewal or a release when its batch's commit returns, which must stay synchronous.

CREATE FUNCTION seat_calls(p_kinds TEXT[], p_agents TEXT[], p_nodes TEXT[], p_stations TEXT[], p_nows BIGINT[],
                           p_ttls BIGINT[], p_capacities INTEGER[], p_not_after BIGINT, p_commit_lazily BOOLEAN)
RETURNS TABLE (o_index INTEGER, o_outcome TEXT, o_node TEXT, o_station TEXT, o_claimed_at BIGINT,
               o_renewed_at BIGINT, o_expires_at BIGINT, o_claim_seq BIGINT, o_in_use BIGINT)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    IF p_commit_lazily THEN
        PERFORM set_config('synchronous_commit', 'off', true);
    END IF;
    RETURN QUERY SELECT * FROM seat_calls(p_kinds, p_agents, p_nodes, p_stations, p_nows, p_ttls, p_capacities,
                                          p_not_after);
END
$$;
