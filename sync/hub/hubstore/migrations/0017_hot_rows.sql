-- Nothing changes on SQLite. PostgreSQL's migration of this number keeps
-- room for updated rows on their pages and moves the aggregates' highest
-- version to a table of its own, so that pushes from different stations
-- stop failing each other under SERIALIZABLE
-- (pgstore/migrations/0017_hot_rows.sql); SQLite's one writer has no such
-- failures.
SELECT 1;
