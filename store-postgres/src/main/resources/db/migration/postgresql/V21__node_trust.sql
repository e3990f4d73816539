-- Which vendor keys each node trusts (docs/trust.md, docs/cluster.md "Development trust in a cluster"). A node on
-- development trust accepts license keys signed with keys of the operator's own, which every node on production
-- trust ignores, so it may grant seats by a license the others do not see. Each node writes its trust with its
-- heartbeat, and every node warns while another node of the cluster runs on development trust. NULL: a node of a
-- release before this column, which does not say.
ALTER TABLE cluster_node ADD COLUMN trust TEXT CHECK (trust IN ('PRODUCTION', 'DEVELOPMENT'));
