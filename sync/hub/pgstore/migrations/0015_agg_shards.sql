-- The supervisor's aggregates without a row every push updates
-- (pgstore/aggregates.go). Under SERIALIZABLE two pushes that update one
-- row cannot both commit: agg_meta's one version row, and the counters
-- of an operator or wave that several stations work on, made pushes fail
-- and run again. Now:
--   * the version comes from a sequence, taken under the publish lock
--     (the feed's), so versions commit in order; the version a reader
--     sees is the highest one its snapshot holds in the tables;
--   * a counter is kept in shards, one per station whose pushes add to it
--     ('' for central actions); its value is the sum of its shards, its
--     version the highest. A station's pushes run one at a time (each
--     locks the station's row), so no two running pushes share a row;
--   * an operator's latest event is kept per station, the latest of
--     them read.
CREATE SEQUENCE agg_version_seq;
SELECT setval('agg_version_seq', version + 1, false) FROM agg_meta;
DROP TABLE agg_meta;

ALTER TABLE agg_counts ADD COLUMN shard TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE agg_counts DROP CONSTRAINT agg_counts_pkey;
ALTER TABLE agg_counts ADD PRIMARY KEY (scope, key, metric, bucket, shard);

ALTER TABLE agg_operators DROP CONSTRAINT agg_operators_pkey;
ALTER TABLE agg_operators ADD PRIMARY KEY (badge, station);
CREATE INDEX agg_operators_version ON agg_operators(version);
CREATE INDEX agg_orders_version ON agg_orders(version);
