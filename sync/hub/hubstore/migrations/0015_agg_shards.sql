-- Nothing changes on SQLite. PostgreSQL's migration of this number keeps
-- the supervisor's aggregates in per-station shards with versions from a
-- sequence (pgstore/migrations/0015_agg_shards.sql); SQLite's one writer
-- needs neither, and its tables stay as 0008 made them.
SELECT 1;
