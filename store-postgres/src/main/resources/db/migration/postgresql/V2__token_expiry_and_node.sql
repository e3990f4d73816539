-- What the SQLite migrations V10 to V12 mean for the cluster schema.
--
-- V12, API token expiry and node binding (issue 11), as in SQLite:
-- expires_at: epoch milliseconds from which the token authenticates nothing; NULL never expires.
-- node: the ACD node name (as in a claim's "node") that claims through this ACD token carry; NULL unbound.
ALTER TABLE api_token ADD COLUMN expires_at BIGINT;
ALTER TABLE api_token ADD COLUMN node TEXT CONSTRAINT api_token_node_only_acd CHECK (node IS NULL OR role = 'ACD');

-- V10 (the index denial_by_time) and V11 (audit_archive, and the delete trigger letting archived events go)
-- serve retention, which a cluster node does not run yet (docs/cluster.md, "Not built yet"): here denials are
-- never deleted and the audit log refuses every UPDATE, DELETE and TRUNCATE. They come with retention on
-- PostgreSQL, not before: the index would only cost every denial, inserted under the claim lock, an index
-- write that nothing reads.
