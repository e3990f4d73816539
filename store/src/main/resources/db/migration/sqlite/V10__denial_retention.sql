-- Denial retention: denials older than the configured retention (default 400 days) are deleted once a day,
-- off the seat path, by age; this index finds them without a scan. seat_counter.denials keeps counting every
-- denial ever recorded: it is not lowered by the purge.
CREATE INDEX denial_by_time ON denial (denied_at);
