-- Issue 11: optional API token expiry, and the optional binding of an ACD token to one ACD node.
-- expires_at: epoch milliseconds from which the token authenticates nothing; NULL never expires.
-- node: the ACD node name (as in a claim's "node") that claims through this ACD token carry; NULL unbound.
ALTER TABLE api_token ADD COLUMN expires_at INTEGER;
ALTER TABLE api_token ADD COLUMN node TEXT CHECK (node IS NULL OR role = 'ACD');
