-- Issue 12: which rules' alerts a subscription takes. rules holds rule names, comma-separated (e.g.
-- USAGE_HIGH,DENIAL); NULL takes every rule, including rules a later release adds, so every subscription made
-- before this migration keeps receiving every alert.
ALTER TABLE alert_subscription ADD COLUMN rules TEXT;
