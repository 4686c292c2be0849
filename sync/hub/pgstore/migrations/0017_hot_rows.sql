-- Pushes from different stations that touch no common row no longer fail
-- each other under SERIALIZABLE (pgstore/aggregates.go, docs/hub.md).
-- PostgreSQL tracks what a transaction read through an index by the
-- index's leaf page, and a small table's rows (50 stations, the open
-- orders' aggregates) share one leaf page: an update that adds an index
-- entry (a version that cannot stay on its heap page, or that changes an
-- indexed column) then "writes" what every other push read, and pushes
-- failed and ran again in turn. So:
--   * the rows every push updates keep room on their heap page
--     (fillfactor), so that the new version stays there and no index
--     entry is added (a HOT update);
--   * a push claims its event ids in event_ids (an insert) instead of
--     looking for them in the events' index (pgstore/eventids.go);
--   * agg_orders' version is no longer indexed (every update changed it,
--     so none was HOT). The highest version, which readers were given
--     from that index, is kept per shard in agg_versions, written with
--     the aggregates by the same transaction.
-- The fillfactor applies to rows written from now on; existing rows move
-- as they are updated.
ALTER TABLE stations SET (fillfactor = 10);
ALTER TABLE station_facts SET (fillfactor = 20);
ALTER TABLE line_progress SET (fillfactor = 50);
ALTER TABLE totes SET (fillfactor = 50);
ALTER TABLE order_life SET (fillfactor = 50);
ALTER TABLE agg_orders SET (fillfactor = 50);

DROP INDEX agg_orders_version;
CREATE TABLE agg_versions (
	shard   TEXT COLLATE "C" PRIMARY KEY,
	version BIGINT NOT NULL
) WITH (fillfactor = 10);
INSERT INTO agg_versions(shard, version) SELECT '', GREATEST(
	(SELECT COALESCE(MAX(version), 0) FROM agg_counts),
	(SELECT COALESCE(MAX(version), 0) FROM agg_orders),
	(SELECT COALESCE(MAX(version), 0) FROM agg_operators));

-- Event ids are claimed, not looked for (pgstore/eventids.go): one row per
-- id any event was pushed with.
CREATE TABLE event_ids (
	event_id TEXT PRIMARY KEY
);
INSERT INTO event_ids(event_id) SELECT DISTINCT event_id FROM events;
